import { useCallback, useEffect, useState } from 'react';
import { client } from '../api/client';
import { describeError } from '../api/problem';
import type { DatasetInfo } from '../api/types';
import { formatBytes, formatCount } from '../arrow/format';
import { ApiDocs } from './ApiDocs';
import { DatasetView } from './DatasetView';
import { DropZone } from './DropZone';
import { UploadDialog } from './UploadDialog';

type Route = { page: 'home' } | { page: 'dataset'; name: string } | { page: 'api' };

export function routeOf(pathname: string): Route {
  if (pathname === '/api-docs' || pathname === '/api-docs/') return { page: 'api' };
  const match = /^\/datasets\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1]) return { page: 'dataset', name: decodeURIComponent(match[1]) };
  return { page: 'home' };
}

function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function App() {
  const [requested, setRoute] = useState<Route>(() => routeOf(window.location.pathname));
  const [datasets, setDatasets] = useState<DatasetInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<File | null>(null);

  useEffect(() => {
    const onPop = () => {
      setRoute(routeOf(window.location.pathname));
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, []);

  const refresh = useCallback(() => {
    client.listDatasets().then(
      (list) => {
        setDatasets(list);
        setError(null);
      },
      (failure: unknown) => {
        setError(`Could not list the datasets: ${describeError(failure)}`);
      },
    );
  }, []);

  useEffect(refresh, [refresh]);

  // The home page shows the first dataset.
  const first = datasets?.[0]?.name;
  const route: Route = requested.page === 'home' && first ? { page: 'dataset', name: first } : requested;
  useEffect(() => {
    if (requested.page === 'home' && first)
      window.history.replaceState(null, '', `/datasets/${encodeURIComponent(first)}`);
  }, [requested, first]);

  const current = route.page === 'dataset' ? (datasets?.find((dataset) => dataset.name === route.name) ?? null) : null;

  const remove = async (name: string) => {
    if (!window.confirm(`Delete the dataset ${name} and all its rows?`)) return;
    try {
      await client.deleteDataset(name);
      navigate('/');
      refresh();
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <div
      className="app"
      onDragOver={(event) => {
        // A file dropped anywhere opens the upload dialog instead of replacing the page.
        if (event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={(event) => {
        const file = event.dataTransfer.files[0];
        if (!file) return;
        event.preventDefault();
        setUpload(file);
      }}
    >
      <aside className="sidebar">
        <a
          className="brand"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          <span className="logo">➶</span> Quiver
        </a>
        <nav aria-label="Datasets">
          <h2>
            Datasets
            <button type="button" className="icon" title="Refresh" aria-label="Refresh datasets" onClick={refresh}>
              ⟳
            </button>
          </h2>
          {datasets === null && !error ? <p className="muted">Loading…</p> : null}
          {datasets?.length === 0 ? <p className="muted">No datasets yet: drop a file below.</p> : null}
          <ul className="dataset-list" data-testid="dataset-list">
            {datasets?.map((dataset) => (
              <li key={dataset.name}>
                <a
                  href={`/datasets/${encodeURIComponent(dataset.name)}`}
                  className={current?.name === dataset.name ? 'active' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/datasets/${encodeURIComponent(dataset.name)}`);
                  }}
                >
                  <strong>{dataset.name}</strong>
                  <span className="muted">
                    {formatCount(dataset.row_count)} rows · {dataset.columns.length} columns ·{' '}
                    {formatBytes(dataset.bytes)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <DropZone onFile={setUpload} />
        <a
          className="api-link"
          href="/api-docs"
          onClick={(event) => {
            event.preventDefault();
            navigate('/api-docs');
          }}
        >
          API docs (OpenAPI)
        </a>
      </aside>
      <main className="main">
        {error ? (
          <p className="error banner" role="alert">
            {error}
          </p>
        ) : null}
        {route.page === 'api' ? <ApiDocs /> : null}
        {route.page === 'dataset' && current ? (
          <DatasetView
            key={current.name}
            dataset={current}
            onDelete={() => {
              void remove(current.name);
            }}
          />
        ) : null}
        {route.page === 'dataset' && datasets && !current ? (
          <p className="muted">There is no dataset called {route.name}.</p>
        ) : null}
      </main>
      {upload ? (
        <UploadDialog
          file={upload}
          datasets={datasets ?? []}
          current={current?.name ?? null}
          onClose={() => {
            setUpload(null);
          }}
          onUploaded={(name) => {
            refresh();
            if (current?.name !== name) navigate(`/datasets/${encodeURIComponent(name)}`);
          }}
        />
      ) : null}
    </div>
  );
}
