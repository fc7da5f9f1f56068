/*
 * The README's first run, in a real browser: the development default of `yarn start` (no
 * Tempo: the embedded store; the demo workload beside the backend; the backend and the browser
 * tracing themselves). Nothing is recorded or faked: every trace is made while the test runs.
 * Each step leaves a screenshot in .ci/out/ (the README's images are picked from them).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, ROOT, signedInPage, startDemoStack } from './stack';

const OUT = `${ROOT}.ci/out`;
// The platform's variables, as a deployment would set them: they become the resource attributes
// of every service here and the Traces tab's default filters.
const ENVIRONMENT = 'e2e';
const CLUSTER = 'e2e-cluster';
/** Traces arrive within seconds; the first search can wait for a slow machine. */
const ARRIVAL_MS = 180_000;

let stack: Awaited<ReturnType<typeof startDemoStack>>;
let browser: Browser;

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `${OUT}/demo-${name}.png` });
}

/**
 * Opens the entity's Traces tab and waits for a trace row matching `row`; the tab searches
 * again on "Refresh" until the trace has arrived and been indexed.
 */
async function openTracesTab(page: Page, entity: string, row: RegExp) {
  await page.goto(`${stack.baseUrl}/catalog/default/component/${entity}`);
  // The entity's tab, not the sidebar's "Traces" page.
  await page
    .locator(`a[href$="/component/${entity}/traces"]`)
    .click({ timeout: 60_000 });
  const list = page.getByRole('grid', { name: 'Traces' });
  const match = list.getByRole('row', { name: row }).first();
  const deadline = Date.now() + ARRIVAL_MS;
  for (;;) {
    try {
      await match.waitFor({ timeout: 15_000 });
      return match;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.reload();
    }
  }
}

