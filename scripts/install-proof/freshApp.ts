/*
 * The fresh Backstage app of the proof: created by @backstage/create-app from the npm
 * registry, moved to this repository's Backstage release, and wired up with the packed
 * plugins exactly as the README tells users to.
 */
import {
  appendFileSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { exec } from './exec';
import type { Packed } from './pack';

/**
 * The newest @backstage/create-app. It scaffolds the 1.55.0 release; no create-app release
 * scaffolds 1.57.0, so `bumpToRelease` moves the app to this repository's release afterwards,
 * as `backstage-cli versions:bump` does for every Backstage app.
 */
export const CREATE_APP_VERSION = '0.9.2';

/** The better-sqlite3 the README has apps resolve to (this repository's, too). */
const BETTER_SQLITE3 = '^13.2.0';

export interface AppOptions {
  root: string;
  workDir: string;
  log: string;
}

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeJson(file: string, value: unknown) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Creates the app (new frontend system) in `<workDir>/app`, plus the legacy template's app
 * package as `packages/app-legacy` of the same monorepo, so that one install serves both.
 */
export async function createApps({
  workDir,
  log,
}: AppOptions): Promise<string> {
  const appDir = join(workDir, 'app');
  const legacyDir = join(workDir, 'legacy');
  const create = (path: string, extra: string[]) =>
    exec(
      'npx',
      [
        '--yes',
        `@backstage/create-app@${CREATE_APP_VERSION}`,
        '--skip-install',
        '--path',
        path,
        ...extra,
      ],
      { cwd: workDir, log, env: { BACKSTAGE_APP_NAME: 'traces-proof' } },
    );
  await create(appDir, []);
  await create(legacyDir, ['--legacy']);

  renameSync(
    join(legacyDir, 'packages', 'app'),
    join(appDir, 'packages', 'app-legacy'),
  );
  rmSync(legacyDir, { recursive: true, force: true });
  const legacyPackage = join(appDir, 'packages', 'app-legacy', 'package.json');
  writeJson(legacyPackage, { ...readJson(legacyPackage), name: 'app-legacy' });
  // The backend can then serve either frontend (app.packageName).
  const backendPackage = join(appDir, 'packages', 'backend', 'package.json');
  const backend = readJson(backendPackage);
  backend.dependencies['app-legacy'] = 'link:../app-legacy';
  writeJson(backendPackage, backend);
  return appDir;
}

/**
 * Moves the app to this repository's release with `backstage-cli versions:bump`. The release
 * manifest (what versions.backstage.io serves) is made from this repository's lockfile and
 * served locally; packages the repository does not use follow their `latest` tag, as
 * versions:bump does. Fails unless the app ends up on the repository's release.
 */
export async function bumpToRelease(
  { root, log }: AppOptions,
  appDir: string,
  versionsBaseUrl: string,
): Promise<string> {
  await exec(
    join(root, 'node_modules', '.bin', 'backstage-cli'),
    ['versions:bump', '--release', 'main', '--skip-install', '--skip-migrate'],
    { cwd: appDir, log, env: { BACKSTAGE_VERSIONS_BASE_URL: versionsBaseUrl } },
  );
  const wanted = readJson(join(root, 'backstage.json')).version;
  const got = readJson(join(appDir, 'backstage.json')).version;
  if (got !== wanted) {
    throw new Error(
      `the app is on Backstage ${got}, this repository on ${wanted}`,
    );
  }
  return got;
}

/**
 * `yarn install` with third-party build scripts off, as this repository installs (the
 * template's OpenAPI parsers and CLI keychain compile native code the proof never runs).
 * better-sqlite3 13 (see addPlugins) needs no build script: its binary ships in the package.
 */
export async function installApp(appDir: string, log: string) {
  await exec('yarn', ['install'], {
    cwd: appDir,
    log,
    // CI=true would make Yarn refuse to write the new app's lockfile.
    env: {
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
      YARN_ENABLE_SCRIPTS: 'false',
    },
  });
}

/** The catalog entity the proof opens: a service whose traces the fake Tempo serves. */
export const ENTITY = {
  name: 'web-gateway',
  serviceName: 'web-gateway',
};

/**
 * Installs the tarballs the way the README says: `yarn add` of the backend and frontend
 * packages (written straight into package.json, so that one `yarn install` does it all),
 * `backend.add(import(...))`, feature discovery in the new frontend system (nothing to do:
 * `app.packages: all` is the template's default), an EntityPage route in the legacy app, the
 * `traces.tempo.baseUrl` setting, the annotation on a catalog entity, and the better-sqlite3
 * resolution for Node 24. The tarball resolutions stand in for the npm registry: the packages
 * depend on each other by version.
 */
export function addPlugins(appDir: string, packed: Packed[], tempoUrl: string) {
  const rootPackage = join(appDir, 'package.json');
  const root = readJson(rootPackage);
  root.resolutions = {
    ...root.resolutions,
    // The README's Node 24 step: the template's better-sqlite3 12 aborts Node 24.19+.
    'better-sqlite3': BETTER_SQLITE3,
    ...Object.fromEntries(packed.map(p => [p.name, `file:${p.tarball}`])),
  };
  writeJson(rootPackage, root);

  const range = (name: string) => {
    const found = packed.find(p => p.name === name);
    if (!found) throw new Error(`${name} was not packed`);
    return `^${found.version}`;
  };
  const addDependency = (workspace: string, name: string) => {
    const file = join(appDir, 'packages', workspace, 'package.json');
    const pkg = readJson(file);
    pkg.dependencies[name] = range(name);
    writeJson(file, pkg);
  };
  // Every backend plugin and module (the traces backend, the search module).
  const backendPackages = packed
    .filter(p => ['backend-plugin', 'backend-plugin-module'].includes(p.role))
    .map(p => p.name);
  backendPackages.forEach(name => addDependency('backend', name));
  addDependency('app', '@backstage-traces/plugin-traces');
  addDependency('app-legacy', '@backstage-traces/plugin-traces');

  const backendIndex = join(appDir, 'packages', 'backend', 'src', 'index.ts');
  const backendSource = readFileSync(backendIndex, 'utf8');
  if (!backendSource.includes('backend.start();')) {
    throw new Error(`no backend.start() in ${backendIndex}`);
  }
  writeFileSync(
    backendIndex,
    backendSource.replace(
      'backend.start();',
      `${backendPackages
        .map(name => `backend.add(import('${name}'));`)
        .join('\n')}\n\nbackend.start();`,
    ),
  );

  const entityPage = join(
    appDir,
    'packages',
    'app-legacy',
    'src',
    'components',
    'catalog',
    'EntityPage.tsx',
  );
  const page = readFileSync(entityPage, 'utf8');
  const anchor = /(const serviceEntityPage = \(\s*<EntityLayout>\n)/;
  if (!anchor.test(page))
    throw new Error(`no serviceEntityPage in ${entityPage}`);
  // The team view as the last tab of the group page.
  const groupAnchor =
    /(const groupPage = \(\s*<EntityLayout>[\s\S]*?)(\n  <\/EntityLayout>\n\);)/;
  if (!groupAnchor.test(page)) throw new Error(`no groupPage in ${entityPage}`);
  // Declared against observed dependencies as the last tab of the system page.
  const systemAnchor =
    /(const systemPage = \(\s*<EntityLayout>[\s\S]*?)(\n  <\/EntityLayout>\n\);)/;
  if (!systemAnchor.test(page))
    throw new Error(`no systemPage in ${entityPage}`);
  writeFileSync(
    entityPage,
    `import {\n  EntitySystemDependenciesContent,\n  EntityTeamTracesContent,\n  EntityTracesContent,\n  isTracesAvailable,\n} from '@backstage-traces/plugin-traces';\n${page
      .replace(
        anchor,
        `$1    <EntityLayout.Route path="/traces" title="Traces" if={isTracesAvailable}>\n      <EntityTracesContent />\n    </EntityLayout.Route>\n\n`,
      )
      .replace(
        groupAnchor,
        `$1\n    <EntityLayout.Route path="/traces" title="Traces">\n      <EntityTeamTracesContent />\n    </EntityLayout.Route>$2`,
      )
      .replace(
        systemAnchor,
        `$1\n    <EntityLayout.Route path="/traced-dependencies" title="Traced dependencies">\n      <EntitySystemDependenciesContent />\n    </EntityLayout.Route>$2`,
      )}`,
  );

  appendFileSync(
    join(appDir, 'app-config.yaml'),
    `\ntraces:\n  tempo:\n    baseUrl: ${tempoUrl}\n`,
  );
  appendFileSync(
    join(appDir, 'examples', 'entities.yaml'),
    [
      '---',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: ${ENTITY.name}`,
      '  annotations:',
      `    opentelemetry.io/service-name: ${ENTITY.serviceName}`,
      'spec:',
      '  type: service',
      '  lifecycle: production',
      '  owner: guests',
      '  system: examples',
      '',
    ].join('\n'),
  );
}
