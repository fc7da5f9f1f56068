/*
 * What the proof serves locally in place of a download host the machine cannot reach: the
 * Backstage release manifest (versions.backstage.io) that `versions:bump` reads. Anything
 * else is a 404.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

export interface LocalHost {
  url: string;
  close(): void;
}

/** The newest version of every @backstage package in this repository's lockfile. */
function releaseManifest(root: string) {
  const versions = new Map<string, string>();
  const lock = readFileSync(join(root, 'yarn.lock'), 'utf8');
  for (const match of lock.matchAll(
    /^"?(@backstage\/[^@"]+)@[^\n]*:\n {2}version: ([^\n]+)$/gm,
  )) {
    const [, name, version] = match;
    const known = versions.get(name);
    if (!known || compareVersions(version, known) > 0) {
      versions.set(name, version);
    }
  }
  const releaseVersion = JSON.parse(
    readFileSync(join(root, 'backstage.json'), 'utf8'),
  ).version as string;
  return {
    releaseVersion,
    packages: [...versions].map(([name, version]) => ({ name, version })),
  };
}

function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.-]/).map(part => Number(part) || 0);
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  }
  return 0;
}

export async function startLocalHost(
  root: string,
  port: number,
): Promise<LocalHost> {
  const manifest = JSON.stringify(releaseManifest(root));
  const server = createServer((req, res) => {
    if (req.url === '/v1/tags/main/manifest.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(manifest);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
