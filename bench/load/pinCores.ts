import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { descendantsAndSelf } from './processTree';

/*
 * `bench:load --pin`: Tempo on one half of the cores, everything else (the backend, the bare
 * proxy, autocannon in this process) on the other, as in a deployment where Tempo and
 * Backstage do not share machines. Unpinned, on a small machine, every ms of CPU the backend
 * spends is taken from Tempo too, so the latency it adds is its CPU time several times over;
 * pinned, both sides of the comparison run the same Tempo on the same cores and the backend
 * competes only with the load generator. Linux only (taskset, util-linux).
 */

const all = cpus().length;
const half = Math.max(1, Math.floor(all / 2));
const range = (from: number, to: number) =>
  from === to ? String(from) : `${from}-${to}`;
/** e.g. "1" of two cores, "2-3" of four. */
export const TEMPO_CORES = all < 2 ? '0' : range(half, all - 1);
export const CLIENT_CORES = all < 2 ? '0' : range(0, half - 1);
const ALL_CORES = `0-${all - 1}`;

/** Every thread of `pid` and its descendants onto `cores`. */
export function pinTree(pid: number | undefined, cores: string) {
  if (!pid) return;
  for (const id of descendantsAndSelf(pid)) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cores, String(id)], {
        stdio: 'ignore',
      });
    } catch {
      // ended meanwhile
    }
  }
}

export function unpinTree(pid: number | undefined) {
  pinTree(pid, ALL_CORES);
}

export function canPin(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return all >= 2;
  } catch {
    return false;
  }
}
