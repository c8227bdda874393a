import { useEffect, useState } from 'react';

interface Operation {
  method: string;
  path: string;
  summary: string;
  parameters: string[];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lists the operations of an OpenAPI document. */
export function operationsOf(document: unknown): Operation[] {
  if (!isRecord(document) || !isRecord(document.paths)) return [];
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (!isRecord(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const parameters = Array.isArray(operation.parameters)
        ? operation.parameters
            .filter(isRecord)
            .map((parameter) =>
              typeof parameter.name === 'string'
                ? parameter.name
                : typeof parameter.$ref === 'string'
                  ? (parameter.$ref.split('/').pop() ?? '')
                  : '',
            )
        : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        summary: typeof operation.summary === 'string' ? operation.summary : '',
        parameters: parameters.filter(Boolean),
      });
    }
  }
  return operations;
}

/** The API contract (docs/openapi.yaml, shipped with the app) as a readable page. */
export function ApiDocs() {
  const [document, setDocument] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch('/openapi.json')
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json() as Promise<unknown>;
      })
      .then(setDocument, (failure: unknown) => {
        setError(String(failure));
      });
  }, []);
  const info = isRecord(document) && isRecord(document.info) ? document.info : {};
  return (
    <div className="api-docs" data-testid="api-docs">
      <h1>Quiver API {typeof info.version === 'string' ? `v${info.version}` : ''}</h1>
      <p className="muted">
        {typeof info.description === 'string' ? info.description : ''} The full contract:{' '}
        <a href="/openapi.yaml" download>
          openapi.yaml
        </a>{' '}
        (OpenAPI 3.1).
      </p>
      {error ? <p className="error">Could not load the API description: {error}</p> : null}
      <table>
        <thead>
          <tr>
            <th>method</th>
            <th>path</th>
            <th>what it does</th>
            <th>parameters</th>
          </tr>
        </thead>
        <tbody>
          {operationsOf(document).map((operation) => (
            <tr key={`${operation.method} ${operation.path}`}>
              <td>
                <code className={`method ${operation.method.toLowerCase()}`}>{operation.method}</code>
              </td>
              <td>
                <code>{operation.path}</code>
              </td>
              <td>{operation.summary}</td>
              <td className="muted">{operation.parameters.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
