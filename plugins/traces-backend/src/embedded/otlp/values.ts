import {
  setAttribute,
  type AttributeValue,
  type Attributes,
} from '@backstage-traces/plugin-traces-common';
import type { Long, OtlpAnyValue, OtlpKeyValue } from './messages';

/** OTLP AnyValue → plain JSON value, as the Tempo normaliser reads it (`tempo/attributes.ts`). */
export function anyValue(
  value: OtlpAnyValue | null | undefined,
): AttributeValue {
  if (!value) return null;
  // Decoded messages carry every field's default on their prototype: only own properties
  // say which member of the oneof is set.
  const has = (field: keyof OtlpAnyValue) =>
    Object.prototype.hasOwnProperty.call(value, field) &&
    value[field] !== undefined &&
    value[field] !== null;
  if (has('stringValue')) return value.stringValue!;
  if (has('boolValue')) return value.boolValue!;
  if (has('intValue')) return integer(value.intValue!);
  if (has('doubleValue')) return value.doubleValue!;
  if (has('arrayValue')) return (value.arrayValue!.values ?? []).map(anyValue);
  if (has('kvlistValue')) return keyValues(value.kvlistValue!.values);
  if (has('bytesValue'))
    return Buffer.from(value.bytesValue!).toString('base64');
  return null;
}

export function keyValues(list: OtlpKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list ?? []) {
    setAttribute(attributes, key, anyValue(value));
  }
  return attributes;
}

/** A number when exact, the decimal digits beyond 2^53 (as the Tempo normaliser does). */
function integer(value: Long | number): number | string {
  if (typeof value === 'number') return value;
  const number = value.toNumber();
  return Number.isSafeInteger(number) ? number : value.toString();
}

/** Unsigned 64-bit nanoseconds, exactly. */
export function nanos(value: Long | number | undefined): bigint {
  if (value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
}

export function hexId(bytes: Uint8Array | undefined): string {
  return bytes
    ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
        'hex',
      )
    : '';
}
