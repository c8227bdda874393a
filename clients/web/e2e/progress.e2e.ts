import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser';
import { apiJson, apiUrl, openApp, waitForRow } from './helpers';

describe('server-side progress of a streamed read', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openApp('/datasets/demo');
    await waitForRow(browser.page, 0);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('names the query in Quiver-Query-Id and reports its state', async () => {
    const response = await fetch(apiUrl('/api/v1/datasets/demo/rows?limit=10'));
    const id = response.headers.get('quiver-query-id');
    expect(id).toBeTruthy();
    await response.arrayBuffer();
    const progress = await apiJson<{ state: string; rows_sent: number }>(`/api/v1/queries/${id ?? ''}`);
    expect(progress.rows_sent).toBe(10);
  });

  it('shows the server’s state while reading and after a cancel', async () => {
    const { page } = browser;
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: 2 * 1024 * 1024,
      uploadThroughput: -1,
    });
    await page.click('[data-testid=stream-start]');
    await page.waitForSelector('[data-testid=stream-server]', { timeout: 10_000 });
    await page.click('[data-testid=stream-cancel]');
    await page.waitForFunction(
      () => /cancel/i.test(document.querySelector('[data-testid=stream-server]')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  });
});
