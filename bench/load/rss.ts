import { readFileSync, readdirSync } from 'node:fs';

/**
 * Resident memory of a process and all its descendants, in MB (Linux /proc): `yarn workspace
 * backend start` is a tree of yarn, backstage-cli and the backend's node process.
 */
export function processTreeRss(pid: number): number {
  let kb = 0;
  for (const id of descendantsAndSelf(pid)) {
    try {
      const status = readFileSync(`/proc/${id}/status`, 'utf8');
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return Math.round(kb / 1024);
}

function descendantsAndSelf(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    all.push(...childrenOf(all[i]));
  }
  return all;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const task of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      children.push(...text.split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // ended meanwhile
    }
  }
  return children;
}
