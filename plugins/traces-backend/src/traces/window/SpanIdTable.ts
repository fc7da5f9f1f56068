/**
 * Span IDs (8 bytes, as two uint32 halves) to rows, in an open-addressing hash table of typed
 * arrays: a million IDs cost 24 MB outside the JavaScript heap, and no string or Map entry
 * per span for the garbage collector to walk.
 */
export class SpanIdTable {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  /** Row + 1; 0 marks an empty slot. */
  private readonly value: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  // Plain fields, no parameter properties: benchmarks run this file with Node's type stripping.
  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.hi = new Uint32Array(1 << bits);
    this.lo = new Uint32Array(1 << bits);
    this.value = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.value.length * 12;
  }

  private slot(hi: number, lo: number): number {
    // Fibonacci hashing of both halves: sequential IDs spread as well as random ones.
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x9e3779b1) >>> this.shift;
  }

  /** Sets the row of an ID (replacing any); true when the ID was there already. */
  set(hi: number, lo: number, row: number): boolean {
    let s = this.slot(hi, lo);
    for (;;) {
      if (this.value[s] === 0) {
        this.hi[s] = hi;
        this.lo[s] = lo;
        this.value[s] = row + 1;
        return false;
      }
      if (this.hi[s] === hi && this.lo[s] === lo) {
        this.value[s] = row + 1;
        return true;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** The row of an ID, or -1. */
  get(hi: number, lo: number): number {
    let s = this.slot(hi, lo);
    for (;;) {
      const v = this.value[s];
      if (v === 0) return -1;
      if (this.hi[s] === hi && this.lo[s] === lo) return v - 1;
      s = (s + 1) & this.mask;
    }
  }
}

/** `hi` and `lo` as 16 lowercase hex characters. */
export function spanIdText(hi: number, lo: number): string {
  return (
    (hi >>> 0).toString(16).padStart(8, '0') +
    (lo >>> 0).toString(16).padStart(8, '0')
  );
}

const SPAN_ID = /^[0-9a-f]{16}$/;

/** [hi, lo] of a span ID as the compact format writes it; undefined for anything else. */
export function parseSpanId(text: string): [number, number] | undefined {
  if (!SPAN_ID.test(text)) return undefined;
  return [parseInt(text.slice(0, 8), 16), parseInt(text.slice(8), 16)];
}
