import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A real Tempo for tests that check the backend against it: TEMPO_TEST_URL, or 127.0.0.1:3200
 * when the project's `../shared/upstreams` folder exists (`../shared/upstreams/start.sh`). The
 * probe is synchronous, so that a suite can be skipped at definition time; `reason` says why
 * when there is none.
 */
export function findTempo(): { url?: string; reason: string } {
  let url = process.env.TEMPO_TEST_URL;
  if (!url) {
    let dir = process.cwd();
    while (
      dir !== dirname(dir) &&
      !existsSync(join(dir, 'shared/upstreams/start.sh'))
    ) {
      dir = dirname(dir);
    }
    if (dir === dirname(dir)) {
      return { reason: 'no TEMPO_TEST_URL and no ../shared/upstreams folder' };
    }
    url = 'http://127.0.0.1:3200';
  }
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(
        `${url}/ready`,
      )}).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ],
    { timeout: 10_000 },
  );
  if (probe.status !== 0) {
    return {
      reason: `Tempo at ${url} is not ready (start it with ../shared/upstreams/start.sh)`,
    };
  }
  return { url, reason: '' };
}

/** Tempo's OTLP/HTTP traces endpoint: TEMPO_TEST_OTLP_URL, else the shared one. */
export const TEMPO_OTLP_TRACES_URL =
  process.env.TEMPO_TEST_OTLP_URL ?? 'http://127.0.0.1:4318/v1/traces';

/** Tempo's answers to a busy moment ("job queue full", ingester not ready) rather than to the request. */
const BUSY = new Set([429, 503]);

/**
 * fetch() of the real Tempo that waits out a busy Tempo: a 429 or 503 is asked again, once a
 * second, for up to `patienceMs`. The shared Tempo serves other work too, and a test should
 * fail on what Tempo says about its request, not on how loaded it is.
 */
export async function fetchRealTempo(
  url: string | URL,
  init?: RequestInit,
  patienceMs = 120_000,
): Promise<Response> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const response = await fetch(url, init);
    if (!BUSY.has(response.status) || Date.now() > deadline) return response;
    await response.body?.cancel();
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}
