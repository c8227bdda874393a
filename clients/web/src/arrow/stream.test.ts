import { describe, expect, it } from 'vitest';
import { TransferError } from '../api/problem';
import { readArrowStream } from './stream';
import { demoTable, streamBytes } from './testTables';

function responseOf(chunks: Uint8Array[], failAtEnd = false): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk) {
        controller.enqueue(chunk);
        return;
      }
      if (failAtEnd) controller.error(new TypeError('network error'));
      else controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' } });
}

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.slice(start, start + size));
  return chunks;
}

describe('readArrowStream', () => {
  const table = demoTable();
  const bytes = streamBytes(table);

  it('decodes batch by batch and counts rows and bytes', async () => {
    const seen: number[] = [];
    const result = await readArrowStream(responseOf(split(bytes, 100)), {
      onBatch: (batch, progress) => seen.push(batch.numRows, progress.rows),
    });
    expect(seen).toEqual([5, 5, 4, 9]);
    expect(result.progress).toMatchObject({ rows: 9, batches: 2, bytes: bytes.length });
    expect(result.table?.numRows).toBe(9);
    expect(result.table?.getChild('id')?.get(8)).toBe(8n);
  });

  it('reads the response to its end rather than cancelling it', async () => {
    let cancelled = false;
    let pulls = 0;
    const chunks = split(bytes, 256);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[pulls];
        pulls += 1;
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    await readArrowStream(new Response(body));
    expect(cancelled).toBe(false);
    expect(pulls).toBe(chunks.length + 1);
  });

  it('can leave the batches to the caller', async () => {
    const result = await readArrowStream(responseOf([bytes]), { keepBatches: false });
    expect(result.table).toBeNull();
    expect(result.schema?.fields.map((field) => field.name)).toEqual(['id', 'ts', 'value', 'flag', 'label']);
  });

  it('reports a body that breaks off as a TransferError, not a short table', async () => {
    const cut = bytes.slice(0, Math.floor(bytes.length * 0.7));
    const batches: number[] = [];
    const failure = await readArrowStream(responseOf(split(cut, 64), true), {
      onBatch: (batch) => batches.push(batch.numRows),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransferError);
    expect(String(failure)).toMatch(/stopped sending after 5 rows/);
    expect(batches).toEqual([5]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const failure = await readArrowStream(responseOf(split(bytes, 50)), {
      signal: controller.signal,
      onBatch: () => {
        controller.abort();
      },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DOMException);
    expect((failure as DOMException).name).toBe('AbortError');
  });
});
