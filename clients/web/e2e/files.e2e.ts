import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser';
import { apiJson, apiUrl, openApp, screenshot, serverCount, shownRowCount, waitForRow } from './helpers';
import { repoRoot } from './quiverd';

const run = promisify(execFile);

/** Drops a file on the drop zone the way a browser does: a DataTransfer with a File. */
async function dropFile(browser: Browser, name: string, type: string, content: string): Promise<void> {
  const transfer = await browser.page.evaluateHandle(
    ({ name: fileName, type: fileType, content: text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], fileName, { type: fileType }));
      return data;
    },
    { name, type, content },
  );
  await browser.page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer: transfer });
  await browser.page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: transfer });
}

async function createDataset(name: string) {
  await fetch(apiUrl(`/api/v1/datasets/${name}`), { method: 'DELETE' });
  await apiJson(`/api/v1/datasets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name,
      columns: [
        { name: 'id', type: 'int64', required: true },
        { name: 'amount', type: 'float64' },
        { name: 'note', type: 'string' },
      ],
      primary_key: ['id'],
    }),
  });
}

describe('uploads and downloads', () => {
  let browser: Browser;

  beforeAll(async () => {
    await createDataset('web_upload');
    browser = await openApp('/datasets/web_upload');
    await browser.page.waitForSelector('[data-testid=row-count][data-rows="0"]');
  });
  afterAll(async () => {
    await browser.close();
    await fetch(apiUrl('/api/v1/datasets/web_upload'), { method: 'DELETE' });
    await fetch(apiUrl('/api/v1/datasets/web_new_upload'), { method: 'DELETE' });
  });

  it('shows the server’s validation errors for a CSV with a bad row, and stores nothing', async () => {
    const { page } = browser;
    await dropFile(browser, 'bad.csv', 'text/csv', 'id,amount,note\n1,2.5,first\n2,not-a-number,second\n3,4,third\n');
    await page.waitForSelector('[data-testid=upload-dialog]');
    expect(await page.inputValue('[aria-label=Format]')).toBe('csv');
    expect(await page.inputValue('[aria-label=Dataset]')).toBe('web_upload');
    await page.click('[data-testid=upload-start]');
    await page.waitForSelector('[data-testid=upload-errors] tbody tr');
    const problems = await page.$$eval('[data-testid=upload-errors] tbody tr', (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent)),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[0]).toBe('1');
    expect(problems[0]?.[1]).toBe('amount');
    expect(problems[0]?.[2]).toMatch(/not-a-number/);
    expect(await page.textContent('[data-testid=upload-errors]')).toMatch(/refused the upload and stored nothing/);
    expect(await serverCount('web_upload')).toBe(0);
    await screenshot(page, 'upload-validation-errors');
    await page.click('text=Close');
  });

  it('uploads a good CSV with progress, and the grid shows it', async () => {
    const { page } = browser;
    const lines = [
      'id,amount,note',
      ...Array.from({ length: 2000 }, (_v, index) => `${index},${index / 4},"row, ${index}"`),
    ];
    await dropFile(browser, 'good.csv', 'text/csv', `${lines.join('\n')}\n`);
    await page.click('[data-testid=upload-start]');
    await page.waitForSelector('[data-testid=upload-result]');
    expect(await page.textContent('[data-testid=upload-result]')).toMatch(/Stored 2,000 rows in web_upload/);
    await page.click('text=Close');
    await page.waitForSelector('[data-testid=dataset-list] >> text=2,000 rows');
    await page.reload();
    await waitForRow(page, 0);
    expect(await shownRowCount(page)).toBe(2000);
    expect(await page.textContent('.grid-row[data-row="3"] [data-col=note]')).toBe('row, 3');
  });

  it('creates a new dataset from a dropped file with the schema it reads', async () => {
    const { page } = browser;
    await dropFile(
      browser,
      'Web New Upload.csv',
      'text/csv',
      'key,when,score,ok\n1,2024-05-01T10:00:00Z,1.5,true\n2,2024-05-02T11:30:00Z,,false\n',
    );
    await page.check('input[name=target] >> nth=1');
    expect(await page.inputValue('[aria-label="Dataset name"]')).toBe('web_new_upload');
    await page.waitForSelector('[aria-label="Column when type"]');
    expect(await page.inputValue('[aria-label="Column when type"]')).toBe('timestamp(us, UTC)');
    expect(await page.inputValue('[aria-label="Column score type"]')).toBe('float64');
    await page.selectOption('[aria-label="Primary key"]', 'key');
    await screenshot(page, 'upload-new-dataset');
    await page.click('[data-testid=upload-start]');
    await page.waitForSelector('[data-testid=upload-result]');
    await page.click('text=Close');
    await page.waitForURL(/\/datasets\/web_new_upload/);
    await waitForRow(page, 1);
    expect(await page.textContent('.grid-row[data-row="1"] [data-col=when]')).toBe('2024-05-02 11:30:00.000000Z');
    expect(await page.textContent('.grid-row[data-row="1"] [data-col=score]')).toBe('null');
    const dataset = await apiJson<{ primary_key: string[] }>('/api/v1/datasets/web_new_upload');
    expect(dataset.primary_key).toEqual(['key']);
  });

  it('shows every row once, in insertion order, when the primary key is not the insertion order', async () => {
    const { page } = browser;
    await fetch(apiUrl('/api/v1/datasets/web_upload/rows?mode=replace'), {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      // ids 2999, 2998, ..., 0: unsorted, the first page (a cursor page) and the windows
      // after it (offsets) must agree on insertion order, whatever the primary key says
      body: `id,amount,note\n${Array.from({ length: 3000 }, (_v, index) => `${2999 - index},${index},n${index}`).join('\n')}\n`,
    });
    await page.goto(page.url().replace(/\/datasets\/.*/, '/datasets/web_upload'));
    await waitForRow(page, 0);
    expect(await page.textContent('.grid-row[data-row="0"] [data-col=id]')).toBe('2999');
    for (const row of [999, 1000, 2500, 2999]) {
      await page.fill('[aria-label="Go to row"]', String(row));
      await page.press('[aria-label="Go to row"]', 'Enter');
      await waitForRow(page, row);
      expect(await page.textContent(`.grid-row[data-row="${row}"] [data-col=id]`)).toBe(String(2999 - row));
      expect(await page.textContent(`.grid-row[data-row="${row}"] [data-col=amount]`)).toBe(String(row));
    }
  });

  it('downloads the current view as Parquet, streamed by the browser, and pyarrow reads it', async () => {
    const { page } = browser;
    await page.goto(page.url().replace(/\/datasets\/.*/, '/datasets/demo?f.category=%3DA&f.quantity=%3C10'));
    const expected = await serverCount('demo', {
      op: 'and',
      args: [
        { op: '=', column: 'category', value: 'A' },
        { op: '<', column: 'quantity', value: 10 },
      ],
    });
    await page.waitForFunction(
      (count) => document.querySelector('[data-testid=row-count]')?.getAttribute('data-rows') === String(count),
      expected,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-parquet]')]);
    expect(download.suggestedFilename()).toBe('demo.parquet');
    const path = join(browser.downloads, 'view.parquet');
    await download.saveAs(path);
    const python = process.env.QUIVER_PYTHON ?? join(repoRoot, '.venv/bin/python');
    expect(existsSync(python), `pyarrow's Python at ${python}`).toBe(true);
    const script = [
      'import json, sys, pyarrow.parquet as pq',
      't = pq.read_table(sys.argv[1])',
      'print(json.dumps({"rows": t.num_rows, "columns": t.column_names, "ts": str(t.schema.field("ts").type),',
      '  "categories": sorted(set(t.column("category").to_pylist())), "max_quantity": max(t.column("quantity").to_pylist())}))',
    ].join('\n');
    const { stdout } = await run(python, ['-c', script, path]);
    const read = JSON.parse(stdout) as {
      rows: number;
      columns: string[];
      ts: string;
      categories: string[];
      max_quantity: number;
    };
    expect(read).toEqual({
      rows: expected,
      columns: ['id', 'ts', 'category', 'region', 'value', 'quantity', 'flag', 'label'],
      ts: 'timestamp[us, tz=UTC]',
      categories: ['A'],
      max_quantity: 9,
    });
  });
});
