/*
 * The check in Chromium: sign in, open the entity's Traces tab, see traces listed, open one.
 */
import { launchChromium } from '../../e2e/stack';

export async function checkTracesTab(options: {
  baseUrl: string;
  entityPath: string;
  /** A row of the trace list to open, e.g. /, 2000 spans/. */
  row: RegExp;
  /** The root span's row in the waterfall of the opened trace. */
  rootSpan: RegExp;
}) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
    });
    await page.goto(`${options.baseUrl}${options.entityPath}`);
    const list = page.getByRole('grid', { name: 'Traces' });
    const row = list.getByRole('row', { name: options.row }).first();
    // Both templates sign in as guest: the new app on a click, the legacy one by itself
    // ("auto"); either way the app then shows the page it was opened on.
    const enter = page.getByRole('button', { name: /enter/i });
    await Promise.race([
      enter.waitFor({ timeout: 120_000 }),
      row.waitFor({ timeout: 120_000 }),
    ]).catch(() => undefined);
    if (await enter.isVisible()) await enter.click();
    try {
      await row.waitFor({ timeout: 120_000 });
    } catch (error) {
      const text = (await page.locator('main, body').first().innerText()).slice(
        0,
        1500,
      );
      throw new Error(
        `no trace row ${options.row} on ${page.url()}; the page says:\n${text}`,
        {
          cause: error,
        },
      );
    }
    await row.click();
    await page
      .getByRole('treegrid', { name: 'Trace waterfall' })
      .getByRole('row', { name: options.rootSpan })
      .first()
      .waitFor({ timeout: 120_000 });
    if (!page.url().includes('traceId=')) {
      throw new Error(`the opened trace is not in the URL: ${page.url()}`);
    }
  } finally {
    await browser.close();
  }
}
