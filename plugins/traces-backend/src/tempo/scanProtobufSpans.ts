import type { ProtobufIndex, ScanDecoder } from './protobufToCompact';
import { hex } from './protobufToCompact';

/*
 * The light pass over Tempo's protobuf answer (tempopb.TraceByIDResponse) for a large trace:
 * per span only its ID and parent (as two uint32 halves each), start, end and status, into
 * typed columns, and where its bytes are. No string or object is made per span, so a million
 * spans leave almost nothing for the garbage collector. Resources go through the full
 * decoder (`ScanDecoder`), so their indexes are those a window's decode gives.
 *
 * Field by field it reads what `protobufToCompact` reads, in the same way (wire types are
 * not checked where the decoder does not check them), so that the tree built from the scan
 * is the full decode's.
 */

const LENGTH_DELIMITED = 2;

/** The spans of a trace by ordinal (their place in the protobuf). */
export interface SpanColumns {
  count: number;
  idHi: Uint32Array;
  idLo: Uint32Array;
  /** 0, 0: no parent (a root). */
  parentHi: Uint32Array;
  parentLo: Uint32Array;
  /** Nanoseconds from `origin`; an end before the start is the start. */
  start: Float64Array;
  end: Float64Array;
  /** OTLP status code as read (the builder maps out-of-range codes to unset). */
  status: Uint8Array;
  index: ProtobufIndex;
  origin: bigint;
  /** The first span's trace ID ('' when none has one). */
  traceId: string;
  partialMessage?: string;
}

export class ProtobufSpanScanner {
  private readonly buf: Uint8Array;
  private readonly len: number;
  private pos = 0;
  private readonly decoder: ScanDecoder;

  private capacity: number;
  private count = 0;
  private idHi: Uint32Array;
  private idLo: Uint32Array;
  private parentHi: Uint32Array;
  private parentLo: Uint32Array;
  private start: Float64Array;
  private end: Float64Array;
  private status: Uint8Array;
  private spanAt: Float64Array;
  private spanBatch: Int32Array;
  private spanScope: Int32Array;
  private readonly batchResources: number[][] = [];
  private readonly resourceOfBatch: number[] = [];
  private readonly scopeAt: number[] = [];
  /** Distinct resources so far (the decoder's indexes are 0, 1, ...). */
  private resources = 0;

  private hasOrigin = false;
  private originHi = 0;
  private originLo = 0;
  private traceId = '';
  private partialStatus = 0;
  private message = '';
  /** The halves of the last ID or fixed64 read. */
  private hi = 0;
  private lo = 0;

  constructor(bytes: Uint8Array, decoder: ScanDecoder) {
    this.buf = bytes;
    this.len = bytes.byteLength;
    this.decoder = decoder;
    // Generated and real spans take 200-1,000 bytes; the columns grow when this is short.
    this.capacity = Math.max(1024, Math.ceil(bytes.byteLength / 256));
    const c = this.capacity;
    this.idHi = new Uint32Array(c);
    this.idLo = new Uint32Array(c);
    this.parentHi = new Uint32Array(c);
    this.parentLo = new Uint32Array(c);
    this.start = new Float64Array(c);
    this.end = new Float64Array(c);
    this.status = new Uint8Array(c);
    this.spanAt = new Float64Array(c);
    this.spanBatch = new Int32Array(c);
    this.spanScope = new Int32Array(c);
  }

