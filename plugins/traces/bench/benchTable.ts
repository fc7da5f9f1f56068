/* Helpers of the model benchmarks: timing medians, retained heap and the printed table. */
/* eslint-disable no-console */ // a command-line script: printing is its output

declare const gc: undefined | (() => void);

export function median(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Live bytes after a full GC. The pause first lets V8 drop temporaries held by the caller's frame. */
export async function retained(): Promise<number> {
  await new Promise(resolve => setTimeout(resolve, 50));
  if (typeof gc === 'function') {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export const hasGc = () => typeof gc === 'function';
export const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
export const mb = (v: number) => (v / 1048576).toFixed(1);

export function printTable(title: string, rows: Array<Record<string, string>>) {
  const columns = [...new Set(rows.flatMap(r => Object.keys(r)))];
  const width = columns.map(c =>
    Math.max(c.length, ...rows.map(r => (r[c] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padStart(width[i])).join(' | ')} |`;
  console.log(title);
  console.log(line(columns));
  console.log(`|${width.map(w => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(columns.map(c => r[c] ?? '')));
}
