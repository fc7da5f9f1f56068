import { Reader } from 'protobufjs/minimal.js';
import {
  COMPACT_TRACE_FORMAT,
  createCompactColumns,
  SPAN_KINDS,
  STATUS_CODES,
  setAttribute,
  type AttributeValue,
  type Attributes,
  type CompactAttributes,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { redactCompactSteps } from '../redaction/redactCompactTrace';
import { ByteStringTable } from './ByteStringTable';
import { attributeText } from './attributes';
import { runSliced, runToEnd } from '../lib/slicedWork';

/*
 * The fast path for large traces: Tempo's protobuf answer of /api/v2/traces/{id}
 * (tempopb.TraceByIDResponse; the trace is OTLP TracesData) decoded in one pass straight into
 * the compact encoding, then masked by `redactCompactSteps` (which also drops every replaced
 * string from the table). At 100,000 spans this avoids millions of short-lived objects that
 * decoding to JSON shapes, normalising and re-encoding would make. It must give exactly what
 * `redactCompactTrace(encodeCompactTrace(normalizeTraceResponse(...)))` gives for the same
 * trace; protobufToCompact.test.ts holds it to that.
 */

const LENGTH_DELIMITED = 2;

/** A fixed64 nanosecond time as its two 32-bit halves: no BigInt per span. */
interface Time {
  hi: number;
  lo: number;
}

interface RawEvent {
  time: Time;
  name: number;
  attributes: CompactAttributes;
}

interface RawLink {
  traceId: string;
  spanId: string;
  attributes: CompactAttributes;
}

/** One decoded span before rows are ordered by start time. */
interface RawSpan {
  spanId: string;
  parentSpanId: string;
  name: number;
  resource: number;
  kind: number;
  status: number;
  statusMessage?: number;
  start: Time;
  end: Time;
  attributes: CompactAttributes;
  events?: RawEvent[];
  links?: RawLink[];
  scope?: [number, number?];
}

class Decoder {
  private readonly table: ByteStringTable;
  private readonly spans: RawSpan[] = [];
  private readonly resources: CompactTrace['resources'] = [];
  private readonly resourceByKey = new Map<string, number>();
  private traceId = '';
  private status = 0;
  private message?: string;
  private readonly reader: Reader;
  private readonly redactor: Redactor;

  constructor(reader: Reader, buffer: Buffer, redactor: Redactor) {
    this.reader = reader;
    this.redactor = redactor;
    this.table = new ByteStringTable(buffer);
  }

  /**
   * The whole decode as steps: it yields after each resource batch and every few thousand
   * rows, so the async entry point can let the event loop breathe on a million spans.
   */
  *run(requestedTraceId: string): Generator<void, CompactTrace | undefined> {
    const r = this.reader;
    while (r.pos < r.len) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          yield* this.readTrace(this.end());
          break;
        case 3:
          this.status = r.int32();
          break;
        case 4:
          this.message = r.string();
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    if (this.spans.length === 0) return undefined;
    const compact = yield* this.assemble(requestedTraceId);
    return yield* redactCompactSteps(compact, this.redactor);
  }

  private end(): number {
    return this.reader.uint32() + this.reader.pos;
  }

  /** Interns a length-delimited string without decoding repeats. */
  private internString(): number {
    const r = this.reader;
    const length = r.uint32();
    const start = r.pos;
    if (start + length > r.len)
      throw new RangeError(
        `index out of range: ${start} + ${length} > ${r.len}`,
      );
    r.pos = start + length;
    return this.table.addBytes(start, length);
  }

  private *readTrace(limit: number): Generator<void> {
    const r = this.reader;
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
        this.readResourceSpans(this.end());
        yield;
      } else r.skipType(tag & 7);
    }
  }

  private readResourceSpans(limit: number) {
    const r = this.reader;
    // The resource (field 1) precedes scope_spans in every encoder we know of, but do not
    // rely on it: spans remember their batch and take its resource index afterwards.
    let resource = -1;
    const batchSpans: RawSpan[] = [];
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          resource = this.readResource(this.end());
          break;
        case 2:
        case 1000:
          this.readScopeSpans(this.end(), batchSpans);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    if (resource === -1) resource = this.internResource({});
    for (const span of batchSpans) {
      span.resource = resource;
      this.spans.push(span);
    }
  }

  private readResource(limit: number): number {
    const r = this.reader;
    const attributes: Attributes = {};
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
        const [key, value] = this.readKeyValue(this.end());
        setAttribute(attributes, key, value);
      } else r.skipType(tag & 7);
    }
    return this.internResource(attributes);
  }

  /** Same resource identity as the JSON normaliser: the sorted attribute list. */
  private internResource(attributes: Attributes): number {
    const key = JSON.stringify(
      Object.keys(attributes)
        .sort()
        .map(k => [k, attributes[k]]),
    );
    const existing = this.resourceByKey.get(key);
    if (existing !== undefined) return existing;

    const serviceName =
      attributeText(attributes['service.name'] ?? null) || 'unknown_service';
    const namespace = attributeText(attributes['service.namespace'] ?? null);
    const index = this.resources.length;
    this.resources.push({
      serviceName: this.table.add(serviceName),
      ...(namespace && { serviceNamespace: this.table.add(namespace) }),
      attributes: this.encodeAttributes(attributes),
    });
    this.resourceByKey.set(key, index);
    return index;
  }

  private encodeAttributes(attributes: Attributes): CompactAttributes {
    const out: CompactAttributes = [];
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      const k = this.table.add(key);
      if (typeof value === 'string') out.push(k, this.table.add(value));
      else out.push(-k - 1, value);
    }
    return out;
  }

  private readScopeSpans(limit: number, into: RawSpan[]) {
    const r = this.reader;
    let scope: [number, number?] | undefined;
    const spans: RawSpan[] = [];
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          scope = this.readScope(this.end());
          break;
        case 2:
          spans.push(this.readSpan(this.end()));
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    for (const span of spans) {
      if (scope) span.scope = scope;
      into.push(span);
    }
  }

  private readScope(limit: number): [number, number?] | undefined {
    const r = this.reader;
    let name = -1;
    let version = -1;
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) name = this.internString();
      else if (tag >>> 3 === 2) version = this.internString();
      else r.skipType(tag & 7);
    }
    const { strings } = this.table;
    if (name === -1 || !strings[name]) return undefined;
    return version !== -1 && strings[version] ? [name, version] : [name];
  }

  private readSpan(limit: number): RawSpan {
    const r = this.reader;
    const span: RawSpan = {
      spanId: '',
      parentSpanId: '',
      name: -1,
      resource: 0,
      kind: 0,
      status: 0,
      start: { hi: 0, lo: 0 },
      end: { hi: 0, lo: 0 },
      attributes: [],
    };
    let name = -1;
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          if (!this.traceId) this.traceId = hex(r.bytes(), 32);
          else r.skipType(tag & 7);
          break;
        case 2:
          span.spanId = hex(r.bytes(), 16);
          break;
        case 4:
          span.parentSpanId = hex(r.bytes(), 16);
          break;
        case 5:
          name = this.internString();
          break;
        case 6:
          span.kind = r.int32();
          break;
        case 7:
          span.start = fixed64(r);
          break;
        case 8:
          span.end = fixed64(r);
          break;
        case 9:
          this.readAttribute(this.end(), span.attributes);
          break;
        case 11:
          (span.events ??= []).push(this.readEvent(this.end()));
          break;
        case 13: {
          const link = this.readLink(this.end());
          if (link) (span.links ??= []).push(link);
          break;
        }
        case 15:
          this.readStatus(this.end(), span);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    span.name = name === -1 ? this.table.add('') : name;
    if (compareTime(span.end, span.start) < 0) span.end = span.start;
    if (!(span.kind >= 0 && span.kind < SPAN_KINDS.length)) span.kind = 0;
    return span;
  }

  /**
   * Decodes one KeyValue and appends it to a compact attribute list. String values stay
   * interned byte ranges; masking comes after the whole trace is decoded.
   */
  private readAttribute(limit: number, out: CompactAttributes) {
    const r = this.reader;
    let k = -1;
    let stringValue = -1;
    let value: AttributeValue = null;
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) {
        k = this.internString();
      } else if (tag >>> 3 === 2) {
        const end = this.end();
        const valueStart = r.pos;
        // Peek: a plain string value (field 1) is interned without decoding.
        const inner = valueStart < end ? r.uint32() : 0;
        if (inner >>> 3 === 1 && (inner & 7) === LENGTH_DELIMITED) {
          stringValue = this.internString();
        }
        if (stringValue === -1 || r.pos !== end) {
          // Anything else (or a string with more fields after it): decode it fully.
          r.pos = valueStart;
          stringValue = -1;
          value = this.readAnyValue(end);
        }
        r.pos = end;
      } else r.skipType(tag & 7);
    }
    if (k === -1) k = this.table.add('');
    if (stringValue !== -1) out.push(k, stringValue);
    else if (typeof value === 'string') out.push(k, this.table.add(value));
    else out.push(-k - 1, value);
  }

  private readEvent(limit: number): RawEvent {
    const r = this.reader;
    const event: RawEvent = {
      time: { hi: 0, lo: 0 },
      name: -1,
      attributes: [],
    };
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          event.time = fixed64(r);
          break;
        case 2:
          event.name = this.internString();
          break;
        case 3:
          this.readAttribute(this.end(), event.attributes);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    return event;
  }

  private readLink(limit: number): RawLink | undefined {
    const r = this.reader;
    const link: RawLink = {
      traceId: '',
      spanId: '',
      attributes: [],
    };
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          link.traceId = hex(r.bytes(), 32);
          break;
        case 2:
          link.spanId = hex(r.bytes(), 16);
          break;
        case 4:
          this.readAttribute(this.end(), link.attributes);
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    return link.traceId && link.spanId ? link : undefined;
  }

  private readStatus(limit: number, span: RawSpan) {
    const r = this.reader;
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 2) {
        const message = this.internString();
        if (this.table.strings[message]) span.statusMessage = message;
      } else if (tag >>> 3 === 3) {
        const code = r.int32();
        span.status = code >= 0 && code < STATUS_CODES.length ? code : 0;
      } else r.skipType(tag & 7);
    }
  }

  private readKeyValue(limit: number): [string, AttributeValue] {
    const r = this.reader;
    let key = '';
    let value: AttributeValue = null;
    while (r.pos < limit) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) key = r.string();
      else if (tag >>> 3 === 2) value = this.readAnyValue(this.end());
      else r.skipType(tag & 7);
    }
    return [key, value];
  }

  private readAnyValue(limit: number): AttributeValue {
    const r = this.reader;
    let value: AttributeValue = null;
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          value = r.string();
          break;
        case 2:
          value = r.bool();
          break;
        case 3:
          value = readInt64(r);
          break;
        case 4:
          value = r.double();
          if (!Number.isFinite(value)) value = String(value);
          break;
        case 5: {
          const values: AttributeValue[] = [];
          const end = this.end();
          while (r.pos < end) {
            const inner = r.uint32();
            if (inner >>> 3 === 1 && (inner & 7) === LENGTH_DELIMITED) {
              values.push(this.readAnyValue(this.end()));
            } else r.skipType(inner & 7);
          }
          value = values;
          break;
        }
        case 6: {
          const map: Attributes = {};
          const end = this.end();
          while (r.pos < end) {
            const inner = r.uint32();
            if (inner >>> 3 === 1 && (inner & 7) === LENGTH_DELIMITED) {
              const [k, v] = this.readKeyValue(this.end());
              setAttribute(map, k, v);
            } else r.skipType(inner & 7);
          }
          value = map;
          break;
        }
        case 7:
          value = Buffer.from(r.bytes()).toString('base64');
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    return value;
  }

  /** Orders rows by start time and turns parent IDs into row indexes. */
  private *assemble(requestedTraceId: string): Generator<void, CompactTrace> {
    const raw = this.spans;
    const n = raw.length;
    let traceStart = raw[0].start;
    let traceEnd = raw[0].end;
    for (const span of raw) {
      if (compareTime(span.start, traceStart) < 0) traceStart = span.start;
      if (compareTime(span.end, traceEnd) > 0) traceEnd = span.end;
    }
    // Offsets from the trace start are exact as numbers (below 2^53 ns, 104 days).
    const offsets = new Float64Array(n);
    for (let i = 0; i < n; i++)
      offsets[i] = difference(raw[i].start, traceStart);
    // A stable sort by start keeps decode order among equal starts, as Array.sort does
    // in the JSON normaliser.
    const order = yield* stableOrderBy(offsets);
    const rowOf = new Map<string, number>();
    for (let row = 0; row < n; row++) {
      if ((row & 16383) === 16383) yield;
      rowOf.set(raw[order[row]].spanId || '0'.repeat(16), row);
    }

    const spans = createCompactColumns(n);
    const ids: string[] = new Array(n);
    let previous = 0;
    for (let row = 0; row < n; row++) {
      if ((row & 8191) === 8191) yield;
      const span = raw[order[row]];
      ids[row] = span.spanId || '0'.repeat(16);
      if (!span.parentSpanId) spans.parent[row] = -1;
      else {
        const parentRow = rowOf.get(span.parentSpanId);
        if (parentRow === undefined) {
          spans.parent[row] = -2;
          spans.orphanParents[row] = span.parentSpanId;
        } else spans.parent[row] = parentRow;
      }
      spans.name[row] = span.name;
      spans.resource[row] = span.resource;
      spans.kind[row] = span.kind;
      spans.status[row] = span.status;
      if (span.statusMessage !== undefined)
        spans.statusMessage[row] = span.statusMessage;
      const offset = offsets[order[row]];
      spans.startDelta[row] = offset - previous;
      previous = offset;
      spans.durationNanos[row] = difference(span.end, span.start);
      spans.attributes[row] = span.attributes;
      if (span.events) {
        spans.events[row] = span.events.map(event => {
          const name = event.name === -1 ? this.table.add('') : event.name;
          return [name, difference(event.time, traceStart), event.attributes];
        });
      }
      if (span.links) {
        spans.links[row] = span.links.map(link => [
          link.traceId,
          link.spanId,
          link.attributes,
        ]);
      }
      if (span.scope) spans.scope[row] = span.scope;
    }
    spans.ids = ids.join('');

    const partial = this.status === 1;
    return {
      format: COMPACT_TRACE_FORMAT,
      traceId: this.traceId || requestedTraceId.padStart(32, '0'),
      startTimeUnixNano: timeText(traceStart),
      endTimeUnixNano: timeText(traceEnd),
      ...(partial && {
        partial: true,
        partialMessage:
          this.message || 'Tempo returned only part of this trace',
      }),
      strings: this.table.strings,
      resources: this.resources,
      spans,
    };
  }
}