  /** The scan as steps: it yields after each batch and every 4,096 spans. */
  *run(): Generator<void, SpanColumns> {
    while (this.pos < this.len) {
      const tag = this.uint32();
      switch (tag >>> 3) {
        case 1:
          yield* this.readTrace(this.lengthEnd());
          break;
        case 3:
          this.partialStatus = this.uint32() | 0;
          break;
        case 4: {
          const end = this.lengthEnd();
          this.message = Buffer.from(
            this.buf.buffer,
            this.buf.byteOffset + this.pos,
            end - this.pos,
          ).toString('utf8');
          this.pos = end;
          break;
        }
        default:
          this.skip(tag & 7);
      }
    }
    const n = this.count;
    yield;
    return {
      count: n,
      idHi: this.idHi.subarray(0, n),
      idLo: this.idLo.subarray(0, n),
      parentHi: this.parentHi.subarray(0, n),
      parentLo: this.parentLo.subarray(0, n),
      start: this.start.subarray(0, n),
      end: this.end.subarray(0, n),
      status: this.status.subarray(0, n),
      // Kept with the trace: copied to their size (the other columns are dropped after).
      index: {
        spanAt: this.spanAt.slice(0, n),
        spanBatch: this.spanBatch.slice(0, n),
        spanScope: this.spanScope.slice(0, n),
        resourceOfBatch: Int32Array.from(this.resourceOfBatch),
        batchResources: this.batchResources,
        scopeAt: this.scopeAt,
      },
      origin: (BigInt(this.originHi) << 32n) | BigInt(this.originLo),
      traceId: this.traceId,
      ...(this.partialStatus === 1 && {
        partialMessage:
          this.message || 'Tempo returned only part of this trace',
      }),
    };
  }

  private *readTrace(limit: number): Generator<void> {
    while (this.pos < limit) {
      const tag = this.uint32();
      if (tag >>> 3 === 1 && (tag & 7) === LENGTH_DELIMITED) {
        yield* this.readResourceSpans(this.lengthEnd());
        yield;
      } else this.skip(tag & 7);
    }
  }

  private *readResourceSpans(limit: number): Generator<void> {
    const batch = this.batchResources.length;
    const resources: number[] = [];
    this.batchResources.push(resources);
    const known = this.resources;
    let resource = -1;
    while (this.pos < limit) {
      const tag = this.uint32();
      switch (tag >>> 3) {
        case 1: {
          const at = this.pos;
          const end = this.lengthEnd();
          resources.push(at);
          resource = this.decoder.resourceAt(at);
          this.resources = Math.max(this.resources, resource + 1);
          this.pos = end;
          break;
        }
        case 2:
        case 1000:
          yield* this.readScopeSpans(this.lengthEnd(), batch);
          break;
        default:
          this.skip(tag & 7);
      }
    }
    if (resource === -1) {
      resources.push(-1);
      resource = this.decoder.emptyResource();
      this.resources = Math.max(this.resources, resource + 1);
    }
    this.resourceOfBatch.push(resource);
    // A batch of resources seen before need not be read again for a window.
    if (this.resources === known) resources.length = 0;
  }

  private *readScopeSpans(limit: number, batch: number): Generator<void> {
    const scope = this.scopeAt.push(-1) - 1;
    while (this.pos < limit) {
      const tag = this.uint32();
      switch (tag >>> 3) {
        case 1:
          this.scopeAt[scope] = this.pos;
          this.pos = this.lengthEnd();
          break;
        case 2: {
          const at = this.pos;
          this.readSpan(this.lengthEnd(), at, batch, scope);
          if ((this.count & 4095) === 0) yield;
          break;
        }
        default:
          this.skip(tag & 7);
      }
    }
  }

  private readSpan(limit: number, at: number, batch: number, scope: number) {
    let idHi = 0;
    let idLo = 0;
    let parentHi = 0;
    let parentLo = 0;
    let status = 0;
    let startHi = 0;
    let startLo = 0;
    let endHi = 0;
    let endLo = 0;
    while (this.pos < limit) {
      const tag = this.uint32();
      switch (tag >>> 3) {
        case 1:
          if (this.traceId) this.skip(tag & 7);
          else {
            const end = this.lengthEnd();
            this.traceId = hex(this.buf.subarray(this.pos, end), 32);
            this.pos = end;
          }
          break;
        case 2:
          this.readId();
          idHi = this.hi;
          idLo = this.lo;
          break;
        case 4:
          this.readId();
          parentHi = this.hi;
          parentLo = this.lo;
          break;
        case 7:
          startLo = this.fixed32();
          startHi = this.fixed32();
          break;
        case 8:
          endLo = this.fixed32();
          endHi = this.fixed32();
          break;
        case 15: {
          const end = this.lengthEnd();
          while (this.pos < end) {
            const inner = this.uint32();
            if (inner >>> 3 === 3) status = this.uint32() | 0;
            else this.skip(inner & 7);
          }
          break;
        }
        default:
          this.skip(tag & 7);
      }
    }
    if (this.count === this.capacity) this.grow();
    const k = this.count++;
    this.idHi[k] = idHi;
    this.idLo[k] = idLo;
    this.parentHi[k] = parentHi;
    this.parentLo[k] = parentLo;
    this.status[k] = status >= 0 && status < 256 ? status : 0;
    const start = this.offset(startHi, startLo);
    const end = this.offset(endHi, endLo);
    this.start[k] = start;
    this.end[k] = end < start ? start : end;
    this.spanAt[k] = at;
    this.spanBatch[k] = batch;
    this.spanScope[k] = scope;
  }

