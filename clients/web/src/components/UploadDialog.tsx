import { useEffect, useState } from 'react';
import { client, type UploadFormat, type UploadHandle } from '../api/client';
import { ProblemError, describeError } from '../api/problem';
import type { ColumnSpec, DatasetInfo, UploadResult } from '../api/types';
import { formatBytes, formatCount, formatMilliseconds } from '../arrow/format';
import { datasetNameFromFile, detectFormat, formatLabel, uploadFormats } from '../upload/detect';
import { fileHead, schemaOfFile } from '../upload/schemaOfFile';

export interface UploadDialogProps {
  file: File;
  datasets: readonly DatasetInfo[];
  /** The dataset on screen, offered as the default target. */
  current: string | null;
  onClose: () => void;
  /** Called after rows were stored (with the dataset's name). */
  onUploaded: (dataset: string) => void;
}

const commonTypes = [
  'boolean',
  'int32',
  'int64',
  'float64',
  'string',
  'date',
  'timestamp(us)',
  'timestamp(us, UTC)',
  'decimal(18, 2)',
  'binary',
];

type Phase =
  | { kind: 'editing' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'done'; result: UploadResult; dataset: string }
  | { kind: 'failed'; error: unknown; droppedDataset: string | null };

/** Sends a dropped file into a new or an existing dataset, with progress and the server's verdict. */
export function UploadDialog({ file, datasets, current, onClose, onUploaded }: UploadDialogProps) {
  const [format, setFormat] = useState<UploadFormat | null>(null);
  const [target, setTarget] = useState<'new' | 'existing'>(current ? 'existing' : 'new');
  const [existing, setExisting] = useState(current ?? datasets[0]?.name ?? '');
  const [name, setName] = useState(() => datasetNameFromFile(file.name));
  const [columns, setColumns] = useState<ColumnSpec[] | null>(null);
  const [schemaError, setSchemaError] = useState<string | null>(null);
  const [primaryKey, setPrimaryKey] = useState('');
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const [handle, setHandle] = useState<UploadHandle | null>(null);

  useEffect(() => {
    let cancelled = false;
    void fileHead(file).then((head) => {
      if (!cancelled) setFormat(detectFormat(head, file.name) ?? 'csv');
    });
    return () => {
      cancelled = true;
    };
  }, [file]);

  useEffect(() => {
    if (!format) return undefined;
    let cancelled = false;
    schemaOfFile(file, format).then(
      (found) => {
        if (!cancelled) {
          setColumns(found);
          setSchemaError(null);
        }
      },
      (error: unknown) => {
        if (!cancelled) {
          setColumns(null);
          setSchemaError(`Could not read the file's columns as ${formatLabel(format)}: ${describeError(error)}`);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [file, format]);

  const upload = async () => {
    if (!format) return;
    let created: string | null = null;
    const dataset = target === 'new' ? name : existing;
    try {
      if (target === 'new') {
        if (!columns || columns.length === 0) throw new Error('the new dataset needs at least one column');
        await client.createDataset({ name, columns, primary_key: primaryKey ? [primaryKey] : null });
        created = name;
      }
      setPhase({ kind: 'uploading', sent: 0, total: file.size });
      const started = client.upload(dataset, file, format, {
        mode: target === 'new' ? 'append' : mode,
        onProgress: (sent, total) => {
          setPhase({ kind: 'uploading', sent, total });
        },
      });
      setHandle(started);
      const result = await started.promise;
      setPhase({ kind: 'done', result, dataset });
      onUploaded(dataset);
    } catch (error) {
      // A dataset made for this upload is dropped again, so the same name can be retried.
      if (created) await client.deleteDataset(created).catch(() => undefined);
      setPhase({ kind: 'failed', error, droppedDataset: created });
    } finally {
      setHandle(null);
    }
  };

  const setColumn = (index: number, change: Partial<ColumnSpec>) => {
    setColumns((previous) => previous?.map((column, i) => (i === index ? { ...column, ...change } : column)) ?? null);
  };

  const busy = phase.kind === 'uploading';
  const nameValid = /^[a-z][a-z0-9_]{0,62}$/.test(name);
  const canUpload =
    format !== null && !busy && (target === 'existing' ? existing !== '' : nameValid && (columns?.length ?? 0) > 0);

  return (
    <div className="dialog-backdrop" role="presentation">
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Upload a file" data-testid="upload-dialog">
        <header>
          <h2>Upload {file.name}</h2>
          <span className="muted">{formatBytes(file.size)}</span>
        </header>
        <div className="dialog-body">
          <label>
            Format
            <select
              aria-label="Format"
              value={format ?? ''}
              disabled={busy}
              onChange={(event) => {
                setFormat(event.target.value as UploadFormat);
              }}
            >
              {uploadFormats.map((item) => (
                <option key={item} value={item}>
                  {formatLabel(item)}
                </option>
              ))}
            </select>
          </label>
          <fieldset disabled={busy}>
            <legend>Into</legend>
            <label className="inline">
              <input
                type="radio"
                name="target"
                checked={target === 'existing'}
                disabled={datasets.length === 0}
                onChange={() => {
                  setTarget('existing');
                }}
              />
              an existing dataset
            </label>
            <label className="inline">
              <input
                type="radio"
                name="target"
                checked={target === 'new'}
                onChange={() => {
                  setTarget('new');
                }}
              />
              a new dataset
            </label>
          </fieldset>
          {target === 'existing' ? (
            <div className="row">
              <select
                aria-label="Dataset"
                value={existing}
                disabled={busy}
                onChange={(event) => {
                  setExisting(event.target.value);
                }}
              >
                {datasets.map((dataset) => (
                  <option key={dataset.name}>{dataset.name}</option>
                ))}
              </select>
              <label className="inline">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'append'}
                  onChange={() => {
                    setMode('append');
                  }}
                />{' '}
                append
              </label>
              <label className="inline">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'replace'}
                  onChange={() => {
                    setMode('replace');
                  }}
                />{' '}
                replace all rows
              </label>
            </div>
          ) : (
            <div>
              <label>
                Name
                <input
                  aria-label="Dataset name"
                  value={name}
                  disabled={busy}
                  onChange={(event) => {
                    setName(event.target.value);
                  }}
                  className={nameValid ? '' : 'invalid'}
                />
              </label>
              {schemaError ? <p className="error">{schemaError}</p> : null}
              {columns ? (
                <table className="schema-editor">
                  <thead>
                    <tr>
                      <th>column</th>
                      <th>type</th>
                      <th>required</th>
                    </tr>
                  </thead>
                  <tbody>
                    {columns.map((column, index) => (
                      <tr key={index}>
                        <td>
                          <input
                            aria-label={`Column ${index + 1} name`}
                            value={column.name}
                            disabled={busy}
                            onChange={(event) => {
                              setColumn(index, { name: event.target.value });
                            }}
                          />
                        </td>
                        <td>
                          <input
                            aria-label={`Column ${column.name} type`}
                            list="quiver-types"
                            value={column.type}
                            disabled={busy}
                            onChange={(event) => {
                              setColumn(index, { type: event.target.value });
                            }}
                          />
                        </td>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Column ${column.name} required`}
                            checked={column.required}
                            disabled={busy}
                            onChange={(event) => {
                              setColumn(index, { required: event.target.checked });
                            }}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : schemaError ? null : (
                <p className="muted">Reading the file's columns…</p>
              )}
              <datalist id="quiver-types">
                {commonTypes.map((type) => (
                  <option key={type} value={type} />
                ))}
              </datalist>
              {columns ? (
                <label>
                  Primary key
                  <select
                    aria-label="Primary key"
                    value={primaryKey}
                    disabled={busy}
                    onChange={(event) => {
                      setPrimaryKey(event.target.value);
                    }}
                  >
                    <option value="">(none)</option>
                    {columns.map((column) => (
                      <option key={column.name}>{column.name}</option>
                    ))}
                  </select>
                </label>
              ) : null}
            </div>
          )}
          {phase.kind === 'uploading' ? (
            <div className="progress" data-testid="upload-progress">
              <progress max={Math.max(1, phase.total)} value={phase.sent} />
              <span>
                {formatBytes(phase.sent)} of {formatBytes(phase.total)} sent
                {phase.sent >= phase.total ? ' · the server is checking and storing the rows…' : ''}
              </span>
            </div>
          ) : null}
          {phase.kind === 'done' ? (
            <p className="success" role="status" data-testid="upload-result">
              Stored {formatCount(phase.result.inserted_rows)} rows in {phase.dataset} (
              {formatMilliseconds(phase.result.elapsed_ms)} on the server).
            </p>
          ) : null}
          {phase.kind === 'failed' ? <UploadErrors error={phase.error} dropped={phase.droppedDataset} /> : null}
        </div>
        <footer>
          {busy ? (
            <button type="button" className="secondary" onClick={() => handle?.abort()}>
              Cancel upload
            </button>
          ) : (
            <button type="button" className="secondary" onClick={onClose}>
              Close
            </button>
          )}
          {phase.kind === 'done' ? null : (
            <button
              type="button"
              className="primary"
              disabled={!canUpload}
              onClick={() => void upload()}
              data-testid="upload-start"
            >
              Upload
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}

function UploadErrors({ error, dropped }: { error: unknown; dropped: string | null }) {
  if (error instanceof DOMException && error.name === 'AbortError')
    return <p className="error">The upload was cancelled; nothing was stored.</p>;
  const problems = error instanceof ProblemError ? error.fieldProblems : [];
  return (
    <div className="upload-errors" role="alert" data-testid="upload-errors">
      <p className="error">
        The server refused the upload and stored nothing:{' '}
        {error instanceof ProblemError ? error.problem.detail : describeError(error)}
        {dropped ? ` (the new dataset ${dropped} was removed again)` : ''}
      </p>
      {problems.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>row</th>
              <th>field</th>
              <th>message</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem, index) => (
              <tr key={index}>
                <td>{problem.row ?? '–'}</td>
                <td>{problem.field}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
