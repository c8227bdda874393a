import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { client } from '../api/client';
import { describeError } from '../api/problem';
import type { DatasetInfo } from '../api/types';
import { ColumnCells } from '../arrow/columns';
import { formatBytes, formatCount } from '../arrow/format';
import { RemoteRowSource } from '../grid/remoteSource';
import { buildFilter, type ColumnFilter } from '../query/filter';
import { toJsonText } from '../query/json';
import {
  countBody,
  orderByText,
  toggleSort,
  viewFromSearch,
  viewToSearch,
  type DownloadFormat,
  type RowsRequest,
  type SampleSpec,
  type ViewState,
} from '../query/viewQuery';
import { ChartsPanel } from './ChartsPanel';
import { Grid, type GridHandle } from './Grid';
import { StreamBar, useStreamRead } from './StreamRead';

export interface DatasetViewProps {
  dataset: DatasetInfo;
  onDelete: () => void;
}

const csvRowCap = 1_000_000;

function SampleControl({
  sample,
  onChange,
}: {
  sample: SampleSpec | null;
  onChange: (sample: SampleSpec | null) => void;
}) {
  const [kind, setKind] = useState<'all' | 'rows' | 'fraction'>(sample?.kind ?? 'all');
  const [amount, setAmount] = useState(String(sample?.amount ?? 10000));
  const [seed, setSeed] = useState(String(sample?.seed ?? 42));
  const apply = (nextKind = kind, nextSeed = seed) => {
    if (nextKind === 'all') {
      onChange(null);
      return;
    }
    const value = Number(amount);
    const seedValue = Math.trunc(Number(nextSeed));
    if (!Number.isFinite(value) || value <= 0 || !Number.isFinite(seedValue)) return;
    if (nextKind === 'fraction' && value > 1) return;
    onChange({ kind: nextKind, amount: value, seed: seedValue });
  };
  return (
    <form
      className="sample-control"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <select
        aria-label="Sample"
        value={kind}
        onChange={(event) => {
          const next = event.target.value as typeof kind;
          setKind(next);
          if (next === 'fraction' && Number(amount) > 1) setAmount('0.01');
          if (next === 'rows' && Number(amount) <= 1) setAmount('10000');
          if (next === 'all') apply('all');
        }}
      >
        <option value="all">All rows</option>
        <option value="rows">Sample of n rows</option>
        <option value="fraction">Sample fraction</option>
      </select>
      {kind === 'all' ? null : (
        <>
          <input
            aria-label="Sample size"
            className="narrow"
            value={amount}
            onChange={(event) => {
              setAmount(event.target.value);
            }}
          />
          <label className="inline">
            seed
            <input
              aria-label="Seed"
              className="narrow"
              value={seed}
              onChange={(event) => {
                setSeed(event.target.value);
              }}
            />
          </label>
          <button
            type="button"
            className="icon"
            title="New random seed"
            aria-label="New random seed"
            onClick={() => {
              const next = String(Math.floor(Math.random() * 1_000_000));
              setSeed(next);
              apply(kind, next);
            }}
          >
            ⟳
          </button>
          <button type="submit" className="secondary" data-testid="sample-apply">
            Sample
          </button>
        </>
      )}
    </form>
  );
}

function GoToRow({ onGo, max }: { onGo: (row: number) => void; max: number }) {
  const [text, setText] = useState('');
  return (
    <form
      className="go-to-row"
      onSubmit={(event) => {
        event.preventDefault();
        const row = Number(text.replace(/[,_\s]/g, ''));
        if (Number.isInteger(row) && row >= 0) onGo(Math.min(row, Math.max(0, max - 1)));
      }}
    >
      <input
        aria-label="Go to row"
        placeholder="go to row…"
        className="narrow"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
    </form>
  );
}

