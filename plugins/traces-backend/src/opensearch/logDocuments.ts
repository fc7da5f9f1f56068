import type {
  AttributeValue,
  LogRecord,
} from '@backstage-traces/plugin-traces-common';
import type { OpenSearchLogFields } from './config';
import type { SortValue } from './cursor';
import { severityNameOfNumber } from './severity';

/** One `hits.hits[]` entry of a `_search` answer (sorted, so `_score` is null). */
export interface OpenSearchHit {
  _index: string;
  _id: string;
  _source?: Record<string, unknown>;
  sort?: SortValue[];
}

/**
 * Maps a log document to the API's LogRecord. The configured fields become the record's
 * own properties; every other `_source` field goes to `fields` under its dot path.
 * `timestampNanos` is the hit's first sort value (the timestamp as epoch nanoseconds),
 * which is exact whatever format the document stores its time in.
 */
export function toLogRecord(
  hit: OpenSearchHit,
  fields: OpenSearchLogFields,
  timestampNanos?: SortValue,
): LogRecord {
  const source = hit._source ?? {};
  const severityText = asString(getPath(source, fields.severity));
  const severityNumber = fields.severityNumber
    ? asSeverityNumber(getPath(source, fields.severityNumber))
    : undefined;
  const severity =
    severityText ??
    (severityNumber !== undefined
      ? severityNameOfNumber(severityNumber)
      : undefined);

  const record: LogRecord = {
    id: hit._id,
    timestamp:
      timestampFromSort(timestampNanos) ??
      timestampFromSource(getPath(source, fields.timestamp)) ??
      '',
    message: messageText(getPath(source, fields.message)),
    fields: flattenExcept(source, [
      fields.traceId,
      fields.spanId,
      fields.timestamp,
      fields.message,
      fields.severity,
      ...(fields.severityNumber ? [fields.severityNumber] : []),
      fields.service,
    ]),
  };
  if (severity) record.severity = severity;
  if (severityNumber !== undefined) record.severityNumber = severityNumber;
  const service = asString(getPath(source, fields.service));
  if (service) record.serviceName = service;
  const traceId = asString(getPath(source, fields.traceId));
  if (traceId) record.traceId = traceId.toLowerCase();
  const spanId = asString(getPath(source, fields.spanId));
  if (spanId) record.spanId = spanId.toLowerCase();
  return record;
}

/**
 * Reads a dot path from a document whose objects may be nested (`{"resource":{"service":
 * {"name":…}}}`), keyed by dotted names (`{"resource":{"service.name":…}}`, as ss4o writes
 * resources) or both. A key matching the whole remaining path wins over a nested walk.
 */
export function getPath(source: unknown, path: string): unknown {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    return undefined;
  }
  const object = source as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(object, path)) return object[path];
  // Longest prefix first: "resource.service.name" tries "resource.service", then "resource".
  for (
    let dot = path.lastIndexOf('.');
    dot > 0;
    dot = path.lastIndexOf('.', dot - 1)
  ) {
    const head = path.slice(0, dot);
    if (Object.prototype.hasOwnProperty.call(object, head)) {
      const found = getPath(object[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Flattens a document to dot paths (`{"a":{"b":1}}` → `{"a.b":1}`), leaving out the given
 * paths and everything under them. Arrays stay values; BigInts (long numerals) become
 * decimal strings, since they do not fit a JSON number in the browser.
 */
export function flattenExcept(
  source: Record<string, unknown>,
  excluded: string[],
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const isExcluded = (path: string) =>
    excluded.some(field => path === field || path.startsWith(`${field}.`));
  const walk = (value: unknown, path: string) => {
    if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, path ? `${path}.${key}` : key);
      }
      return;
    }
    if (path && !isExcluded(path) && value !== undefined)
      out[path] = toJsonValue(value);
  };
  walk(source, '');
  return out;
}

function toJsonValue(value: unknown): AttributeValue {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, toJsonValue(child)]),
    );
  }
  if (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null ||
    (typeof value === 'number' && Number.isFinite(value))
  ) {
    return value;
  }
  return String(value);
}

/** The body as text: strings as they are, structured bodies (bodymap, JSON logs) as JSON. */
function messageText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(toJsonValue(value));
  return String(value);
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

function asSeverityNumber(value: unknown): number | undefined {
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'bigint') number = Number(value);
  else if (typeof value === 'string' && /^\d{1,2}$/.test(value.trim()))
    number = Number(value);
  // 0 is SEVERITY_NUMBER_UNSPECIFIED: no severity.
  return number !== undefined &&
    Number.isInteger(number) &&
    number >= 1 &&
    number <= 24
    ? number
    : undefined;
}

const NANOS_PER_MS = BigInt(1_000_000);

/** Epoch nanoseconds → ISO 8601, keeping sub-millisecond digits when there are any. */
export function isoFromNanos(nanos: bigint): string | undefined {
  if (nanos < BigInt(0)) return undefined;
  const ms = Number(nanos / NANOS_PER_MS);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  const subMillis = nanos % NANOS_PER_MS;
  return subMillis === BigInt(0)
    ? iso
    : `${iso.slice(0, -1)}${subMillis.toString().padStart(6, '0')}Z`;
}

function timestampFromSort(value: SortValue | undefined): string | undefined {
  if (typeof value === 'bigint') return isoFromNanos(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return isoFromNanos(BigInt(value));
  }
  return undefined;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Fallback when there is no numeric sort value: ISO strings or epoch milliseconds. */
function timestampFromSource(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (ISO_UTC.test(value)) return value; // keeps nanosecond digits as written
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value === 'bigint') return isoFromNanos(value);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
