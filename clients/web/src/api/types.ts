/** Shapes of the Quiver API v1 (docs/openapi.yaml). */

export interface ColumnSpec {
  name: string;
  type: string;
  required: boolean;
}

export interface DatasetDefinition {
  name: string;
  columns: ColumnSpec[];
  primary_key?: string[] | null;
}

export interface DatasetInfo {
  name: string;
  columns: ColumnSpec[];
  primary_key: string[] | null;
  row_count: number;
  bytes: number;
  created_at: string;
  updated_at: string;
}

export interface FieldProblem {
  field: string;
  row?: number;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

export interface UploadResult {
  inserted_rows: number;
  elapsed_ms: number;
}

/** GET /api/v1/queries/{id} (server progress of a streamed read). */
export interface QueryProgress {
  state: string;
  rows_sent: number;
  bytes_sent: number;
  elapsed_ms: number;
}
