/*
 * The backend as the Docker image runs it (packages/backend/Dockerfile): the production bundle
 * of `backstage-cli package build`, `NODE_ENV=production`, plain `node` (no TypeScript
 * transform, no source maps, no telemetry export unless configured). `startStack` uses it with
 * `production: true` (`yarn bench:browser --production`), so that the benchmark can set the
 * development backend beside the one platform teams deploy.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where and how to start the production backend built from this checkout. */
export function prepareProductionBackend(root: string): {
  cwd: string;
  args: string[];
  env: Record<string, string>;
} {
  execFileSync('yarn', ['workspace', 'backend', 'build'], {
    cwd: root,
    stdio: 'ignore',
  });
  const dir = mkdtempSync(join(tmpdir(), 'traces-backend-production-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  execFileSync('tar', [
    'xzf',
    join(root, 'packages/backend/dist/bundle.tar.gz'),
    '-C',
    dir,
  ]);
  linkNodeModules(root, dir);
  // The catalog's file locations are relative to the backend's directory, as in the checkout.
  for (const name of ['catalog-info.yaml', 'examples']) {
    symlinkSync(join(root, name), join(dir, name));
  }
  return {
    cwd: join(dir, 'packages/backend'),
    args: [
      '--require',
      join(root, 'packages/backend/src/instrumentation.js'),
      '.',
      '--config',
      join(root, 'app-config.yaml'),
    ],
    env: {
      NODE_ENV: 'production',
      // The benchmark signs in as the development guest.
      APP_CONFIG_auth_providers_guest_dangerouslyAllowOutsideDevelopment:
        'true',
    },
  };
}

/**
 * The repository's installed dependencies, except that the workspace packages resolve to
 * their built copies in the bundle (whose package.json points at dist/).
 */
function linkNodeModules(root: string, dir: string) {
  const built = new Map<string, string>();
  for (const group of ['packages', 'plugins']) {
    if (!existsSync(join(dir, group))) continue;
    for (const name of readdirSync(join(dir, group))) {
      const manifest = join(dir, group, name, 'package.json');
      if (existsSync(manifest)) {
        built.set(
          JSON.parse(readFileSync(manifest, 'utf8')).name,
          join(dir, group, name),
        );
      }
    }
  }
  const link = (from: string, to: string, name: string) => {
    const target = built.get(name) ?? join(from, name.split('/').pop()!);
    symlinkSync(target, join(to, name.split('/').pop()!));
  };
  const source = join(root, 'node_modules');
  const target = join(dir, 'node_modules');
  mkdirSync(target);
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('@')) {
      mkdirSync(join(target, entry));
      for (const scoped of readdirSync(join(source, entry))) {
        link(join(source, entry), join(target, entry), `${entry}/${scoped}`);
      }
    } else {
      link(source, target, entry);
    }
  }
}