/** Undefined when Tempo has no spans for the ID (v2 answers with an empty trace). */
export function protobufToCompact(
  bytes: Uint8Array,
  requestedTraceId: string,
  redactor: Redactor,
): CompactTrace | undefined {
  return runToEnd(decoderFor(bytes, redactor).run(requestedTraceId));
}

/**
 * As `protobufToCompact`, pausing for the event loop whenever it has run for `sliceMs`: a
 * million spans take seconds to decode, and the backend must keep answering meanwhile.
 */
export function protobufToCompactAsync(
  bytes: Uint8Array,
  requestedTraceId: string,
  redactor: Redactor,
  sliceMs = 25,
): Promise<CompactTrace | undefined> {
  return runSliced(decoderFor(bytes, redactor).run(requestedTraceId), sliceMs);
}

function decoderFor(bytes: Uint8Array, redactor: Redactor): Decoder {
  // A Buffer gets protobufjs's BufferReader, which decodes strings natively.
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Decoder(Reader.create(buffer), buffer, redactor);
}

/**
 * Indexes 0..n-1 ordered by `keys`, stable: a bottom-up merge sort over typed arrays that
 * yields between slices of work, so a million spans never block the event loop for long.
 */
export function* stableOrderBy(
  keys: Float64Array,
): Generator<void, Int32Array> {
  const n = keys.length;
  let from = new Int32Array(n);
  let to = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  // Runs already in order are common (spans of one batch): skip the sort when all are.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
  if (sorted) return from;
  let work = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        to[k++] = keys[from[j]] < keys[from[i]] ? from[j++] : from[i++];
      }
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
      work += hi - lo;
      if (work >= 262144) {
        work = 0;
        yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

function fixed64(reader: Reader): Time {
  const lo = reader.fixed32();
  const hi = reader.fixed32();
  return { hi, lo };
}

function compareTime(a: Time, b: Time): number {
  return a.hi !== b.hi ? a.hi - b.hi : a.lo - b.lo;
}

/** a - b in nanoseconds; exact while the difference stays below 2^53. */
function difference(a: Time, b: Time): number {
  return (a.hi - b.hi) * 4294967296 + (a.lo - b.lo);
}

function timeText(time: Time): string {
  return ((BigInt(time.hi) << 32n) | BigInt(time.lo)).toString();
}

/** int64 varint; small non-negative values (the common case) without a Long object. */
function readInt64(reader: Reader): number | string {
  const buf = (reader as unknown as { buf: Uint8Array }).buf;
  let pos = reader.pos;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    const byte = buf[pos++];
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      reader.pos = pos;
      return result;
    }
    scale *= 128;
  }
  const long = reader.int64() as unknown as number | { toString(): string };
  const text = typeof long === 'number' ? String(long) : long.toString();
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : text;
}

function hex(bytes: Uint8Array, width: 16 | 32): string {
  if (bytes.byteLength === 0) return '';
  const text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength,
  ).toString('hex');
  if (/^0+$/.test(text)) return '';
  return text.padStart(width, '0');
}
