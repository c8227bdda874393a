import { tableFromArrays, type Table } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { RemoteRowSource } from './remoteSource';

interface Call {
  offset: number;
  limit: number;
  signal: AbortSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function fakeServer(totalRows: number) {
  const calls: Call[] = [];
  const fetchPage = (offset: number, limit: number, signal: AbortSignal) =>
    new Promise<Table>((resolve, reject) => {
      const rows = Math.max(0, Math.min(limit, totalRows - offset));
      const table = tableFromArrays({
        id: Float64Array.from({ length: rows }, (_v, index) => offset + index),
        name: Array.from({ length: rows }, (_v, index) => `row ${offset + index}`),
      });
      signal.addEventListener('abort', () => {
        reject(new DOMException('aborted', 'AbortError'));
      });
      calls.push({
        offset,
        limit,
        signal,
        resolve: () => {
          resolve(table);
        },
        reject,
      });
    });
  return { calls, fetchPage };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RemoteRowSource', () => {
  it('loads the visible pages first, then one neighbour on each side', async () => {
    const server = fakeServer(100_000);
    const source = new RemoteRowSource({
      columnNames: ['id', 'name'],
      rowCount: 100_000,
      fetchPage: server.fetchPage,
      pageRows: 100,
      concurrency: 2,
      throttleMs: 0,
    });
    source.want(250, 280);
    expect(server.calls.map((call) => call.offset)).toEqual([200]);
    expect(source.cell(250, 1)).toBeUndefined();
    server.calls[0]?.resolve();
    await settle();
    expect(source.cell(250, 1)).toBe('row 250');
    expect(source.cell(250, 0)).toBe('250');
    expect(server.calls.map((call) => call.offset)).toEqual([200, 300, 100]);
    source.want(280, 320);
    expect(server.calls.map((call) => call.offset)).toEqual([200, 300, 100]);
    source.stop();
  });

  it('aborts requests for pages scrolled past', async () => {
    const server = fakeServer(1_000_000);
    const source = new RemoteRowSource({
      columnNames: ['id'],
      rowCount: 1_000_000,
      fetchPage: server.fetchPage,
      pageRows: 100,
      concurrency: 2,
      throttleMs: 0,
    });
    source.want(0, 30);
    const first = server.calls[0];
    source.want(500_000, 500_130);
    await settle();
    expect(first?.signal.aborted).toBe(true);
    expect(server.calls.slice(-2).map((call) => call.offset)).toEqual([500_000, 500_100]);
    source.stop();
    expect(server.calls.every((call) => call.signal.aborted)).toBe(true);
  });

  it('keeps at most maxPages pages, dropping the least recently wanted', async () => {
    const server = fakeServer(10_000);
    const source = new RemoteRowSource({
      columnNames: ['id'],
      rowCount: 10_000,
      fetchPage: server.fetchPage,
      pageRows: 10,
      maxPages: 3,
      concurrency: 1,
      throttleMs: 0,
    });
    for (const row of [0, 100, 200, 300]) {
      source.want(row, row + 5);
      server.calls.at(-1)?.resolve();
      await settle();
    }
    expect(source.cachedPages).toBeLessThanOrEqual(3);
    expect(source.hasRow(300)).toBe(true);
    expect(source.hasRow(0)).toBe(false);
    source.stop();
  });

  it('learns the row count from a short page while the count is unknown', async () => {
    const server = fakeServer(42);
    const listener = vi.fn();
    const source = new RemoteRowSource({
      columnNames: ['id'],
      rowCount: null,
      fetchPage: server.fetchPage,
      pageRows: 100,
      throttleMs: 0,
    });
    source.subscribe(listener);
    expect(source.rowCount).toBeNull();
    source.want(0, 20);
    server.calls[0]?.resolve();
    await settle();
    expect(source.rowCount).toBe(42);
    expect(listener).toHaveBeenCalled();
    source.setRowCount(42);
    expect(source.counted).toBe(true);
    source.stop();
  });

  it('marks failed pages and reports the error', async () => {
    const server = fakeServer(1000);
    const onError = vi.fn();
    const source = new RemoteRowSource({
      columnNames: ['id'],
      rowCount: 1000,
      fetchPage: server.fetchPage,
      pageRows: 100,
      throttleMs: 0,
      onError,
    });
    source.want(0, 10);
    server.calls[0]?.reject(new Error('boom'));
    await settle();
    expect(onError).toHaveBeenCalledOnce();
    expect(source.failed(5)).toBe(true);
    expect(source.cell(5, 0)).toBeUndefined();
    source.stop();
  });
});