  /**
   * A span ID into `hi`/`lo`: OTLP's are 8 bytes; shorter ones read as left-padded with
   * zeros, as the decoder's hex does; of longer ones the last 8 bytes.
   */
  private readId() {
    const end = this.lengthEnd();
    const b = this.buf;
    let hi = 0;
    let lo = 0;
    for (let p = Math.max(this.pos, end - 8); p < end; p++) {
      hi = ((hi << 8) | (lo >>> 24)) >>> 0;
      lo = ((lo << 8) | b[p]) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    this.pos = end;
  }

  /** A fixed64 time as nanoseconds from the first time read, as the decoder's offset. */
  private offset(hi: number, lo: number): number {
    if (!this.hasOrigin) {
      this.hasOrigin = true;
      this.originHi = hi;
      this.originLo = lo;
    }
    return (hi - this.originHi) * 4294967296 + (lo - this.originLo);
  }

  private grow() {
    const c = this.capacity * 2;
    const more = <
      T extends Uint32Array | Float64Array | Uint8Array | Int32Array,
    >(
      from: T,
    ): T => {
      const to = new (from.constructor as new (n: number) => T)(c);
      to.set(from);
      return to;
    };
    this.idHi = more(this.idHi);
    this.idLo = more(this.idLo);
    this.parentHi = more(this.parentHi);
    this.parentLo = more(this.parentLo);
    this.start = more(this.start);
    this.end = more(this.end);
    this.status = more(this.status);
    this.spanAt = more(this.spanAt);
    this.spanBatch = more(this.spanBatch);
    this.spanScope = more(this.spanScope);
    this.capacity = c;
  }

  /** A varint as protobufjs's `uint32` reads it (the low 32 bits). */
  private uint32(): number {
    const b = this.buf;
    let p = this.pos;
    let byte = b[p++];
    let value = byte & 0x7f;
    if (byte >= 0x80) {
      byte = b[p++];
      value |= (byte & 0x7f) << 7;
      if (byte >= 0x80) {
        byte = b[p++];
        value |= (byte & 0x7f) << 14;
        if (byte >= 0x80) {
          byte = b[p++];
          value |= (byte & 0x7f) << 21;
          if (byte >= 0x80) {
            byte = b[p++];
            value |= (byte & 0x0f) << 28;
            for (let i = 0; byte >= 0x80 && i < 5; i++) byte = b[p++];
          }
        }
      }
    }
    if (p > this.len) throw outOfRange(p, this.len);
    this.pos = p;
    return value >>> 0;
  }

  /** Reads a length prefix; answers where the field ends, checked against the answer. */
  private lengthEnd(): number {
    const end = this.uint32() + this.pos;
    if (end > this.len) throw outOfRange(end, this.len);
    return end;
  }

  private fixed32(): number {
    const b = this.buf;
    const p = this.pos;
    if (p + 4 > this.len) throw outOfRange(p + 4, this.len);
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  private skip(wireType: number) {
    switch (wireType) {
      case 0:
        this.uint32();
        break;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.lengthEnd();
        break;
      case 3:
        for (;;) {
          const inner = this.uint32() & 7;
          if (inner === 4) break;
          this.skip(inner);
        }
        break;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
    if (this.pos > this.len) throw outOfRange(this.pos, this.len);
  }
}

function outOfRange(at: number, len: number): RangeError {
  return new RangeError(`index out of range: ${at} > ${len}`);
}
