import { StringTable } from '@backstage-traces/plugin-traces-common';

/**
 * The compact builder's string table that also interns UTF-8 byte ranges of a protobuf buffer
 * without decoding them first. In a large trace almost every string is a repeat (attribute keys, span names,
 * `GET`, service names), so decoding each one into a fresh JS string only to find it in a
 * Map is most of the cost; here a repeat costs one FNV-1a hash over its bytes and a
 * comparison, and only new strings are decoded.
 */
export class ByteStringTable extends StringTable {
  private slots = new Int32Array(1 << 12); // entry index + 1; 0 = empty
  private hashes = new Uint32Array(1 << 12);
  private starts = new Int32Array(1 << 12);
  private lengths = new Int32Array(1 << 12);
  private used = 0;
  private readonly source: Buffer;

  constructor(source: Buffer) {
    super();
    this.source = source;
  }

  /** Interns `source[start, start + length)`. */
  addBytes(start: number, length: number): number {
    const source = this.source;
    let hash = 0x811c9dc5;
    for (let i = start, end = start + length; i < end; i++) {
      hash = Math.imul(hash ^ source[i], 0x01000193);
    }
    hash >>>= 0;
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      if (
        this.hashes[slot] === hash &&
        this.lengths[slot] === length &&
        equalRanges(source, this.starts[slot], start, length)
      ) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    const index = this.add(source.toString('utf8', start, start + length));
    this.slots[slot] = index + 1;
    this.hashes[slot] = hash;
    this.starts[slot] = start;
    this.lengths[slot] = length;
    if (++this.used * 2 > this.slots.length) this.grow();
    return index;
  }

  private grow() {
    const { slots, hashes, starts, lengths } = this;
    const size = slots.length * 2;
    this.slots = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    this.starts = new Int32Array(size);
    this.lengths = new Int32Array(size);
    const mask = size - 1;
    for (let old = 0; old < slots.length; old++) {
      if (slots[old] === 0) continue;
      let slot = hashes[old] & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = slots[old];
      this.hashes[slot] = hashes[old];
      this.starts[slot] = starts[old];
      this.lengths[slot] = lengths[old];
    }
  }
}

function equalRanges(
  buffer: Buffer,
  a: number,
  b: number,
  length: number,
): boolean {
  if (a === b) return true;
  for (let i = 0; i < length; i++) {
    if (buffer[a + i] !== buffer[b + i]) return false;
  }
  return true;
}
