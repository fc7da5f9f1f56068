/*
 * What the backend benchmarks share: one child process per trace size (so heap figures do
 * not leak between sizes) and a Markdown table of the results.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * In a child (`--child N`): measures size N and writes the result as JSON to stdout. In the
 * parent: runs the script once per size given on the command line (or `defaultSizes`) and
 * returns the results in order.
 */
export async function measureSizesInChildren<T>(
  scriptUrl: string,
  defaultSizes: number[],
  measure: (spans: number) => T | Promise<T>,
): Promise<T[] | undefined> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--child') {
    process.stdout.write(JSON.stringify(await measure(Number(args[0]))));
    return undefined;
  }
  const sizes = mode ? [mode, ...args].map(Number) : defaultSizes;
  return sizes.map(
    size =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            ...process.execArgv,
            fileURLToPath(scriptUrl),
            '--child',
            String(size),
          ],
          { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
        ),
      ) as T,
  );
}

export function markdownTable(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows]
    .map(row => `| ${row.join(' | ')} |`)
    .join('\n');
}
