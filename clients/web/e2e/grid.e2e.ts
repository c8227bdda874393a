import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from './browser';
import {
  expectedCell,
  gridRows,
  openApp,
  screenshot,
  serverCount,
  serverRows,
  shownRowCount,
  waitForRow,
} from './helpers';

const columns = ['id', 'ts', 'category', 'region', 'value', 'quantity', 'flag', 'label'];

async function expectRowsMatchServer(
  browser: Browser,
  first: number,
  count: number,
  params: Record<string, string> = {},
) {
  const shown = (await gridRows(browser.page)).filter((row) => row.row >= first).slice(0, count);
  expect(shown.map((row) => row.row)).toEqual(Array.from({ length: count }, (_v, index) => first + index));
  const expected = await serverRows('demo', { order_by: 'id', ...params, offset: String(first), limit: String(count) });
  for (const [index, row] of shown.entries()) {
    const server = expected[index] ?? {};
    for (const column of columns)
      expect(`${first + index}.${column}=${row.cells[column] ?? '?'}`).toBe(
        `${first + index}.${column}=${expectedCell(server[column])}`,
      );
  }
}

describe('the grid over the demo dataset', () => {
  let browser: Browser;
  const demoRows = inject('demoRows');

  beforeAll(async () => {
    browser = await openApp('/');
  });
  afterAll(async () => {
    await browser.close();
  });

  it('lists the datasets and paints the first rows', async () => {
    const { page } = browser;
    await page.waitForSelector('[data-testid=dataset-list] a.active');
    expect(await page.textContent('[data-testid=dataset-list]')).toContain(
      `demo${demoRows.toLocaleString('en-US')} rows · 8 columns`,
    );
    expect(new URL(page.url()).pathname).toBe('/datasets/demo');
    await waitForRow(page, 0);
    expect(await shownRowCount(page)).toBe(demoRows);
    expect(await page.textContent('.grid-header-cell[data-col=ts] .grid-type')).toBe('timestamp(us, UTC)');
    await expectRowsMatchServer(browser, 0, 20);
    await screenshot(page, 'grid-first-rows');
  });

  it('goes to row 1,000,000 and shows what the server has there', async () => {
    const { page } = browser;
    await page.fill('[aria-label="Go to row"]', '1,000,000');
    await page.press('[aria-label="Go to row"]', 'Enter');
    await waitForRow(page, 1_000_000);
    await expectRowsMatchServer(browser, 1_000_000, 15);
    await screenshot(page, 'grid-row-1000000');
  });

  it('scrolls with the wheel row by row, however tall the table is', async () => {
    const { page } = browser;
    await page.hover('.grid-body');
    await page.mouse.wheel(0, 26 * 10);
    await waitForRow(page, 1_000_010);
    const rows = await gridRows(page);
    expect(rows[0]?.row).toBe(1_000_010);
    await expectRowsMatchServer(browser, 1_000_010, 10);
  });

  it('drags the scaled scrollbar to the middle and to the end', async () => {
    const { page } = browser;
    await page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>('.grid-scroller');
      if (scroller) scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) / 2;
    });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.grid-body .grid-row').length > 0 &&
        document.querySelectorAll('.grid-body .grid-cell.loading').length === 0,
    );
    const middle = (await gridRows(page))[1]?.row ?? 0;
    expect(Math.abs(middle - demoRows / 2)).toBeLessThan(demoRows / 100);
    await expectRowsMatchServer(browser, middle, 10);

    await page.focus('.grid-scroller');
    await page.keyboard.press('End');
    await waitForRow(page, demoRows - 1);
    const last = (await gridRows(page)).at(-1);
    expect(last?.row).toBe(demoRows - 1);
    expect(last?.cells.id).toBe(String(demoRows - 1));
    await page.keyboard.press('Home');
    await waitForRow(page, 0);
  });

  it('filters per column on the server and the count follows', async () => {
    const { page } = browser;
    await page.fill('[data-filter=category]', '=B');
    await page.press('[data-filter=category]', 'Enter');
    const expected = await serverCount('demo', { op: '=', column: 'category', value: 'B' });
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === String(count),
      expected,
    );
    expect(expected).toBeLessThan(demoRows);
    expect(new URL(page.url()).searchParams.get('f.category')).toBe('=B');
    await waitForRow(page, 0);
    const rows = await gridRows(page);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((row) => row.cells.category === 'B')).toBe(true);

    await page.fill('[data-filter=value]', '>990');
    await page.press('[data-filter=value]', 'Enter');
    const narrower = await serverCount('demo', {
      op: 'and',
      args: [
        { op: '=', column: 'category', value: 'B' },
        { op: '>', column: 'value', value: 990 },
      ],
    });
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === String(count),
      narrower,
    );
    expect(await page.textContent('[data-testid=row-count]')).toContain(
      `${narrower.toLocaleString('en-US')} rows of ${demoRows.toLocaleString('en-US')}`,
    );
  });

  it('sorts by a header on the server', async () => {
    const { page } = browser;
    await page.click('.grid-header-cell[data-col=value] button');
    await page.click('.grid-header-cell[data-col=value] button');
    expect(await page.textContent('.grid-header-cell[data-col=value] .grid-sort-mark')).toBe('▼');
    const filter = JSON.stringify({
      op: 'and',
      args: [
        { op: '=', column: 'category', value: 'B' },
        { op: '>', column: 'value', value: 990 },
      ],
    });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === '-value');
    await waitForRow(page, 0);
    await page.waitForFunction(async (expectedFilter) => {
      const response = await fetch(
        `/api/v1/datasets/demo/rows?format=json&limit=1&order_by=-value,id&filter=${encodeURIComponent(expectedFilter)}`,
      );
      const [top] = (await response.json()) as { id: number }[];
      return (
        document.querySelector('.grid-body .grid-row[data-row="0"] [data-col=id]')?.textContent === String(top?.id)
      );
    }, filter);
    await expectRowsMatchServer(browser, 0, 10, { order_by: '-value,id', filter });
    await screenshot(page, 'grid-filtered-sorted');
  });

  it('keeps the view in the URL across a reload', async () => {
    const { page } = browser;
    await page.reload();
    await waitForRow(page, 0);
    expect(await page.inputValue('[data-filter=category]')).toBe('=B');
    expect(await page.textContent('.grid-header-cell[data-col=value] .grid-sort-mark')).toBe('▼');
    await page.click('text=clear filters and sample');
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === String(count),
      demoRows,
    );
  });

  it('takes a reproducible sample', async () => {
    const { page } = browser;
    await page.goto(`${inject('appUrl')}/datasets/demo`);
    await waitForRow(page, 0);
    await page.selectOption('[aria-label=Sample]', 'rows');
    await page.fill('[aria-label="Sample size"]', '500');
    await page.fill('[aria-label=Seed]', '7');
    await page.click('[data-testid=sample-apply]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === '500',
    );
    await waitForRow(page, 0);
    const shown = (await gridRows(page)).slice(0, 10).map((row) => row.cells.id);
    const expected = (
      await serverRows('demo', { sample: '500', seed: '7', limit: '10', columns: 'id', order_by: 'id' })
    ).map((row) => expectedCell(row.id));
    expect(shown).toEqual(expected);
    await page.reload();
    await waitForRow(page, 0);
    expect((await gridRows(page)).slice(0, 10).map((row) => row.cells.id)).toEqual(expected);
    await screenshot(page, 'grid-sample');
  });
});
