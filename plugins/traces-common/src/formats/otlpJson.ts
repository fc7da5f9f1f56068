import { setAttribute, type AttributeValue, type Attributes } from '../types';

/*
 * OTLP/JSON as the OpenTelemetry exporters, the collector's file exporter and Tempo write it.
 * Tempo's jsonpb differs from the OTLP spec in ways every reader must accept: IDs as base64
 * (OTLP/JSON: hex), enums as names (`SPAN_KIND_SERVER`; OTLP/JSON: numbers), the pre-2.0
 * `instrumentationLibrarySpans`, and `batches` instead of `resourceSpans` in the v1 API.
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  name?: string;
  kind?: string | number;
  startTimeUnixNano?: string | number | bigint;
  endTimeUnixNano?: string | number | bigint;
  attributes?: OtlpKeyValue[];
  events?: Array<{
    timeUnixNano?: string | number | bigint;
    name?: string;
    attributes?: OtlpKeyValue[];
  }>;
  links?: Array<{
    traceId?: string;
    spanId?: string;
    attributes?: OtlpKeyValue[];
  }>;
  status?: { code?: string | number; message?: string };
}

export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
  /** Tempo before 2.0. */
  instrumentationLibrarySpans?: Array<{
    instrumentationLibrary?: { name?: string; version?: string };
    spans?: OtlpSpan[];
  }>;
}

/** An OTLP export request, or the `TracesData` of the collector's file exporter. */
export interface OtlpTracesData {
  resourceSpans?: OtlpResourceSpans[];
}

/** OTLP AnyValue → plain JSON value. int64 arrives as a string; it becomes a number when exact. */
export function otlpValue(value: OtlpAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return toInteger(value.intValue);
  // jsonpb writes NaN and ±Infinity as strings, which JSON numbers cannot carry.
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? []).map(otlpValue);
  }
  if (value.kvlistValue !== undefined) {
    return otlpAttributes(value.kvlistValue.values);
  }
  if (value.bytesValue !== undefined) return value.bytesValue;
  // proto3 JSON omits zero values: `{}` is an empty string, false or 0 we cannot tell apart.
  return null;
}

export function otlpAttributes(list: OtlpKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  if (!list) return attributes;
  for (const { key, value } of list) {
    setAttribute(attributes, key, otlpValue(value));
  }
  return attributes;
}

function toInteger(raw: string | number): number | string {
  const number = Number(raw);
  // Beyond 2^53 a JS number would silently change the value; keep the exact digits instead.
  return Number.isSafeInteger(number) ? number : String(raw);
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * A trace or span ID as lowercase hex of the expected width: hex as OTLP/JSON writes it, or
 * base64 as Tempo writes it. Undefined when absent, all zeros or neither.
 */
export function otlpId(id: unknown, bytes: 8 | 16): string | undefined {
  if (typeof id !== 'string' || !id) return undefined;
  let hex: string;
  if (id.length === bytes * 2 && HEX.test(id)) hex = id.toLowerCase();
  else if (BASE64.test(id)) hex = base64ToHex(id);
  else return undefined;
  if (hex.length === 0 || hex.length > bytes * 2 || /^0+$/.test(hex))
    return undefined;
  return hex.padStart(bytes * 2, '0');
}

function base64ToHex(text: string): string {
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return '';
  }
  let hex = '';
  for (let i = 0; i < binary.length; i++) {
    hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  }
  return hex;
}
