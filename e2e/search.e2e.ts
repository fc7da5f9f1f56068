/*
 * Browser tests of the ways into traces besides the entity tab: Backstage search (the traces
 * collator indexes the fake Tempo's services) and a Grafana trace link opened signed out.
 * Part of `yarn test:e2e` (the files run one after another); it builds the app unless E2E_SKIP_BUILD=1.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, signedInPage, startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;

const ROUTE = '/api/orders/{id}';

async function searchTraces(baseUrl: string, term: string) {
  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  const token = (await refresh.json()).backstageIdentity?.token;
  const query = new URLSearchParams({ term, 'types[0]': 'traces' });
  const res = await fetch(`${baseUrl}/api/search/query?${query}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.ok ? ((await res.json()).results as unknown[]) : [];
}

/** The collator runs on a schedule; wait until a search for `term` finds traced services. */
async function waitForIndexed(
  baseUrl: string,
  term: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await searchTraces(baseUrl, term)).length > 0) return;
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  const byName = await searchTraces(baseUrl, 'orders-api');
  throw new Error(
    `search found no traced service for ${term}; for orders-api: ${JSON.stringify(
      byName,
    ).slice(0, 400)}`,
  );
}

describe(
  'traces in search and from Grafana links',
  { timeout: 900_000 },
  () => {
    before(async () => {
      stack = await startStack({
        spans: [2000],
        build: process.env.E2E_SKIP_BUILD !== '1',
        backendEnv: {
          // index soon after start and again once the catalog has surely filled
          APP_CONFIG_search_collators_traces_schedule: JSON.stringify({
            initialDelay: { seconds: 5 },
            frequency: { seconds: 20 },
            timeout: { minutes: 2 },
          }),
        },
      });
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      stack?.stop();
    });

    it('finds the component that serves a route, and opens its Traces tab', async () => {
      await waitForIndexed(stack.baseUrl, ROUTE, 180_000);
      const page = await signedInPage(browser, stack.baseUrl);
      await page.goto(
        `${stack.baseUrl}/search?query=${encodeURIComponent(ROUTE)}`,
      );
      const result = page.getByRole('link', { name: 'shop/orders-api' });
      await result.click({ timeout: 60_000 });
      await page.waitForURL(
        /\/catalog\/default\/component\/orders-api\/traces/,
        {
          timeout: 60_000,
        },
      );
      await page
        .getByRole('tab', { name: 'Traces', selected: true })
        .waitFor({ timeout: 60_000 });
      await page.close();
    });

    it('opens a Grafana trace link signed out: sign-in, then the trace with its owners', async () => {
      const page = await browser.newPage({
        viewport: { width: 1600, height: 1000 },
      });
      const traceId = stack.traces[0].traceId;
      // as Grafana shows it: leading zeros stripped
      const stripped = traceId.replace(/^0+/, '');
      await page.goto(
        `${stack.baseUrl}/api/traces/links/trace/${stripped}?from=${
          Date.now() - 3_600_000
        }&to=${Date.now()}`,
      );
      await page
        .getByRole('button', { name: /enter/i })
        .click({ timeout: 60_000 });
      const owners = page.getByLabel('Services and owners');
      await owners.waitFor({ timeout: 60_000 });
      assert.ok(page.url().includes(`/traces/trace/${traceId}`), page.url());
      assert.match((await owners.textContent()) ?? '', /web-gateway/);
      await page
        .getByRole('treegrid', { name: 'Trace waterfall' })
        .waitFor({ timeout: 60_000 });
      await page.close();
    });
  },
);
