/*
 * Builds and packs the publishable packages with `yarn pack` (which runs the packages'
 * prepack/postpack), then checks what each tarball holds: built code, types, the config
 * schema and the README, and nothing of tests, fixtures or sources.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec';

export interface Packed {
  name: string;
  version: string;
  /** `backstage.role`, e.g. backend-plugin or backend-plugin-module. */
  role: string;
  dir: string;
  tarball: string;
}

/** Every workspace under plugins/ that is not private. */
export function publishablePackages(root: string): Packed[] {
  const listed = execFileSync('yarn', ['workspaces', 'list', '--json'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed
    .trim()
    .split('\n')
    .map(line => JSON.parse(line) as { name: string; location: string })
    .filter(w => w.location.startsWith('plugins/'))
    .map(w => {
      const pkg = JSON.parse(
        readFileSync(join(root, w.location, 'package.json'), 'utf8'),
      );
      return { pkg, dir: w.location };
    })
    .filter(({ pkg }) => !pkg.private)
    .map(({ pkg, dir }) => ({
      name: pkg.name,
      version: pkg.version,
      role: pkg.backstage?.role,
      dir,
      tarball: '',
    }));
}

export async function buildPackages(
  root: string,
  packages: Packed[],
  log: string,
) {
  // Declarations come from the repository-wide tsc (dist-types), which the builds bundle.
  await exec('yarn', ['tsc'], { cwd: root, log });
  for (const p of packages) {
    await exec('yarn', ['workspace', p.name, 'build'], { cwd: root, log });
  }
}

const FORBIDDEN = [
  /(^|\/)src\//,
  /__fixtures__|__testUtils__|__mocks__/,
  /\.test\.[cm]?[jt]sx?$/,
  /setupTests/,
  /(^|\/)(bench|dev)\//,
  /\.tsbuildinfo$/,
];

export async function packPackages(
  root: string,
  packages: Packed[],
  outDir: string,
  log: string,
): Promise<Packed[]> {
  const packed: Packed[] = [];
  for (const p of packages) {
    const tarball = join(
      outDir,
      `${p.name.replace('@', '').replace('/', '-')}-${p.version}.tgz`,
    );
    await exec('yarn', ['workspace', p.name, 'pack', '--out', tarball], {
      cwd: root,
      log,
    });
    checkTarball(p, tarball);
    packed.push({ ...p, tarball });
  }
  return packed;
}

function checkTarball(p: Packed, tarball: string) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(f => f.replace(/^package\//, ''));
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const problems: string[] = [];
  const need = ['package.json', 'README.md', 'dist/index.d.ts'];
  // prepack turns a frontend package's config.d.ts into config.schema.json.
  if (manifest.configSchema) need.push(manifest.configSchema);
  need.push(manifest.main);
  for (const file of need) {
    if (!files.includes(file)) problems.push(`missing ${file}`);
  }
  for (const file of files) {
    if (FORBIDDEN.some(re => re.test(file)))
      problems.push(`should not ship ${file}`);
  }
  if (manifest.private) problems.push('package.json is private');
  if (!String(manifest.main).startsWith('dist/')) {
    problems.push(`main is ${manifest.main}, not the build in dist/`);
  }
  const deps = JSON.stringify(manifest.dependencies ?? {});
  if (deps.includes('workspace:'))
    problems.push(`workspace: range left in ${deps}`);
  if (problems.length) {
    throw new Error(`${p.name} tarball: ${problems.join('; ')}`);
  }
  console.log(
    `install-proof:   ${p.name}@${p.version}: ${files.length} files, ${tarball}`,
  );
}
