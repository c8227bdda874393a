import type { Table } from 'apache-arrow';
import { readArrowStream, type StreamHandlers, type StreamResult } from '../arrow/stream';
import { toJsonText } from '../query/json';
import { datasetPath, rowsUrl, type QueryBody, type RowsRequest } from '../query/viewQuery';
import { ProblemError, problemFromResponse, toProblem } from './problem';
import type { DatasetDefinition, DatasetInfo, QueryProgress, UploadResult } from './types';

const arrowStream = 'application/vnd.apache.arrow.stream';

/** Media types for uploads, by the format the file is in. */
export const uploadMediaTypes = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
  'arrow-stream': 'application/vnd.apache.arrow.stream',
  'arrow-file': 'application/vnd.apache.arrow.file',
} as const;

export type UploadFormat = keyof typeof uploadMediaTypes;

export interface UploadOptions {
  mode: 'append' | 'replace';
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

export interface UploadHandle {
  promise: Promise<UploadResult>;
  abort: () => void;
}

/** A streamed read that is under way: its server-side query id (when the server gives one) and result. */
export interface RunningRead {
  queryId: string | null;
  result: Promise<StreamResult>;
}

/** The Quiver HTTP API v1, for the browser. Every failure is a ProblemError or TransferError. */
export class QuiverClient {
  constructor(private readonly baseUrl = '') {}

  private url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetch(this.url(path), init);
    if (!response.ok) throw await problemFromResponse(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async listDatasets(signal?: AbortSignal): Promise<DatasetInfo[]> {
    const body = await this.json<{ datasets: DatasetInfo[] }>('/api/v1/datasets', { signal: signal ?? null });
    return body.datasets;
  }

  dataset(name: string, signal?: AbortSignal): Promise<DatasetInfo> {
    return this.json<DatasetInfo>(datasetPath(name), { signal: signal ?? null });
  }

  createDataset(definition: DatasetDefinition): Promise<DatasetInfo> {
    return this.json<DatasetInfo>('/api/v1/datasets', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(definition),
    });
  }

  deleteDataset(name: string): Promise<void> {
    return this.json<undefined>(datasetPath(name), { method: 'DELETE' });
  }

  /** URL of GET /rows for this request (also what downloads point at). */
  rowsUrl(dataset: string, request: RowsRequest): string {
    return this.url(rowsUrl(dataset, request));
  }

  private async openRows(dataset: string, request: RowsRequest, signal?: AbortSignal): Promise<Response> {
    const response = await fetch(this.rowsUrl(dataset, { ...request, format: 'arrow' }), {
      headers: { Accept: arrowStream },
      signal: signal ?? null,
    });
    if (!response.ok) throw await problemFromResponse(response);
    return response;
  }

  private async openQuery(dataset: string, body: QueryBody, signal?: AbortSignal): Promise<Response> {
    const response = await fetch(this.url(`${datasetPath(dataset)}/query`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: arrowStream },
      body: toJsonText(body),
      signal: signal ?? null,
    });
    if (!response.ok) throw await problemFromResponse(response);
    return response;
  }

  /** A window of rows as an Arrow table (GET /rows, decoded as it streams). */
  async rows(dataset: string, request: RowsRequest, signal?: AbortSignal): Promise<Table> {
    const response = await this.openRows(dataset, request, signal);
    const { table } = await readArrowStream(response, signal ? { signal } : {});
    if (!table) throw new ProblemError(toProblem({ detail: 'empty Arrow stream' }, 502, 'Bad Gateway'));
    return table;
  }

  /** Starts a streamed read of GET /rows, reporting batches and bytes as they arrive. */
  async streamRows(dataset: string, request: RowsRequest, handlers: StreamHandlers): Promise<RunningRead> {
    const response = await this.openRows(dataset, request, handlers.signal);
    return { queryId: response.headers.get('Quiver-Query-Id'), result: readArrowStream(response, handlers) };
  }

  /** POST /query, as an Arrow table. */
  async query(dataset: string, body: QueryBody, signal?: AbortSignal): Promise<Table> {
    const response = await this.openQuery(dataset, body, signal);
    const { table } = await readArrowStream(response, signal ? { signal } : {});
    if (!table) throw new ProblemError(toProblem({ detail: 'empty Arrow stream' }, 502, 'Bad Gateway'));
    return table;
  }

  /** The server's view of a streamed read (GET /queries/{id}); null when it does not know it. */
  async queryProgress(queryId: string, signal?: AbortSignal): Promise<QueryProgress | null> {
    const response = await fetch(this.url(`/api/v1/queries/${encodeURIComponent(queryId)}`), {
      signal: signal ?? null,
    });
    if (!response.ok) return null;
    return (await response.json()) as QueryProgress;
  }

  /** Asks the server to cancel a streamed read (DELETE /queries/{id}); best effort. */
  async cancelQuery(queryId: string): Promise<void> {
    await fetch(this.url(`/api/v1/queries/${encodeURIComponent(queryId)}`), { method: 'DELETE' }).catch(
      () => undefined,
    );
  }

  /**
   * Uploads a file as the request body. XMLHttpRequest, because it reports upload
   * progress; the browser streams the File from disk, it is never read into memory.
   */
  upload(dataset: string, file: Blob, format: UploadFormat, options: UploadOptions): UploadHandle {
    const request = new XMLHttpRequest();
    const promise = new Promise<UploadResult>((resolve, reject) => {
      const params = new URLSearchParams({ mode: options.mode });
      request.open('POST', this.url(`${datasetPath(dataset)}/rows?${params.toString()}`));
      request.setRequestHeader('Content-Type', uploadMediaTypes[format]);
      request.responseType = 'text';
      request.upload.onprogress = (event) => {
        options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
      };
      request.onload = () => {
        let body: unknown;
        try {
          body = request.responseText ? JSON.parse(request.responseText) : undefined;
        } catch {
          body = { detail: request.responseText.slice(0, 300) };
        }
        if (request.status >= 200 && request.status < 300) {
          resolve(body as UploadResult);
          return;
        }
        reject(new ProblemError(toProblem(body, request.status, request.statusText)));
      };
      request.onerror = () => {
        reject(new ProblemError(toProblem({ detail: 'the upload failed: the connection broke' }, 0, 'Network error')));
      };
      request.onabort = () => {
        reject(new DOMException('The upload was cancelled', 'AbortError'));
      };
      request.send(file);
    });
    return {
      promise,
      abort: () => {
        request.abort();
      },
    };
  }
}

export const client = new QuiverClient();
