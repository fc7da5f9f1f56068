/*
 * What the proof serves locally in place of two download hosts the machine cannot reach:
 * the Backstage release manifest (versions.backstage.io) that `versions:bump` reads, and a
 * prebuilt better-sqlite3 binary (its GitHub releases) made from this repository's own build
 * of the same version, so the fresh app does not compile it again. Anything else is a 404,
 * and better-sqlite3 then compiles from source as usual.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/** prebuild-install's file name for this repository's better-sqlite3 build, and its tarball. */
function prebuiltSqlite(
  root: string,
): { file: string; tarball: Buffer } | undefined {
  const dir = join(root, 'node_modules', 'better-sqlite3');
  const binary = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) return undefined;
  const { version } = JSON.parse(
    readFileSync(join(dir, 'package.json'), 'utf8'),
  );
  const abi = process.versions.modules;
  return {
    file: `/v${version}/better-sqlite3-v${version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`,
    tarball: execFileSync(
      'tar',
      ['-czf', '-', '-C', dir, 'build/Release/better_sqlite3.node'],
      { maxBuffer: 256 * 1024 * 1024 },
    ),
  };
}

export async function startLocalHost(
  root: string,
  port: number,
): Promise<LocalHost> {
  const manifest = JSON.stringify(releaseManifest(root));
  const sqlite = prebuiltSqlite(root);
  const server = createServer((req, res) => {
    if (req.url === '/v1/tags/main/manifest.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(manifest);
    } else if (sqlite && req.url === sqlite.file) {
      res
        .writeHead(200, { 'content-type': 'application/gzip' })
        .end(sqlite.tarball);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
