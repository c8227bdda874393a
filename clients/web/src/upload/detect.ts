import type { UploadFormat } from '../api/client';

const labels: Record<UploadFormat, string> = {
  csv: 'CSV',
  ndjson: 'NDJSON',
  parquet: 'Parquet',
  'arrow-stream': 'Arrow IPC stream',
  'arrow-file': 'Arrow IPC file',
};

export function formatLabel(format: UploadFormat): string {
  return labels[format];
}

export const uploadFormats = Object.keys(labels) as UploadFormat[];

/** The upload format from a file's first bytes, then its name; null when it is none we know. */
export function detectFormat(head: Uint8Array, fileName: string): UploadFormat | null {
  const ascii = String.fromCharCode(...head.subarray(0, 6));
  if (ascii.startsWith('PAR1')) return 'parquet';
  if (ascii === 'ARROW1') return 'arrow-file';
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff)
    return 'arrow-stream';
  const name = fileName.toLowerCase();
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  if (name.endsWith('.arrow') || name.endsWith('.feather')) return 'arrow-file';
  if (name.endsWith('.arrows') || name.endsWith('.ipc')) return 'arrow-stream';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'csv';
  const firstCharacter = head.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (firstCharacter === 0x7b) return 'ndjson';
  const printable = head.every(
    (byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f),
  );
  return printable && head.length > 0 ? 'csv' : null;
}

/** A dataset name (^[a-z][a-z0-9_]{0,62}$) made from a file name. */
export function datasetNameFromFile(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = /^[a-z]/.test(stem) ? stem : `data_${stem}`;
  return named.slice(0, 63).replace(/_+$/, '') || 'data';
}

/** A column name the server accepts (^[A-Za-z_][A-Za-z0-9_]{0,62}$). */
export function columnNameFrom(text: string, index: number): string {
  const cleaned = text.trim().replace(/[^A-Za-z0-9_]+/g, '_');
  const named = /^[A-Za-z_]/.test(cleaned) ? cleaned : `c_${cleaned}`;
  return named === 'c_' ? `column_${index + 1}` : named.slice(0, 63);
}
