import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from './browser';
import { apiJson, openApp, screenshot, waitForRow } from './helpers';

describe('reading a large view into the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openApp('/datasets/demo');
    await waitForRow(browser.page, 0);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('shows the first rows and live progress, then cancels', async () => {
    const { page } = browser;
    // Slow the network so the read is still running when we look (and cancel).
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: 3 * 1024 * 1024,
      uploadThroughput: -1,
    });
    await page.click('[data-testid=stream-start]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=stream-bar]')?.getAttribute('data-rows') ?? 0) > 0,
    );
    expect(await page.getAttribute('[data-testid=stream-bar]', 'data-status')).toBe('reading');
    await waitForRow(page, 0);
    expect(await page.textContent('.grid-row[data-row="0"] [data-col=id]')).toBe('0');
    expect(await page.textContent('[data-testid=stream-progress]')).toMatch(
      new RegExp(`of ${inject('demoRows').toLocaleString('en-US')} rows · [\\d.]+ (KiB|MiB)`),
    );
    await screenshot(page, 'stream-progress');
    await page.click('[data-testid=stream-cancel]');
    await page.waitForSelector('[data-testid=stream-bar][data-status=cancelled]');
    const rows = Number(await page.getAttribute('[data-testid=stream-bar]', 'data-rows'));
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(inject('demoRows'));
    await screenshot(page, 'stream-cancelled');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    // The server noticed and is free for the next request.
    const ready = await apiJson<{ status: string }>('/api/v1/ready');
    expect(ready.status).toBe('ready');
  });

  it('reads a filtered view completely and scrolls it locally', async () => {
    const { page } = browser;
    await page.click('[data-testid=stream-close]');
    await page.fill('[data-filter=quantity]', '=7');
    await page.press('[data-filter=quantity]', 'Enter');
    await page.waitForFunction(
      () => !['', null].includes(document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') ?? null),
    );
    const expected = Number(await page.getAttribute('[data-testid=row-count]', 'data-rows'));
    await page.click('[data-testid=stream-start]');
    await page.waitForSelector('[data-testid=stream-bar][data-status=done]', { timeout: 30_000 });
    expect(Number(await page.getAttribute('[data-testid=stream-bar]', 'data-rows'))).toBe(expected);
    await page.focus('.grid-scroller');
    await page.keyboard.press('End');
    await waitForRow(page, expected - 1);
    expect(await page.textContent('[data-testid=status-bar]')).toMatch(/in the browser/);
    await screenshot(page, 'stream-done');
  });
});
