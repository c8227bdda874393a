import { RecordBatchReader, Table, type RecordBatch, type Schema } from 'apache-arrow';
import { TransferError } from '../api/problem';

export interface StreamProgress {
  rows: number;
  bytes: number;
  batches: number;
  elapsedMs: number;
}

export interface StreamHandlers {
  /** Called once the schema message has arrived (before any rows). */
  onSchema?: (schema: Schema) => void;
  /** Called for every record batch as soon as it is decoded. */
  onBatch?: (batch: RecordBatch, progress: StreamProgress) => void;
  /** Called as bytes arrive (throttled by the network's chunking, not by us). */
  onBytes?: (progress: StreamProgress) => void;
  /** Whether to keep the batches and return them as a Table (default true). */
  keepBatches?: boolean;
  signal?: AbortSignal;
}

export interface StreamResult {
  schema: Schema | null;
  table: Table | null;
  progress: StreamProgress;
}

const drainLimitBytes = 64 * 1024;

/** Reads what is left of a body (a few bytes after Arrow's end-of-stream); cancels if it is more. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, reason: unknown): Promise<void> {
  let left = drainLimitBytes;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
      if (left < 0) {
        await reader.cancel(reason);
        return;
      }
    }
  } catch {
    // The transfer failed after the data we needed: nothing more to do.
  }
}

/**
 * Passes a body stream through while counting its bytes, remembering its last eight
 * bytes and any error. apache-arrow's reader ends quietly when its source stream
 * errors, so the caller must look here to tell a broken transfer from a short table.
 */
class BodyTap {
  error: unknown = null;
  private cancelled = false;
  private readonly tail = new Uint8Array(8);
  private tailLength = 0;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(body: ReadableStream<Uint8Array>, onChunk: (bytes: number) => void) {
    const reader = body.getReader();
    this.stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          this.error = error;
          if (!this.cancelled) controller.error(error);
          return;
        }
        // The Arrow reader cancels its source once it has read the end-of-stream marker.
        if (this.cancelled) return;
        if (result.done) {
          controller.close();
          return;
        }
        this.remember(result.value);
        onChunk(result.value.byteLength);
        controller.enqueue(result.value);
      },
      // After the end-of-stream marker only the chunked transfer's end is left: read it,
      // so the server sees a complete response and the connection can be reused.
      cancel: async (reason) => {
        this.cancelled = true;
        await drain(reader, reason);
      },
    });
  }

  private remember(chunk: Uint8Array): void {
    if (chunk.byteLength >= 8) {
      this.tail.set(chunk.subarray(chunk.byteLength - 8));
      this.tailLength = 8;
      return;
    }
    const keep = Math.min(this.tailLength, 8 - chunk.byteLength);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tail.set(chunk, keep);
    this.tailLength = keep + chunk.byteLength;
  }

  /** Whether the stream ended with Arrow's end-of-stream marker (0xFFFFFFFF, then length 0). */
  get endedWithMarker(): boolean {
    const tail = this.tail;
    return (
      this.tailLength === 8 &&
      tail.subarray(0, 4).every((byte) => byte === 0xff) &&
      tail.subarray(4).every((byte) => byte === 0)
    );
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new DOMException('The read was cancelled', 'AbortError');
}

/**
 * Decodes an Arrow IPC stream response batch by batch with apache-arrow's streaming
 * RecordBatchReader, so the first rows are usable before the last have arrived. A body
 * that breaks off (the server's signal that a query failed mid-stream) is a TransferError.
 */
export async function readArrowStream(response: Response, handlers: StreamHandlers = {}): Promise<StreamResult> {
  const started = performance.now();
  const progress: StreamProgress = { rows: 0, bytes: 0, batches: 0, elapsedMs: 0 };
  const body = response.body;
  if (!body) throw new TransferError('the response has no body');
  const tap = new BodyTap(body, (bytes) => {
    progress.bytes += bytes;
    progress.elapsedMs = performance.now() - started;
    handlers.onBytes?.(progress);
  });
  const keep = handlers.keepBatches ?? true;
  const batches: RecordBatch[] = [];
  let schema: Schema;
  try {
    const reader = await RecordBatchReader.from(tap.stream);
    await reader.open();
    // Read it now: the reader forgets its schema once it has been drained.
    schema = reader.schema;
    handlers.onSchema?.(schema);
    for await (const batch of reader) {
      if (handlers.signal?.aborted) throw abortReason(handlers.signal);
      progress.rows += batch.numRows;
      progress.batches += 1;
      progress.elapsedMs = performance.now() - started;
      if (keep) batches.push(batch);
      handlers.onBatch?.(batch, progress);
    }
    if (tap.error !== null) throw tap.error instanceof Error ? tap.error : new Error('the response body failed');
    if (!tap.endedWithMarker) throw new Error('the stream ended without its end-of-stream marker');
  } catch (error) {
    if (handlers.signal?.aborted) throw abortReason(handlers.signal);
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransferError(`the server stopped sending after ${progress.rows} rows: ${reason}`, { cause: error });
  }
  progress.elapsedMs = performance.now() - started;
  const table = keep ? new Table(schema, batches) : null;
  return { schema, table, progress };
}
