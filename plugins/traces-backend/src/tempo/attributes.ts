import {
  setAttribute,
  type AttributeValue,
  type Attributes,
} from '@backstage-traces/plugin-traces-common';
import type { TempoAnyValue, TempoKeyValue } from './wireTypes';

/** OTLP AnyValue → plain JSON value. int64 arrives as a string; it becomes a number when exact. */
export function toAttributeValue(
  value: TempoAnyValue | undefined,
): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return toInteger(value.intValue);
  // jsonpb writes NaN and ±Infinity as strings, which JSON numbers cannot carry.
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? []).map(toAttributeValue);
  }
  if (value.kvlistValue !== undefined) {
    return toAttributes(value.kvlistValue.values);
  }
  if (value.bytesValue !== undefined) return value.bytesValue;
  // proto3 JSON omits zero values: `{}` is an empty string, false or 0 we cannot tell apart.
  return null;
}

export function toAttributes(list: TempoKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  if (!list) return attributes;
  for (const { key, value } of list) {
    setAttribute(attributes, key, toAttributeValue(value));
  }
  return attributes;
}

function toInteger(raw: string | number): number | string {
  const number = Number(raw);
  // Beyond 2^53 a JS number would silently change the value; keep the exact digits instead.
  return Number.isSafeInteger(number) ? number : String(raw);
}

/** The string form of a label or attribute value, for keys and display. */
export function attributeText(value: AttributeValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
