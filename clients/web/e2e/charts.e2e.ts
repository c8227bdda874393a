import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser';
import { apiJson, openApp, screenshot, waitForRow } from './helpers';

describe('charts from server-side aggregates', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openApp('/datasets/demo?f.value=%3E100');
    await waitForRow(browser.page, 0);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('groups by a column and draws the aggregate as bars', async () => {
    const { page } = browser;
    await page.selectOption('[aria-label="Group by"]', 'region');
    await page.click('[data-testid=draw-aggregate]');
    await page.waitForSelector('[data-testid=bar-chart] canvas');
    await page.waitForSelector('[data-testid=aggregate-table] tbody tr');
    const shown = await page.$$eval('[data-testid=aggregate-table] tbody tr', (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent)),
    );
    const expected = await apiJson<{ region: string; row_count: number; mean_value: number }[]>(
      '/api/v1/datasets/demo/query',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          filter: { op: '>', column: 'value', value: 100 },
          group_by: ['region'],
          aggregates: [
            { function: 'count', as: 'row_count' },
            { function: 'mean', column: 'value', as: 'mean_value' },
          ],
          order_by: '-row_count',
          limit: 50,
        }),
      },
    );
    // Means are summed in parallel on the server, so the last digits may differ between runs.
    expect(shown.map((row) => row.slice(0, 2))).toEqual(expected.map((row) => [row.region, String(row.row_count)]));
    for (const [index, row] of expected.entries()) expect(Number(shown[index]?.[2])).toBeCloseTo(row.mean_value, 6);
    expect(await page.textContent('[data-testid=chart-status]')).toMatch(/Computed on the server in/);
    await screenshot(page, 'chart-group-by');
  });

  it('follows the grid’s filter', async () => {
    const { page } = browser;
    const before = await page.textContent('[data-testid=aggregate-table] tbody');
    await page.fill('[data-filter=category]', '=C');
    await page.press('[data-filter=category]', 'Enter');
    await page.waitForFunction((previous) => {
      const body = document.querySelector('[data-testid=aggregate-table] tbody');
      return body !== null && body.textContent !== previous;
    }, before);
    const total = await page.$$eval('[data-testid=aggregate-table] tbody tr td:nth-child(2)', (cells) =>
      cells.reduce((sum, cell) => sum + Number(cell.textContent), 0),
    );
    const [expected] = await apiJson<{ n: number }[]>('/api/v1/datasets/demo/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        filter: {
          op: 'and',
          args: [
            { op: '>', column: 'value', value: 100 },
            { op: '=', column: 'category', value: 'C' },
          ],
        },
        aggregates: [{ function: 'count', as: 'n' }],
      }),
    });
    expect(total).toBe(expected?.n);
  });
});
