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

/** True for a trace ID the API accepts as a path parameter: exactly 16 or 32 hex characters. */
export function isTraceIdParam(id: string): boolean {
  return (id.length === 16 || id.length === 32) && HEX.test(id);
}
