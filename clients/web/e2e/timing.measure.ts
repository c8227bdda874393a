import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openBrowser, type Browser } from './browser';
import { distDir, servesApp, startPreview, startQuiverd, webRoot, type Quiverd } from './quiverd';

const demoRows = Number(process.env.QUIVER_BENCH_ROWS ?? 10_000_000);
const repeats = Number(process.env.QUIVER_BENCH_REPEATS ?? 3);
const targetRow = 1_000_000;

/** Recorded in the page from its first instant: when row 0's cells are filled and painted. */
const firstRowsWatcher = `
  window.__quiverFirstRows = null;
  const watch = () => {
    const row = document.querySelector('.grid-body .grid-row[data-row="0"] .grid-cell');
    if (row && !document.querySelector('.grid-body .grid-cell.loading')) {
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__quiverFirstRows = performance.now(); }));
      return;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
`;

interface Navigation {
  /** Navigation start to row 0's cells painted (the first 1,000-row page decoded). */
  firstRowsPaintedMs: number;
  /** Navigation start to the end of the 1,000-row page's response. */
  firstPageResponseEndMs: number;
}

async function measureNavigation(page: Page, url: string): Promise<Navigation> {
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as { __quiverFirstRows: number | null }).__quiverFirstRows !== null,
    undefined,
    { timeout: 120_000 },
  );
  return page.evaluate(() => {
    const firstRowsPaintedMs = (window as unknown as { __quiverFirstRows: number }).__quiverFirstRows;
    const pages = performance
      .getEntriesByType('resource')
      .filter(
        (entry) =>
          entry.name.includes('/rows?') && entry.name.includes('limit=1000') && !entry.name.includes('offset='),
      );
    return {
      firstRowsPaintedMs,
      firstPageResponseEndMs: (pages[0] as PerformanceResourceTiming | undefined)?.responseEnd ?? -1,
    };
  });
}

/** From the user's action to row `target`'s cells painted, measured inside the page. */
function measureScroll(page: Page, target: number, how: 'go-to-row' | 'scrollbar'): Promise<number> {
  return page.evaluate(
    ({ target: wanted, how: method }) =>
      new Promise<number>((resolve, reject) => {
        const scroller = document.querySelector<HTMLElement>('.grid-scroller');
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Go to row"]');
        if (!scroller || !input) {
          reject(new Error('no grid'));
          return;
        }
        const rowCount = Number(document.querySelector('[data-testid=grid]')?.getAttribute('data-row-count'));
        const started = performance.now();
        if (method === 'go-to-row') {
          // React tracks the input's value: set it through the native setter, then tell React.
          // eslint-disable-next-line @typescript-eslint/unbound-method
          const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
          setValue?.call(input, String(wanted));
          input.dispatchEvent(new Event('input', { bubbles: true }));
          input.form?.requestSubmit();
        } else {
          // Where a dragged thumb puts row `wanted` at the top (the grid's scaled mapping).
          const rowHeight = 26;
          const viewport = scroller.clientHeight - 74;
          const spacer = Math.min(rowCount * rowHeight, 8_000_000);
          const maxReal = spacer - viewport;
          const maxVirtual = rowCount * rowHeight - viewport;
          scroller.scrollTop = ((wanted * rowHeight) / maxVirtual) * maxReal;
        }
        const deadline = started + 120_000;
        const check = () => {
          const rows = Array.from(document.querySelectorAll<HTMLElement>('.grid-body .grid-row'), (row) =>
            Number(row.dataset.row),
          );
          const shown = rows.some((row) => Math.abs(row - wanted) <= 1);
          if (shown && !document.querySelector('.grid-body .grid-cell.loading')) {
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                resolve(performance.now() - started);
              }),
            );
            return;
          }
          if (performance.now() > deadline) reject(new Error(`row ${wanted} not painted in 120 s`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { target, how },
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;

let server: Quiverd;
let preview: { url: string; stop: () => Promise<void> } | null = null;
let browser: Browser;
let appUrl = '';

beforeAll(async () => {
  const started = Date.now();
  server = await startQuiverd({ demoRows, webRoot: distDir });
  process.stderr.write(
    `bench: quiverd ready with ${demoRows} demo rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (!(await servesApp(server.url))) preview = await startPreview(server.url);
  appUrl = preview?.url ?? server.url;
  browser = await openBrowser();
  await browser.page.addInitScript(firstRowsWatcher);
});

afterAll(async () => {
  await browser.close();
  await preview?.stop();
  await server.stop();
});

it('measures first rows and the scroll to row 1,000,000', async () => {
  const { page } = browser;
  const url = `${appUrl}/datasets/demo`;
  const navigations: Navigation[] = [];
  const goToRow: number[] = [];
  const scrollbar: number[] = [];
  for (let run = 0; run < repeats; run += 1) {
    navigations.push(await measureNavigation(page, url));
    goToRow.push(await measureScroll(page, targetRow, 'go-to-row'));
    // Back to the top, then drag the thumb to the same row (a different page: not cached).
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { __quiverFirstRows: number | null }).__quiverFirstRows !== null,
    );
    scrollbar.push(await measureScroll(page, targetRow + 50_000 * (run + 1), 'scrollbar'));
  }
  const firstId = await page.textContent('.grid-body .grid-row .grid-cell[data-col=id]');
  expect(firstId).not.toBeNull();
  const result = {
    benchmark: 'web-grid',
    dataset_rows: demoRows,
    browser: `chromium ${browser.context.browser()?.version() ?? ''}`.trim(),
    runs: repeats,
    first_1000_rows_painted_ms: {
      cold: round(navigations[0]?.firstRowsPaintedMs ?? -1),
      median: round(median(navigations.map((entry) => entry.firstRowsPaintedMs))),
    },
    first_page_response_end_ms: {
      cold: round(navigations[0]?.firstPageResponseEndMs ?? -1),
      median: round(median(navigations.map((entry) => entry.firstPageResponseEndMs))),
    },
    scroll_to_row_1000000_ms: {
      go_to_row: { cold: round(goToRow[0] ?? -1), median: round(median(goToRow)) },
      scrollbar_drag: { cold: round(scrollbar[0] ?? -1), median: round(median(scrollbar)) },
    },
    samples_ms: {
      first_rows: navigations.map((entry) => round(entry.firstRowsPaintedMs)),
      go_to_row: goToRow.map(round),
      scrollbar_drag: scrollbar.map(round),
    },
  };
  await mkdir(join(webRoot, 'test-output'), { recursive: true });
  await writeFile(join(webRoot, 'test-output', 'bench.json'), `${JSON.stringify(result)}\n`);
});
