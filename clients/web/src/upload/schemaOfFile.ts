import { RecordBatchReader } from 'apache-arrow';
import { parquetMetadataAsync, parquetSchema } from 'hyparquet';
import type { UploadFormat } from '../api/client';
import type { ColumnSpec } from '../api/types';
import { arrowFieldsToColumns, inferCsvSchema, inferNdjsonSchema, parquetColumns } from './infer';

const textHeadBytes = 256 * 1024;

/**
 * The columns a new dataset needs for this file, read from as little of it as possible:
 * Arrow's schema message, Parquet's footer, or the first records of a text file.
 */
export async function schemaOfFile(file: Blob, format: UploadFormat): Promise<ColumnSpec[]> {
  switch (format) {
    case 'csv': {
      const complete = file.size <= textHeadBytes;
      return inferCsvSchema(await file.slice(0, textHeadBytes).text(), complete);
    }
    case 'ndjson': {
      const complete = file.size <= textHeadBytes;
      return inferNdjsonSchema(await file.slice(0, textHeadBytes).text(), complete);
    }
    case 'arrow-stream':
    case 'arrow-file': {
      // An Arrow file is "ARROW1\0\0" followed by a stream that starts with the schema.
      const stream = (format === 'arrow-file' ? file.slice(8) : file).stream();
      const reader = await RecordBatchReader.from(stream);
      await reader.open();
      const fields = reader.schema.fields;
      await reader.cancel();
      return arrowFieldsToColumns(fields);
    }
    case 'parquet': {
      const metadata = await parquetMetadataAsync({
        byteLength: file.size,
        slice: (start: number, end?: number) => file.slice(start, end).arrayBuffer(),
      });
      return parquetColumns(parquetSchema(metadata));
    }
  }
}

export async function fileHead(file: Blob, bytes = 16): Promise<Uint8Array> {
  return new Uint8Array(await file.slice(0, bytes).arrayBuffer());
}
