import { Reader } from 'protobufjs/minimal.js';
import {
  CompactTraceBuilder,
  setAttribute,
  type AttributeValue,
  type Attributes,
  type CompactAttributes,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { Redactor } from '../redaction/Redactor';
import { redactCompactSteps } from '../redaction/redactCompactTrace';
import { ByteStringTable } from './ByteStringTable';
import { runSliced, runToEnd } from '../lib/slicedWork';

/*
 * The protobuf producer, the fast path for large traces: Tempo's protobuf answer of
 * /api/v2/traces/{id} (tempopb.TraceByIDResponse; the trace is OTLP TracesData) read in one
 * pass into the `CompactTraceBuilder`, strings interned as byte ranges (`ByteStringTable`)
 * without decoding repeats, then masked by `redactCompactSteps`. At 100,000 spans this
 * avoids millions of short-lived objects that decoding to JSON shapes would make. It must
 * give exactly what the JSON producer (`tempoJsonToCompact`) gives for the same trace;
 * protobufToCompact.test.ts holds it to that.
 */

const LENGTH_DELIMITED = 2;

/**
 * Where a scan found things in the protobuf (positions of their length prefixes), so that
 * spans picked later are decoded straight from their bytes: per span (by ordinal, its place
 * in the protobuf) its bytes, batch and scope; per batch its resource index, and the
 * positions of its resources in order (-1: none) when one of them was new to the trace
 * (reading just those gives every resource, in the scan's order); per scope_spans its scope
 * (-1: none).
 */
export interface ProtobufIndex {
  spanAt: Float64Array;
  spanBatch: Int32Array;
  spanScope: Int32Array;
  resourceOfBatch: Int32Array;
  batchResources: number[][];
  scopeAt: number[];
}

interface RawEvent {
  time: number;
  name: number;
  attributes: CompactAttributes;
}

class Decoder {
  private readonly table: ByteStringTable;
  private readonly builder: CompactTraceBuilder;
  /** The time origin's two 32-bit halves: span times become offsets with no BigInt. */
  private originHi = 0;
  private originLo = 0;
  private status = 0;
  private message?: string;
  private readonly reader: Reader;
  private readonly redactor: Redactor;

  constructor(
    reader: Reader,
    buffer: Buffer,
    redactor: Redactor,
    options: {
      /** The whole trace's bounds, when decoding part of it (times are offsets from it). */
      bounds?: { startTimeUnixNano: string; endTimeUnixNano: string };
    } = {},
  ) {
    this.reader = reader;
    this.redactor = redactor;
    this.table = new ByteStringTable(buffer);
    this.builder = new CompactTraceBuilder(this.table);
    const bounds = options.bounds;
    if (bounds) {
      const origin = BigInt(bounds.startTimeUnixNano);
      this.builder.setTimeOrigin(origin);
      this.builder.setBounds(
        0,
        Number(BigInt(bounds.endTimeUnixNano) - origin),
      );
      this.originHi = Number(origin >> 32n);
      this.originLo = Number(origin & 0xffffffffn);
    }
  }

  /** After `run`: the row each decoded span (in protobuf order) ended up in. */
  rowOf(handle: number): number {
    return this.builder.rowOf(handle);
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
    if (this.status === 1)
      this.builder.setPartial(
        this.message || 'Tempo returned only part of this trace',
      );
    const compact = yield* this.builder.buildSteps(requestedTraceId);
    return compact && (yield* redactCompactSteps(compact, this.redactor));
  }

  /**
   * Only the spans of the given ordinals (ascending), from where a scan found them, with
   * every resource of the trace (so resource indexes are the scan's) and their scopes.
   */
  *runSpans(
    requestedTraceId: string,
    index: ProtobufIndex,
    ordinals: Int32Array,
  ): Generator<void, CompactTrace | undefined> {
    const r = this.reader;
    const builder = this.builder;
    // The scan's resources, added in its order: the same indexes as the scan's.
    for (const positions of index.batchResources) {
      for (const at of positions) {
        if (at < 0) builder.resource({});
        else {
          r.pos = at;
          this.readResource(this.end());
        }
      }
    }
    const resourceOfBatch = index.resourceOfBatch;
    const scopes = new Map<number, [number, number] | undefined>();
    for (let j = 0; j < ordinals.length; j++) {
      if ((j & 1023) === 1023) yield;
      const ordinal = ordinals[j];
      r.pos = index.spanAt[ordinal];
      const handle = builder.spanCount;
      this.readSpan(this.end());
      builder.setResource(handle, resourceOfBatch[index.spanBatch[ordinal]]);
      const scopeId = index.spanScope[ordinal];
      if (!scopes.has(scopeId)) {
        const at = index.scopeAt[scopeId];
        if (at >= 0) r.pos = at;
        scopes.set(scopeId, at < 0 ? undefined : this.readScope(this.end()));
      }
      const scope = scopes.get(scopeId);
      if (scope) builder.setScope(handle, scope[0], scope[1]);
    }
    const compact = yield* builder.buildSteps(requestedTraceId);
    return compact && (yield* redactCompactSteps(compact, this.redactor));
  }

  /** For a scan (`scanProtobufSpans`): the resource whose length prefix is at `at`. */
  resourceAt(at: number): number {
    this.reader.pos = at;
    return this.readResource(this.end());
  }

  /** For a scan: the resource of a batch without one. */
  emptyResource(): number {
    return this.builder.resource({});
  }

  /**
   * For a scan: the trace without spans (its ID, bounds, partial status, and the resources
   * read with `resourceAt`), redacted; bounds in nanoseconds from `origin`.
   */
  *header(
    requestedTraceId: string,
    scanned: {
      traceId: string;
      origin: bigint;
      first: number;
      last: number;
      partialMessage?: string;
    },
  ): Generator<void, CompactTrace> {
    const builder = this.builder;
    builder.setTraceId(scanned.traceId);
    builder.setTimeOrigin(scanned.origin);
    builder.setBounds(scanned.first, scanned.last);
    if (scanned.partialMessage !== undefined)
      builder.setPartial(scanned.partialMessage);
    const compact = (yield* builder.buildSteps(requestedTraceId))!;
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
    const first = this.builder.spanCount;
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          resource = this.readResource(this.end());
          break;
        case 2:
        case 1000:
          this.readScopeSpans(this.end());
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    if (resource === -1) resource = this.builder.resource({});
    for (let span = first; span < this.builder.spanCount; span++) {
      this.builder.setResource(span, resource);
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
    return this.builder.resource(attributes);
  }

  private readScopeSpans(limit: number) {
    const r = this.reader;
    let scope: [number, number] | undefined;
    const first = this.builder.spanCount;
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          scope = this.readScope(this.end());
          break;
        case 2:
          this.readSpan(this.end());
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    if (scope) {
      for (let span = first; span < this.builder.spanCount; span++) {
        this.builder.setScope(span, scope[0], scope[1]);
      }
    }
  }

  /** [name, version or -1]; undefined without a name. */
  private readScope(limit: number): [number, number] | undefined {
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
    return [name, version !== -1 && strings[version] ? version : -1];
  }

  private readSpan(limit: number) {
    const r = this.reader;
    const builder = this.builder;
    let spanId = '';
    let parentSpanId = '';
    let name = -1;
    let kind = 0;
    let status = 0;
    let statusMessage = -1;
    let startHi = 0;
    let startLo = 0;
    let endHi = 0;
    let endLo = 0;
    const attributes = builder.attributes();
    let events: RawEvent[] | undefined;
    let links: Array<[string, string, CompactAttributes]> | undefined;
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          if (!builder.hasTraceId) builder.setTraceId(hex(r.bytes(), 32));
          else r.skipType(tag & 7);
          break;
        case 2:
          spanId = hex(r.bytes(), 16);
          break;
        case 4:
          parentSpanId = hex(r.bytes(), 16);
          break;
        case 5:
          name = this.internString();
          break;
        case 6:
          kind = r.int32();
          break;
        case 7:
          startLo = r.fixed32();
          startHi = r.fixed32();
          break;
        case 8:
          endLo = r.fixed32();
          endHi = r.fixed32();
          break;
        case 9:
          this.readAttribute(this.end(), attributes);
          break;
        case 11:
          (events ??= []).push(this.readEvent(this.end()));
          break;
        case 13: {
          const link = this.readLink(this.end());
          if (link) (links ??= []).push(link);
          break;
        }
        case 15: {
          const end = this.end();
          while (r.pos < end) {
            const inner = r.uint32();
            if (inner >>> 3 === 2) {
              const message = this.internString();
              if (this.table.strings[message]) statusMessage = message;
            } else if (inner >>> 3 === 3) status = r.int32();
            else r.skipType(inner & 7);
          }
          break;
        }
        default:
          r.skipType(tag & 7);
      }
    }
    const handle = builder.addSpan({
      spanId,
      parentSpanId,
      name: name === -1 ? builder.string('') : name,
      resource: 0,
      kind,
      status,
      statusMessage,
      start: this.offset(startHi, startLo),
      end: this.offset(endHi, endLo),
      attributes,
    });
    if (events) {
      for (const event of events) {
        builder.addEvent(
          handle,
          event.name === -1 ? builder.string('') : event.name,
          event.time,
          event.attributes,
        );
      }
    }
    if (links) {
      for (const [traceId, linkSpanId, linkAttributes] of links) {
        builder.addLink(handle, traceId, linkSpanId, linkAttributes);
      }
    }
  }

  /** A fixed64 time as nanoseconds from the time origin (the first time read sets it). */
  private offset(hi: number, lo: number): number {
    if (!this.builder.hasTimeOrigin) {
      this.builder.setTimeOrigin((BigInt(hi) << 32n) | BigInt(lo));
      this.originHi = hi;
      this.originLo = lo;
    }
    // Exact while the difference stays below 2^53 ns (104 days).
    return (hi - this.originHi) * 4294967296 + (lo - this.originLo);
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
    if (stringValue !== -1)
      this.builder.addStringAttribute(out, k, stringValue);
    else this.builder.addAttribute(out, k, value);
  }

  private readEvent(limit: number): RawEvent {
    const r = this.reader;
    const event: RawEvent = {
      time: 0,
      name: -1,
      attributes: this.builder.attributes(),
    };
    while (r.pos < limit) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1: {
          const lo = r.fixed32();
          event.time = this.offset(r.fixed32(), lo);
          break;
        }
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

  private readLink(
    limit: number,
  ): [string, string, CompactAttributes] | undefined {
    const r = this.reader;
    const link = {
      traceId: '',
      spanId: '',
      attributes: this.builder.attributes(),
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
    return link.traceId && link.spanId
      ? [link.traceId, link.spanId, link.attributes]
      : undefined;
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
  sliceMs?: number,
): Promise<CompactTrace | undefined> {
  return runSliced(decoderFor(bytes, redactor).run(requestedTraceId), sliceMs);
}

/**
 * The spans of the given ordinals (ascending) of a scanned trace decoded in full, redacted,
 * times from the scanned trace's start; `rows[j]`: the row of `ordinals[j]` in `compact`.
 */
export async function protobufSpansAsync(
  bytes: Uint8Array,
  requestedTraceId: string,
  redactor: Redactor,
  scan: {
    bounds: { startTimeUnixNano: string; endTimeUnixNano: string };
    index: ProtobufIndex;
  },
  ordinals: Int32Array,
): Promise<{ compact: CompactTrace; rows: Int32Array }> {
  const decoder = decoderFor(bytes, redactor, { bounds: scan.bounds });
  const compact = await runSliced(
    decoder.runSpans(requestedTraceId, scan.index, ordinals),
  );
  return { compact: compact!, rows: rowsOf(decoder, ordinals.length) };
}

function rowsOf(decoder: Decoder, n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let handle = 0; handle < n; handle++)
    rows[handle] = decoder.rowOf(handle);
  return rows;
}

/** What a scan (`scanProtobufSpans`) reads through the decoder: resources and the header. */
export type ScanDecoder = Pick<
  Decoder,
  'resourceAt' | 'emptyResource' | 'header'
>;

export function scanDecoderFor(
  bytes: Uint8Array,
  redactor: Redactor,
): ScanDecoder {
  return decoderFor(bytes, redactor);
}

function decoderFor(
  bytes: Uint8Array,
  redactor: Redactor,
  options?: ConstructorParameters<typeof Decoder>[3],
): Decoder {
  // A Buffer gets protobufjs's BufferReader, which decodes strings natively.
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Decoder(Reader.create(buffer), buffer, redactor, options);
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

export function hex(bytes: Uint8Array, width: 16 | 32): string {
  if (bytes.byteLength === 0) return '';
  const text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength,
  ).toString('hex');
  if (/^0+$/.test(text)) return '';
  return text.padStart(width, '0');
}
