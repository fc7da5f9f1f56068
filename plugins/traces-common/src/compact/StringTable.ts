/** What the compact builder interns strings with: the backend's protobuf path passes a table that interns byte ranges. */
export interface StringInterner {
  readonly strings: string[];
  add(value: string): number;
}

export class StringTable implements StringInterner {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  add(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}
