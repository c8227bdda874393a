import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from './browser';
import { apiJson, openApp, screenshot, waitForRow } from './helpers';

describe('time and histogram charts from server buckets', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openApp('/datasets/demo');
    await waitForRow(browser.page, 0);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('draws a line of time buckets, split by category', async () => {
    const { page } = browser;
    await page.click('role=tab[name="Over time"]');
    await page.selectOption('[aria-label=Interval]', '6h');
    await page.selectOption('[aria-label="Split by"]', 'category');
    await page.click('[data-testid=draw-time]');
    await page.waitForSelector('[data-testid=time-chart] canvas', { timeout: 30_000 });
    const rows = await apiJson<{ bucket: string; category: string; value: number }[]>('/api/v1/datasets/demo/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        bucket: { column: 'ts', every: '6h', as: 'bucket' },
        group_by: ['category'],
        aggregates: [{ function: 'count', as: 'value' }],
      }),
    });
    expect(await page.textContent('[data-testid=time-chart] .u-legend')).toMatch(/A.*B.*C/s);
    expect(await page.textContent('.chart-tab:has([data-testid=time-chart])')).toContain(
      `${rows.length.toLocaleString('en-US')} buckets of 6h`,
    );
    expect(rows.reduce((sum, row) => sum + row.value, 0)).toBe(inject('demoRows'));
    await screenshot(page, 'chart-time');
  });

  it('draws a histogram whose bins add up to the row count', async () => {
    const { page } = browser;
    await page.click('role=tab[name="Histogram"]');
    await page.selectOption('[aria-label="Histogram column"]', 'value');
    await page.click('[data-testid=draw-histogram]');
    await page.waitForSelector('[data-testid=histogram-chart] canvas', { timeout: 30_000 });
    const label = (await page.textContent('.chart-tab:has([data-testid=histogram-chart])')) ?? '';
    const width = Number(/bins of width ([\d.]+)/.exec(label)?.[1]);
    expect(width).toBe(25);
    const rows = await apiJson<{ bucket: number; rows: number }[]>('/api/v1/datasets/demo/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        bucket: { column: 'value', width, origin: 0, as: 'bucket' },
        aggregates: [{ function: 'count', as: 'rows' }],
      }),
    });
    expect(rows.length).toBe(40);
    expect(rows.reduce((sum, row) => sum + row.rows, 0)).toBe(inject('demoRows'));
    await screenshot(page, 'chart-histogram');
  });
});
