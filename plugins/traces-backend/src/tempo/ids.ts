const HEX_TRACE = /^[0-9a-fA-F]{32}$/;
const HEX_SPAN = /^[0-9a-fA-F]{16}$/;

/**
 * Trace bodies carry IDs as base64 of the raw bytes (proto JSON); OTLP/JSON and some
 * proxies send hex. Accept both, answer lowercase hex of the expected width.
 */
export function toHexId(
  id: string | undefined,
  bytes: 8 | 16,
): string | undefined {
  if (!id) return undefined;
  const hexPattern = bytes === 16 ? HEX_TRACE : HEX_SPAN;
  if (hexPattern.test(id)) return id.toLowerCase();
  const hex = Buffer.from(id, 'base64').toString('hex');
  if (hex.length === 0 || /^0+$/.test(hex)) return undefined;
  return hex.padStart(bytes * 2, '0');
}
