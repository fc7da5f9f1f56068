import { MASKED_VALUE } from '@backstage-traces/plugin-traces-common';
import type { AttributeValue } from '@backstage-traces/plugin-traces-common';

/* How attribute values are shown: by type, with masked values recognised. */

export type ValueKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'array'
  | 'object';

export function valueKind(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

/** Plain text of a value, for display, copying and filtering; structures as indented JSON. */
export function valueText(value: unknown): string {
  switch (valueKind(value)) {
    case 'null':
      return 'null';
    case 'array':
    case 'object':
      return JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

/**
 * True when the backend masked the value: its key is listed in `redactedKeys`, or the value is
 * exactly the backend's mask text.
 */
export function isMasked(
  key: string,
  value: AttributeValue | unknown,
  redactedKeys?: readonly string[],
): boolean {
  return value === MASKED_VALUE || (redactedKeys?.includes(key) ?? false);
}

export interface AttributeRow {
  key: string;
  value: unknown;
  masked: boolean;
}

/** Attributes as sorted rows, keeping those whose key or value contains `filter` (any case). */
export function attributeRows(
  attributes: Record<string, unknown>,
  filter: string,
  redactedKeys?: readonly string[],
): AttributeRow[] {
  const needle = filter.trim().toLowerCase();
  return Object.keys(attributes)
    .sort((a, b) => a.localeCompare(b))
    .filter(
      key =>
        !needle ||
        key.toLowerCase().includes(needle) ||
        valueText(attributes[key]).toLowerCase().includes(needle),
    )
    .map(key => ({
      key,
      value: attributes[key],
      masked: isMasked(key, attributes[key], redactedKeys),
    }));
}
