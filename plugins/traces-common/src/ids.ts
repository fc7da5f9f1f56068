const HEX = /^[0-9a-fA-F]+$/;

/**
 * Normalises a trace ID to 32 lowercase hex characters. Accepts 16- or 32-hex IDs and the
 * shortened form Tempo's search returns (leading zeros stripped). Returns undefined when the
 * input is not a hex trace ID of at most 128 bits.
 */
export function normalizeTraceId(id: string): string | undefined {
  if (!id || id.length > 32 || !HEX.test(id)) return undefined;
  return id.toLowerCase().padStart(32, '0');
}

/** Normalises a span ID to 16 lowercase hex characters, or undefined when it is not one. */
export function normalizeSpanId(id: string): string | undefined {
  if (!id || id.length > 16 || !HEX.test(id)) return undefined;
  return id.toLowerCase().padStart(16, '0');
}

/** How a trace ID may be written, for messages. */
export const TRACE_ID_FORMAT = '1 to 32 hexadecimal characters';

/**
 * Parses a trace ID as people copy it: 1 to 32 hex characters, since Tempo's search and
 * Grafana show IDs with leading zeros stripped. Answers the padded 32-character form, or
 * undefined for anything else, including the invalid all-zero ID.
 */
export function parseTraceIdParam(raw: string): string | undefined {
  const id = normalizeTraceId(raw.trim());
  return id && !/^0+$/.test(id) ? id : undefined;
}

/** True for a trace ID the API accepts as a parameter (see parseTraceIdParam). */
export function isTraceIdParam(id: string): boolean {
  return parseTraceIdParam(id) !== undefined;
}
