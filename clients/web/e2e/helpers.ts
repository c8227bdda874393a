import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { openBrowser, type Browser } from './browser';
import { webRoot } from './quiverd';

export const outputDir = join(webRoot, 'test-output');

export function apiUrl(path: string): string {
  return `${inject('apiUrl')}${path}`;
}

export async function apiJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(apiUrl(path), init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export type JsonRow = Record<string, string | number | boolean | null>;

/** Rows as the server's JSON format gives them (the oracle for what the grid shows). */
export function serverRows(dataset: string, params: Record<string, string>): Promise<JsonRow[]> {
  const query = new URLSearchParams({ ...params, format: 'json' });
  return apiJson<JsonRow[]>(`/api/v1/datasets/${dataset}/rows?${query.toString()}`);
}

export async function serverCount(dataset: string, filter?: unknown): Promise<number> {
  const body = { aggregates: [{ function: 'count', as: 'n' }], ...(filter ? { filter } : {}) };
  const rows = await apiJson<{ n: number }[]>(`/api/v1/datasets/${dataset}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return rows[0]?.n ?? -1;
}

/** The text the grid shows for a value of the server's JSON. */
export function expectedCell(value: JsonRow[string] | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return String(value);
  return String(value);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Opens the app at a path in a fresh chromium and waits for the grid's first rows. */
export async function openApp(path = '/'): Promise<Browser> {
  const browser = await openBrowser();
  browser.page.on('pageerror', (error) => {
    console.log(`page error: ${error.message}`);
  });
  browser.page.on('console', (message) => {
    if (message.type() === 'error') console.log(`console error: ${message.text()}`);
  });
  await browser.page.goto(`${inject('appUrl')}${path}`);
  return browser;
}

export interface GridRow {
  row: number;
  cells: Record<string, string>;
}

/** The rows the grid has drawn right now, top to bottom, with their cells by column. */
export function gridRows(page: Page): Promise<GridRow[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.grid-body .grid-row'))
      .map((row) => ({
        row: Number(row.dataset.row),
        top: row.getBoundingClientRect().top,
        cells: Object.fromEntries(
          Array.from(row.querySelectorAll<HTMLElement>('.grid-cell')).map((cell) => [
            cell.dataset.col ?? '',
            cell.classList.contains('loading') ? '\u0000loading' : cell.textContent,
          ]),
        ),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ row, cells }) => ({ row, cells })),
  );
}

/** Waits until the grid shows row `row` near the top, with every drawn cell loaded. */
export async function waitForRow(page: Page, row: number, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const element = document.querySelector(`.grid-body .grid-row[data-row="${wanted}"]`);
      if (!element) return false;
      return document.querySelectorAll('.grid-body .grid-cell.loading').length === 0;
    },
    row,
    { timeout },
  );
  const failed = await page.$$eval('.grid-body .grid-cell.failed', (cells) => cells.length);
  if (failed > 0)
    throw new Error(
      `the grid could not load rows: ${(await page.textContent('.banner').catch(() => null)) ?? '(no message)'}`,
    );
}

/** The row count the toolbar shows once counted. */
export async function shownRowCount(page: Page): Promise<number> {
  const handle = await page.waitForSelector('[data-testid=row-count][data-rows]:not([data-rows=""])');
  return Number(await handle.getAttribute('data-rows'));
}