describe(
  'yarn start’s default: the demo shop in the embedded store',
  { timeout: 900_000 },
  () => {
    before(async () => {
      mkdirSync(OUT, { recursive: true });
      stack = await startDemoStack({
        build: process.env.E2E_SKIP_BUILD !== '1',
        env: {
          TRACE_ENVIRONMENT: ENVIRONMENT,
          TRACE_CLUSTER_NAME: CLUSTER,
          // The browser reports the same environment, so its spans pass the same filter.
          APP_CONFIG_app_faro_environment: ENVIRONMENT,
        },
      });
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      stack?.stop();
    });

    it('follows a checkout through four services: spans, span details, logs, owners', async () => {
      const page = await signedInPage(browser, stack.baseUrl);
      // A checkout that went through (no error in the row) with all its spans: 22 across the
      // four services (a trace whose last export has not arrived yet has fewer).
      const checkout = await openTracesTab(
        page,
        'frontend',
        /^frontend POST \/api\/checkout, .*, 2\d spans$/,
      );
      await screenshot(page, '1-traces-tab');

      await checkout.click();
      const waterfall = page.getByRole('treegrid', { name: 'Trace waterfall' });
      for (const service of [
        'frontend',
        'orders-api',
        'inventory-api',
        'payments-api',
      ]) {
        await waterfall
          .getByRole('row', { name: new RegExp(`, ${service}, `) })
          .first()
          .waitFor({ timeout: 60_000 });
      }
      // The database spans of the services, from the knex instrumentation.
      await waterfall
        .getByRole('row', { name: /^insert .*orders, orders-api, / })
        .waitFor();
      await screenshot(page, '2-trace');

      // The payments handler: its span holds the payment's log line.
      await waterfall
        .getByRole('row', {
          name: /^request handler - \/payments, payments-api, /,
        })
        .click();
      await page
        .getByRole('heading', {
          name: 'request handler - /payments',
          exact: true,
        })
        .waitFor();
      await screenshot(page, '3-span-details');

      await page
        .getByRole('tablist', { name: 'Span panel' })
        .getByRole('tab', { name: /^Logs/ })
        .click();
      const logs = page.getByRole('list', { name: 'Logs' });
      await logs
        .getByText(/order \d+: (captured [\d.]+ EUR|card declined)/)
        .first()
        .waitFor({ timeout: 60_000 });
      await screenshot(page, '4-span-logs');

      // The dependencies around orders-api: its caller and the two services it calls, each
      // with the team that owns it in the catalog.
      await page.goto(
        `${stack.baseUrl}/catalog/default/component/orders-api/traces`,
      );
      await page
        .getByRole('tablist', { name: 'Traces views' })
        .getByRole('tab', { name: 'Dependencies' })
        .click({ timeout: 60_000 });
      const owners: Record<string, string> = {
        frontend: 'Shop team',
        'orders-api': 'Shop team',
        'inventory-api': 'Warehouse team',
        'payments-api': 'Payments team',
      };
      for (const [service, team] of Object.entries(owners)) {
        const node = page.getByRole('group', { name: `Service ${service}` });
        // The owner's link shows the group's title once the catalog has answered.
        await node
          .getByRole('link', { name: team, exact: true })
          .waitFor({ timeout: 60_000 });
        assert.match((await node.textContent()) ?? '', /owned by /);
      }
      // Against the catalog: frontend → orders-api is declared (dependsOn, and the orders API
      // it consumes); the in-memory SQLite database the spans call is declared nowhere, so its
      // edge is highlighted; orders-db is declared but no span names it, so it is dashed.
      await page
        .getByRole('list', { name: 'Dependency legend' })
        .waitFor({ timeout: 60_000 });
      const state = (edge: string) =>
        page.getByTestId(`edge-${edge}`).getAttribute('data-dependency');
      assert.equal(
        await state('frontend->orders-api'),
        'declared-and-observed',
      );
      assert.equal(await state('orders-api->orders-db'), 'declared-not-seen');
      const undeclared = page.locator(
        '[data-testid^="edge-orders-api->"][data-dependency="observed-not-declared"]',
      );
      await undeclared.first().waitFor({ timeout: 60_000 });
      assert.match(
        (await undeclared.first().locator('title').textContent()) ?? '',
        /^orders-api → \S+: [\d.k]+ calls? · .* · not declared in the catalog$/,
      );
      const list = page.getByRole('table', {
        name: 'Declared and observed dependencies',
      });
      await list
        .getByRole('row', {
          name: /^Observed, not declared Depends on .*not in the catalog/,
        })
        .first()
        .waitFor({ timeout: 60_000 });
      await list
        .getByRole('row', {
          name: /^Declared and observed Dependent .*frontend/i,
        })
        .waitFor({ timeout: 60_000 });
      await screenshot(page, '5-dependencies');

      // The same comparison across the shop system's components, on the System's page.
      await page.goto(
        `${stack.baseUrl}/catalog/default/system/shop/traced-dependencies`,
      );
      await page
        .getByRole('group', { name: 'Service payments-api' })
        .getByText('in this system')
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('table', { name: 'Declared and observed dependencies' })
        .getByRole('row', {
          name: /^Declared and observed .*(Orders API|orders-api).*(Payments API|payments-api)/,
        })
        .first()
        .waitFor({ timeout: 60_000 });
      await screenshot(page, '5b-system-dependencies');
      await page.close();
    });

    it('opens a trace from an exemplar of the RED summary', async () => {
      const page = await signedInPage(browser, stack.baseUrl);
      await openTracesTab(page, 'frontend', /^frontend POST \/api\/checkout, /);
      // The span rate chart marks spans behind it; each is a button that opens its trace.
      const marker = page
        .getByRole('region', { name: 'Span rate' })
        .getByRole('button', { name: /^Open trace [0-9a-f]{8} \(/ })
        .last();
      await marker.waitFor({ timeout: 60_000 }).catch(async error => {
        // Say what the chart showed instead (no exemplars, an error, still loading).
        await screenshot(page, 'failed-exemplar');
        const chart = await page
          .getByRole('region', { name: 'Span rate' })
          .innerText({ timeout: 1_000 })
          .catch(() => 'no "Span rate" region');
        throw new Error(`${error.message}\nthe Span rate chart: ${chart}`);
      });
      // MUI opens a tooltip on focus only when Chromium deems it focus-visible, which a
      // scripted focus after the mouse click that opened the tab is not; hovering always is.
      await marker.hover();
      const tooltip = page.getByRole('tooltip');
      await tooltip.waitFor();
      const traceId = /Trace ([0-9a-f]{32})/.exec(
        (await tooltip.textContent()) ?? '',
      )?.[1];
      assert.ok(traceId, 'the tooltip names the trace');
      await screenshot(page, '6-exemplar');

      // The marker is a button: the keyboard opens it as the mouse would.
      await marker.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`[?&]traceId=${traceId}`));
      await page
        .getByRole('treegrid', { name: 'Trace waterfall' })
        .getByRole('row', { name: /, frontend, / })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.close();
    });

    it('shows the app tracing itself: the browser’s requests joined to the backend’s spans, with the platform’s resource attributes', async () => {
      const page = await signedInPage(browser, stack.baseUrl);
      // Opening the app made fetches from the browser (service backstage-traces) that carried a
      // `traceparent` to the backend (backstage-traces-backend).
      const joined = await openTracesTab(
        page,
        'backstage-traces',
        // A browser fetch with the backend's spans below it: more than a handful.
        /^backstage-traces .*, (\d\d+|[5-9]) spans$/,
      );
      await joined.click();
      const waterfall = page.getByRole('treegrid', { name: 'Trace waterfall' });
      const backendSpan = waterfall
        .getByRole('row', { name: /, backstage-traces-backend, / })
        .first();
      await backendSpan.waitFor({ timeout: 60_000 });
      await backendSpan.click();
      const details = page
        .getByRole('tabpanel')
        .filter({ hasText: 'k8s.cluster.name' });
      await details.waitFor({ timeout: 60_000 });
      const text = (await details.textContent()) ?? '';
      assert.match(text, new RegExp(CLUSTER));
      assert.match(text, /deployment\.environment/);
      await screenshot(page, '6-self-trace');
      await page.close();
    });

    it('shows the team view of a group: components through child groups, operations, and a span’s code line', async () => {
      const page = await signedInPage(browser, stack.baseUrl);
      // Engineering owns nothing itself: its child teams own the shop's services and the app.
      await page.goto(
        `${stack.baseUrl}/catalog/default/group/engineering/traces`,
      );
      const table = page.getByRole('table', { name: 'Components of the team' });
      const rated = (title: string) =>
        table
          .getByRole('row')
          .filter({ has: page.getByRole('link', { name: title, exact: true }) })
          .filter({ hasText: /\/(s|min|h)/ });
      const deadline = Date.now() + ARRIVAL_MS;
      for (;;) {
        try {
          for (const title of [
            'Shop frontend',
            'Orders API',
            'Payments API',
            'Inventory API',
          ]) {
            await rated(title).waitFor({ timeout: 15_000 });
          }
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await page.reload();
        }
      }
      // The gateway of the example catalog sends nothing in the demo; the worker has no annotation.
      await page
        .getByRole('alert')
        .filter({ hasText: /no traces in this range: .*Web gateway/ })
        .waitFor();
      await page
        .getByRole('alert')
        .filter({
          hasText:
            /no opentelemetry\.io\/service-name annotation.*Payments worker/,
        })
        .waitFor();
      const slowest = page.getByRole('table', { name: 'Slowest operations' });
      await slowest.getByRole('row').nth(1).waitFor();
      await table.getByRole('button', { name: 'p95' }).click();
      assert.equal(
        await table
          .getByRole('columnheader', { name: 'p95' })
          .getAttribute('aria-sort'),
        'descending',
      );
      await screenshot(page, '7-team');

      // Into a component's tab, on the same range; the fraud check span says where its code is.
      await table
        .getByRole('link', { name: 'Payments API', exact: true })
        .click();
      await page.waitForURL(/\/component\/payments-api\/traces\?range=1h$/);
      await page.goto(
        `${stack.baseUrl}/catalog/default/component/payments-api/traces?spanName=fraud+check`,
      );
      const list = page.getByRole('grid', { name: 'Traces' });
      await list
        .getByRole('row', { name: /^frontend POST \/api\/checkout/ })
        .first()
        .click({ timeout: 60_000 });
      await page
        .getByRole('treegrid', { name: 'Trace waterfall' })
        .getByRole('row', { name: /^fraud check, payments-api, / })
        .click({ timeout: 60_000 });
      const code = page.getByRole('link', { name: /^payments-api\.js:\d+/ });
      await code.waitFor({ timeout: 60_000 });
      assert.match(
        (await code.getAttribute('href')) ?? '',
        /^https:\/\/github\.com\/backstage-traces\/backstage-traces\/tree\/main\/examples\/demo-workload\/src\/services\/payments-api\.js#L\d+$/,
      );
      await screenshot(page, '8-code-link');
      await page.close();
    });
  },
);
