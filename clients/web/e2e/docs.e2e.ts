import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from './browser';
import { openApp, screenshot } from './helpers';

describe('the API docs link', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await openApp('/');
  });
  afterAll(async () => {
    await browser.close();
  });

  it('opens a page listing the API’s operations from openapi.yaml', async () => {
    const { page } = browser;
    await page.click('text=API docs (OpenAPI)');
    await page.waitForSelector('[data-testid=api-docs] tbody tr');
    expect(new URL(page.url()).pathname).toBe('/api-docs');
    const text = await page.textContent('[data-testid=api-docs]');
    expect(text).toContain('/api/v1/datasets/{name}/rows');
    expect(text).toContain('Run a query');
    const yaml = await page.evaluate(async () => (await fetch('/openapi.yaml')).text());
    expect(yaml).toMatch(/^openapi: 3\.1/);
    await screenshot(page, 'api-docs');
  });
});
