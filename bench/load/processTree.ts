import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/*
 * What a process and all its descendants use (Linux /proc): `yarn workspace backend start` is
 * a tree of yarn, backstage-cli and the backend's node process.
 */

/** Resident memory of the tree, in MB. */
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

/** CPU time (user + system) the tree has used so far, in ms; in steps of 10 ms (USER_HZ). */
export function processTreeCpuMs(pid: number): number {
  let ticks = 0;
  for (const id of descendantsAndSelf(pid)) {
    try {
      // The fields after the command name, which may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // ended meanwhile
    }
  }
  return ticks * 10;
}

/** The process listening on a local TCP port, when this user may see its sockets. */
export function listeningPid(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN; the inode is the tenth column.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') {
        inodes.add(cols[9]);
      }
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) {
          return Number(entry);
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

export function descendantsAndSelf(pid: number): number[] {
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
