/*
 * End-to-end tests in a real browser: Debian's Chromium driven by playwright-core, against
 * the Backstage backend serving the production app, with the fake Tempo behind it.
 * Run with `yarn test:e2e` (part of `.ci/run`); it builds the app first unless
 * E2E_SKIP_BUILD=1, and needs /usr/bin/chromium (`apt-get install chromium`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, signedInPage, startStack, type Stack } from './stack';

let stack: Stack;
let browser: Browser;

describe('the Traces tab in a browser', { timeout: 600_000 }, () => {
  before(async () => {
    // Always test the current code: the production build takes about half a minute.
    // 2,000 spans open whole; 6,000 are over the (lowered) window threshold.
    stack = await startStack({
      spans: [2000, 6000],
      build: process.env.E2E_SKIP_BUILD !== '1',
      backendEnv: {
        APP_CONFIG_traces_largeTraces_windowThreshold: '5000',
        APP_CONFIG_traces_largeTraces_windowSpans: '1000',
      },
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    stack?.stop();
  });

  it('lists the entity’s traces with the exact TraceQL sent to Tempo', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces`,
    );
    const list = page.getByRole('grid', { name: 'Traces' });
    const generated = list.getByRole('row', {
      name: /POST \/api\/v1\/checkout/,
    });
    await generated.first().waitFor({ timeout: 60_000 });
    const query = await page.getByLabel('TraceQL sent to Tempo').textContent();
    assert.match(query ?? '', /resource\.service\.name = "web-gateway"/);
    await page.close();
  });

  it('opens a trace from the list: waterfall, span details, shareable URL', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces`,
    );
    await page
      .getByRole('grid', { name: 'Traces' })
      .getByRole('row', { name: /POST \/api\/v1\/checkout.*, 2000 spans/ })
      .click({ timeout: 60_000 });

    const waterfall = page.getByRole('treegrid', { name: 'Trace waterfall' });
    const root = waterfall.getByRole('row', {
      name: /^POST \/api\/v1\/checkout, web-gateway/,
    });
    await root.waitFor({ timeout: 60_000 });
    assert.ok(
      page.url().includes(`traceId=${stack.traces[0].traceId}`),
      page.url(),
    );

    await root.click();
    await page
      .getByRole('heading', { name: 'POST /api/v1/checkout', exact: true })
      .waitFor();
    assert.ok(page.url().includes('spanId='), page.url());

    // Collapsing the root leaves it as the only row.
    await root
      .getByRole('button', { name: /^Collapse POST \/api\/v1\/checkout/ })
      .click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[aria-label="Trace waterfall"] [role="row"]')
          .length === 1,
    );
    await page.close();
  });

  it('fits a 1024 px window with the sidebar open: no sideways scroll, span details in view', async () => {
    const page = await signedInPage(browser, stack.baseUrl, {
      width: 1024,
      height: 800,
    });
    const sideways = () =>
      page.evaluate(
        () =>
          document.documentElement.scrollWidth -
          document.documentElement.clientWidth,
      );
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces`,
    );
    const row = page
      .getByRole('grid', { name: 'Traces' })
      .getByRole('row', { name: /POST \/api\/v1\/checkout.*, 2000 spans/ });
    await row.waitFor({ timeout: 60_000 });
    // Backstage's sidebar is open (pinned) at this width.
    assert.ok(
      await page.getByRole('link', { name: 'Catalog' }).first().isVisible(),
    );
    assert.equal(await sideways(), 0, 'the trace list scrolls sideways');

    await row.click();
    const root = page
      .getByRole('treegrid', { name: 'Trace waterfall' })
      .getByRole('row', { name: /^POST \/api\/v1\/checkout, web-gateway/ });
    await root.click({ timeout: 60_000 });
    const heading = page.getByRole('heading', {
      name: 'POST /api/v1/checkout',
      exact: true,
    });
    await heading.waitFor();
    // The details are on screen where the row was clicked, without scrolling the page.
    const box = (await heading.boundingBox())!;
    assert.ok(
      box.x >= 0 && box.x + box.width <= 1024,
      `details at x ${box.x}..${box.x + box.width}`,
    );
    assert.ok(
      box.y >= 0 && box.y + box.height <= 800,
      `details at y ${box.y}..${box.y + box.height}`,
    );
    assert.equal(await sideways(), 0, 'the trace view scrolls sideways');
    await page.close();
  });

  it('finds the text of a span event and says where it matched', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces?traceId=${stack.traces[0].traceId}`,
    );
    await page
      .getByRole('treegrid', { name: 'Trace waterfall' })
      .waitFor({ timeout: 60_000 });
    // Only log-like events of the generated trace say this (their `message` attribute).
    await page.getByRole('textbox', { name: 'Search spans' }).fill('backoff');
    await page
      .getByText(/^Matched in event "[^"]+" message$/)
      .waitFor({ timeout: 30_000 });
    await page.getByText(/^1 of \d+$/).waitFor();
    await page.close();
  });

  it('opens a trace over the window threshold in windows and loads more on request', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces`,
    );
    await page
      .getByRole('grid', { name: 'Traces' })
      .getByRole('row', { name: /, 6000 spans/ })
      .click({ timeout: 60_000 });
    const notice = page.getByTestId('trace-window');
    await notice
      .getByText('Large trace: 1,000 of 6,000 spans loaded')
      .waitFor({ timeout: 60_000 });
    assert.match(
      (await notice.textContent()) ?? '',
      /5,000 spans( \(\d+ with errors\))? are not loaded yet/,
    );
    assert.ok(
      page.url().includes(`traceId=${stack.traces[1].traceId}`),
      page.url(),
    );

    const waterfall = page.getByRole('treegrid', { name: 'Trace waterfall' });
    const rowsBefore = await waterfall.getByRole('row').count();
    await waterfall
      .getByRole('button', { name: /^Load \d+ spans not loaded below/ })
      .first()
      .click();
    await page.waitForFunction(
      () =>
        !/Large trace: 1,000 of/.test(
          document.querySelector('[data-testid="trace-window"]')?.textContent ??
            '',
        ),
      undefined,
      { timeout: 60_000 },
    );
    const text = (await notice.textContent()) ?? '';
    const loaded = Number(
      /Large trace: ([\d,]+) of/.exec(text)![1].replace(/,/g, ''),
    );
    assert.ok(loaded > 1000 && loaded <= 2000, text);
    assert.ok((await waterfall.getByRole('row').count()) >= rowsBefore);
    await page.close();
  });

  it('downloads a trace as OTLP JSON and opens that file again, without asking the backend', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    const { traceId } = stack.traces[0];
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces?traceId=${traceId}`,
    );
    await page
      .getByRole('treegrid', { name: 'Trace waterfall' })
      .getByRole('row')
      .first()
      .waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Download the trace/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `trace-${traceId}.otlp.json`);
    const file = join(
      mkdtempSync(join(tmpdir(), 'trace-download-')),
      download.suggestedFilename(),
    );
    await download.saveAs(file);
    const otlp = JSON.parse(readFileSync(file, 'utf8'));
    const spans = otlp.resourceSpans.flatMap((r: any) =>
      r.scopeSpans.flatMap((s: any) => s.spans),
    );
    assert.equal(spans.length, stack.traces[0].spans);
    assert.equal(spans[0].traceId, traceId);

    // Open it from the Traces page: read in the browser, nothing asked of the trace routes.
    await page.goto(`${stack.baseUrl}/traces`);
    const asked: string[] = [];
    page.on('request', request => {
      if (/\/api\/traces\/(traces|logs)/.test(request.url()))
        asked.push(request.url());
    });
    await page.getByLabel('Trace file').setInputFiles(file);
    const dialog = page.getByRole('dialog', {
      name: `Trace from file trace-${traceId}.otlp.json`,
    });
    await dialog
      .getByRole('treegrid', { name: 'Trace waterfall' })
      .getByRole('row', { name: /^POST \/api\/v1\/checkout, web-gateway/ })
      .waitFor({ timeout: 60_000 });
    await dialog.getByText(/From file/).waitFor();
    if (process.env.E2E_SCREENSHOTS) {
      await page.screenshot({
        path: `${process.env.E2E_SCREENSHOTS}/trace-from-file.png`,
      });
    }
    assert.deepEqual(asked, []);

    // A file that is not a trace is refused with a message.
    await dialog.getByRole('button', { name: 'Close trace' }).click();
    await page.getByLabel('Trace file').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello":"world"}'),
    });
    await page
      .getByRole('alert')
      .filter({
        hasText: 'Could not open notes.json: The file is JSON, but not a trace',
      })
      .waitFor();
    await page.close();
  });

  it('says so when a shared link points at a trace Tempo does not have', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/web-gateway/traces?traceId=0123456789abcdef0123456789abcdef`,
    );
    await page
      .getByText(/Trace not found/)
      .first()
      .waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('offers no Traces tab for an entity without the annotation', async () => {
    const page = await signedInPage(browser, stack.baseUrl);
    await page.goto(
      `${stack.baseUrl}/catalog/default/component/payments-worker`,
    );
    // Entity tabs are links in the new frontend system's entity page.
    await page
      .getByRole('link', { name: 'Overview', exact: true })
      .waitFor({ timeout: 60_000 });
    // The sidebar's "Traces" (the /traces page) is there; the entity's tab is not.
    assert.equal(
      await page
        .locator('a[href$="/component/payments-worker/traces"]')
        .count(),
      0,
    );
    await page.close();
  });
});