/** One dataset: its schema, the grid over the current view, charts, downloads and reads. */
export function DatasetView({ dataset, onDelete }: DatasetViewProps) {
  const [view, setView] = useState<ViewState>(() => viewFromSearch(window.location.search));
  const [counted, setCounted] = useState<{ key: string; rows: number | null; error: string | null } | null>(null);
  const [failure, setPageError] = useState<{ source: RemoteRowSource; message: string } | null>(null);
  const [visible, setVisible] = useState({ first: 0, last: 0 });
  const [chartsOpen, setChartsOpen] = useState(true);
  const gridRef = useRef<GridHandle | null>(null);
  const columns = dataset.columns;
  const columnNames = useMemo(() => columns.map((column) => column.name), [columns]);
  const built = useMemo(() => buildFilter(view.filters, columns), [view.filters, columns]);
  const orderBy = orderByText(view.sort, dataset.primary_key);
  const filterKey = built.filter ? toJsonText(built.filter) : '';
  const sampleKey = view.sample ? `${view.sample.kind}:${view.sample.amount}:${view.sample.seed}` : '';
  const viewKey = `${dataset.name}|${dataset.updated_at}|${filterKey}|${orderBy ?? ''}|${sampleKey}`;
  const stream = useStreamRead(dataset.name);

  // The view lives in the URL, so a reload or a shared link shows the same rows.
  useEffect(() => {
    const search = viewToSearch(view);
    const url = `${window.location.pathname}${search ? `?${search}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [view]);

  const rowsRequest = useMemo<RowsRequest>(
    () => ({ columns: columnNames, filter: built.filter, orderBy, sample: view.sample }),
    // viewKey stands for filter, order and sample
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [viewKey, columnNames],
  );

  const source = useMemo(() => {
    const unfiltered = !built.filter && !view.sample;
    const created: RemoteRowSource = new RemoteRowSource({
      columnNames,
      rowCount: unfiltered ? dataset.row_count : null,
      fetchPage: (offset, limit, signal) => client.rows(dataset.name, { ...rowsRequest, offset, limit }, signal),
      onError: (error) => {
        setPageError({ source: created, message: describeError(error) });
      },
    });
    return created;
    // rowsRequest changes exactly when the view does
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rowsRequest]);
  const pageError = failure?.source === source ? failure.message : null;
  // Re-render the status bar as pages arrive.
  useSyncExternalStore(
    (listener) => source.subscribe(listener),
    () => source.version,
  );

  useEffect(() => {
    source.want(0, 60);
    return () => {
      source.stop();
    };
  }, [source]);

  // Count the rows of the view on the server (the dataset's count when nothing narrows it).
  const unfiltered = !built.filter && !view.sample;
  const count = unfiltered
    ? { rows: dataset.row_count, error: null }
    : counted?.key === viewKey
      ? counted
      : { rows: null, error: null };
  useEffect(() => {
    if (unfiltered) return undefined;
    const controller = new AbortController();
    client.query(dataset.name, countBody(built.filter, view.sample), controller.signal).then(
      (table) => {
        const rows = ColumnCells.ofTable(table)[0]?.number(0) ?? 0;
        source.setRowCount(rows);
        setCounted({ key: viewKey, rows, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setCounted({ key: viewKey, rows: null, error: describeError(error) });
      },
    );
    return () => {
      controller.abort();
    };
    // viewKey stands for filter and sample
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewKey, source]);

  const setFilter = useCallback((column: string, text: string) => {
    setView((previous) => {
      const filters: ColumnFilter[] = previous.filters.filter((filter) => filter.column !== column);
      if (text.trim() !== '') filters.push({ column, text });
      return { ...previous, filters };
    });
  }, []);

  const filterText = useCallback(
    (column: string) => view.filters.find((filter) => filter.column === column)?.text ?? '',
    [view.filters],
  );

  const downloadUrl = (format: DownloadFormat) => client.rowsUrl(dataset.name, { ...rowsRequest, format });
  const gridSource = stream.state?.source ?? source;
  const rowTotal = stream.state ? stream.state.source.rowCount : (count.rows ?? source.rowCount ?? 0);
  const narrowed = view.filters.length > 0 || view.sample !== null;

  return (
    <div className="dataset-view">
      <header className="dataset-header">
        <div>
          <div className="dataset-title">
            <h1>{dataset.name}</h1>
            <button
              type="button"
              className="link danger-text"
              title={`Delete ${dataset.name} and all its rows`}
              onClick={onDelete}
            >
              Delete dataset
            </button>
          </div>
          <p className="muted">
            {formatCount(dataset.row_count)} rows · {formatBytes(dataset.bytes)} on disk
            {dataset.primary_key?.length ? ` · primary key ${dataset.primary_key.join(', ')}` : ''} · updated{' '}
            {dataset.updated_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
          </p>
        </div>
        <ul className="schema" aria-label="Schema">
          {columns.map((column) => (
            <li key={column.name} title={column.required ? 'required' : 'nullable'}>
              <strong>{column.name}</strong> <span>{column.type}</span>
              {column.required ? null : <em>?</em>}
            </li>
          ))}
        </ul>
      </header>

      <div className="toolbar">
        <span className="row-count" data-testid="row-count" data-rows={count.rows ?? ''}>
          {count.rows === null ? (count.error ? '' : 'counting…') : `${formatCount(count.rows)} rows`}
          {narrowed && count.rows !== null ? ` of ${formatCount(dataset.row_count)}` : ''}
        </span>
        {count.error ? <span className="error">{count.error}</span> : null}
        {built.errors.size > 0 ? (
          <span className="error" data-testid="filter-errors">
            {[...built.errors].map(([column, message]) => `${column}: ${message}`).join('; ')}
          </span>
        ) : null}
        {narrowed ? (
          <button
            type="button"
            className="link"
            onClick={() => {
              setView((previous) => ({ ...previous, filters: [], sample: null }));
            }}
          >
            clear filters and sample
          </button>
        ) : null}
        <span className="spacer" />
        <SampleControl
          key={sampleKey}
          sample={view.sample}
          onChange={(sample) => {
            setView((previous) => ({ ...previous, sample }));
          }}
        />
        <GoToRow max={rowTotal} onGo={(row) => gridRef.current?.scrollToRow(row)} />
        <button
          type="button"
          className="secondary"
          disabled={stream.state?.status === 'reading'}
          title="Stream the whole view into the browser (Arrow record batches as they arrive)"
          data-testid="stream-start"
          onClick={() => {
            stream.start(rowsRequest, count.rows);
          }}
        >
          Read all
        </button>
        <span className="downloads" aria-label="Download">
          Download
          <a href={downloadUrl('arrow')} download={`${dataset.name}.arrows`} data-testid="download-arrow">
            Arrow
          </a>
          <a href={downloadUrl('parquet')} download={`${dataset.name}.parquet`} data-testid="download-parquet">
            Parquet
          </a>
          <a
            href={downloadUrl('csv')}
            download={`${dataset.name}.csv`}
            data-testid="download-csv"
            title={
              count.rows !== null && count.rows > csvRowCap
                ? 'The server caps CSV at 1,000,000 rows: filter or sample first'
                : 'CSV'
            }
            className={count.rows !== null && count.rows > csvRowCap ? 'capped' : undefined}
          >
            CSV
          </a>
        </span>
      </div>

      {stream.state ? <StreamBar state={stream.state} onCancel={stream.cancel} onClose={stream.close} /> : null}
      {pageError ? (
        <p className="error banner" role="alert">
          {pageError}
        </p>
      ) : null}

      <Grid
        ref={gridRef}
        source={gridSource}
        columns={columns}
        sort={view.sort}
        onSort={(column, keepOthers) => {
          setView((previous) => ({ ...previous, sort: toggleSort(previous.sort, column, keepOthers) }));
        }}
        filterText={filterText}
        filterError={(column) => built.errors.get(column)}
        onFilter={setFilter}
        onVisibleRange={(first, last) => {
          setVisible((previous) => (previous.first === first && previous.last === last ? previous : { first, last }));
        }}
        rowFailed={stream.state ? undefined : (row) => source.failed(row)}
      />
      <div className="status-bar" data-testid="status-bar">
        rows {formatCount(visible.first)}–{formatCount(Math.max(visible.first, visible.last))} of{' '}
        {formatCount(rowTotal)}
        {stream.state ? ' · in the browser' : ` · ${source.cachedPages} pages cached · ${source.requests} requests`}
        {orderBy ? ` · order by ${orderBy}` : ''}
        <span className="spacer" />
        <button
          type="button"
          className="link"
          onClick={() => {
            setChartsOpen(!chartsOpen);
          }}
        >
          {chartsOpen ? 'hide charts' : 'show charts'}
        </button>
      </div>
      {chartsOpen ? <ChartsPanel dataset={dataset} filter={built.filter} sample={view.sample} /> : null}
    </div>
  );
}
