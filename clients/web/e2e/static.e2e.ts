import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from './browser';
import { apiUrl, openApp, screenshot, waitForRow } from './helpers';

/** A raw HTTP/1.1 GET, so that the path reaches the server exactly as written (no URL normalisation). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(inject('apiUrl'));
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text });
    });
    socket.on('error', reject);
  });
}

describe('quiverd serves the web app (--web-root)', () => {
  let browser: Browser;

  beforeAll(async () => {
    expect(inject('quiverdServesApp'), 'quiverd answered / with the app').toBe(true);
    browser = await openApp('/datasets/demo');
  });
  afterAll(async () => {
    await browser.close();
  });

  it('answers / and app paths with index.html', async () => {
    for (const path of ['/', '/datasets/demo', '/api-docs']) {
      const response = await fetch(apiUrl(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(await response.text(), path).toContain('<div id="root">');
    }
  });

  it('serves built files with their content types', async () => {
    const html = await (await fetch(apiUrl('/'))).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const expectations: [string, RegExp][] = [
      [script ?? '', /^(text|application)\/javascript/],
      [style ?? '', /^text\/css/],
      ['/openapi.json', /^application\/json/],
    ];
    for (const [path, type] of expectations) {
      const response = await fetch(apiUrl(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
    }
  });

  it('keeps API 404s as problem documents', async () => {
    const response = await fetch(apiUrl('/api/v1/no-such-thing'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('never serves files outside the web root', async () => {
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/..%5c..%5cetc%5cpasswd',
    ]) {
      const { status, body } = await rawGet(path);
      expect(body, path).not.toContain('root:x:0:0');
      expect([200, 400, 403, 404], path).toContain(status);
    }
  });

  it('runs the app from quiverd itself, deep link included', async () => {
    await waitForRow(browser.page, 0);
    expect(new URL(browser.page.url()).port).toBe(new URL(inject('apiUrl')).port);
    await screenshot(browser.page, 'served-by-quiverd');
  });
});
