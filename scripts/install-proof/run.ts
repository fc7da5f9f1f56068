/*
 * Proves that the published packages install into someone else's Backstage app: packs every
 * plugin, creates a fresh app with @backstage/create-app from the npm registry, installs the
 * tarballs as the README says (backend.add(import(...)); new frontend system by feature
 * discovery; a legacy app's EntityPage), starts it against the fake Tempo and checks in
 * Chromium that an entity's Traces tab lists traces and opens one.
 *
 *   yarn install-proof [--report out.tap]
 *
 * Environment: INSTALL_PROOF_DIR (work directory, default $TMPDIR/backstage-traces-install-proof;
 * it is wiped first and kept afterwards for inspection), INSTALL_PROOF_PORT (first of three
 * ports: backend, fake Tempo, local stand-in for download hosts; default 7182), CHROMIUM_PATH.
 * Installs reuse Yarn's global cache, so only the first run downloads the app's packages.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, startService, waitForUrl, type Service } from './exec';
import { Steps } from './steps';
import {
  buildPackages,
  packPackages,
  publishablePackages,
  type Packed,
} from './pack';
import {
  CREATE_APP_VERSION,
  ENTITY,
  addPlugins,
  bumpToRelease,
  createApps,
  installApp,
} from './freshApp';
import { startLocalHost, type LocalHost } from './localHost';
import { checkTracesTab } from './browser';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const WORK_DIR =
  process.env.INSTALL_PROOF_DIR ??
  join(tmpdir(), 'backstage-traces-install-proof');
const PORT = Number(process.env.INSTALL_PROOF_PORT ?? 7182);
const BACKEND_URL = `http://localhost:${PORT}`;
const TEMPO_PORT = PORT + 1;
const LOCAL_HOST_PORT = PORT + 2;
const reportIndex = process.argv.indexOf('--report');
const REPORT = reportIndex === -1 ? undefined : process.argv[reportIndex + 1];

const LOGS = join(WORK_DIR, 'logs');
const log = (name: string) => join(LOGS, `${name}.log`);

const STEPS = {
  build: 'build the packages (yarn tsc, backstage-cli package build)',
  pack: 'pack them (yarn pack) and check what the tarballs hold',
  create: `create a fresh app and a legacy app with @backstage/create-app@${CREATE_APP_VERSION}`,
  bump: "move the app to this repository's Backstage release (versions:bump)",
  add: 'add the plugins as the README says',
  install: 'yarn install in the fresh app',
  tsc: 'type-check the fresh app against the packed types (yarn tsc)',
  buildApps: 'build both frontends (new frontend system and legacy)',
  start:
    'start the fake Tempo and the backend serving the new-frontend-system app',
  tabNew:
    'Chromium: the Traces tab lists traces and opens one (new frontend system)',
  restart: 'restart the backend serving the legacy app',
  tabLegacy:
    'Chromium: the Traces tab lists traces and opens one (legacy EntityPage)',
};

async function main() {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  console.log(`install-proof: working in ${WORK_DIR} (logs in ${LOGS})`);

  const steps = new Steps(Object.values(STEPS));
  const services: Service[] = [];
  let packages: Packed[] = publishablePackages(ROOT);
  let appDir = '';
  let backend: Service | undefined;
  const tempoUrl = `http://127.0.0.1:${TEMPO_PORT}`;
  const options = { root: ROOT, workDir: WORK_DIR, log: log('create-app') };
  const localHost: LocalHost = await startLocalHost(ROOT, LOCAL_HOST_PORT);

  const startBackend = async (appPackage: string) => {
    await backend?.stop();
    backend = startService('yarn', ['workspace', 'backend', 'start'], {
      cwd: appDir,
      log: log(`backend-${appPackage}`),
      env: {
        LOG_LEVEL: 'warn',
        APP_CONFIG_backend_listen_port: String(PORT),
        APP_CONFIG_backend_baseUrl: BACKEND_URL,
        APP_CONFIG_app_baseUrl: BACKEND_URL,
        APP_CONFIG_app_packageName: appPackage,
      },
    });
    services.push(backend);
    await waitForUrl(
      `${BACKEND_URL}/.backstage/health/v1/readiness`,
      300_000,
      backend,
      log(`backend-${appPackage}`),
    );
  };
  const tab = () =>
    checkTracesTab({
      baseUrl: BACKEND_URL,
      entityPath: `/catalog/default/component/${ENTITY.name}/traces`,
      row: /, 2000 spans/,
      rootSpan: /^POST \/api\/v1\/checkout, web-gateway/,
    });

  try {
    await steps.run(STEPS.build, () =>
      buildPackages(ROOT, packages, log('build')),
    );
    await steps.run(STEPS.pack, async () => {
      console.log(`install-proof:   ${packages.map(p => p.name).join(', ')}`);
      packages = await packPackages(ROOT, packages, WORK_DIR, log('pack'));
    });
    await steps.run(STEPS.create, async () => {
      appDir = await createApps(options);
    });
    await steps.run(STEPS.bump, async () => {
      const release = await bumpToRelease(
        { ...options, log: log('versions-bump') },
        appDir,
        localHost.url,
      );
      console.log(`install-proof:   the app is on Backstage ${release}`);
    });
    await steps.run(STEPS.add, async () =>
      addPlugins(appDir, packages, tempoUrl),
    );
    await steps.run(STEPS.install, () => installApp(appDir, log('install')));
    await steps.run(STEPS.tsc, () =>
      exec('yarn', ['tsc'], { cwd: appDir, log: log('tsc') }),
    );
    await steps.run(STEPS.buildApps, async () => {
      for (const app of ['app', 'app-legacy']) {
        await exec('yarn', ['workspace', app, 'build'], {
          cwd: appDir,
          log: log(`build-${app}`),
        });
      }
    });
    await steps.run(STEPS.start, async () => {
      const tempo = startService(
        'yarn',
        [
          'workspace',
          '@backstage-traces/plugin-traces-backend',
          'fake-tempo',
          '--port',
          String(TEMPO_PORT),
          '--spans',
          '2000',
        ],
        { cwd: ROOT, log: log('fake-tempo') },
      );
      services.push(tempo);
      await waitForUrl(`${tempoUrl}/ready`, 120_000, tempo, log('fake-tempo'));
      await startBackend('app');
    });
    await steps.run(STEPS.tabNew, tab);
    await steps.run(STEPS.restart, () => startBackend('app-legacy'));
    await steps.run(STEPS.tabLegacy, tab);
  } finally {
    for (const service of services.reverse()) await service.stop();
    localHost.close();
    steps.finish(REPORT);
  }
  process.exitCode = steps.failed ? 1 : 0;
}

main().catch(error => {
  console.error('install-proof:', error);
  process.exitCode = 1;
});
