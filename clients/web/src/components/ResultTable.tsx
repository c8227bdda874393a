import type { Table } from 'apache-arrow';
import { ColumnCells } from '../arrow/columns';

/** A small Arrow table (an aggregate result) as an HTML table. */
export function ResultTable({ table, maxRows = 100, testId }: { table: Table; maxRows?: number; testId?: string }) {
  const cells = ColumnCells.ofTable(table);
  const names = table.schema.fields.map((field) => field.name);
  const rows = Math.min(table.numRows, maxRows);
  const body = [];
  for (let row = 0; row < rows; row += 1) {
    body.push(
      <tr key={row}>
        {cells.map((column, index) => {
          const text = column.text(row);
          return (
            <td key={names[index]} className={text === null ? 'null' : undefined}>
              {text ?? 'null'}
            </td>
          );
        })}
      </tr>,
    );
  }
  return (
    <div className="result-table" data-testid={testId}>
      <table>
        <thead>
          <tr>
            {names.map((name) => (
              <th key={name}>{name}</th>
            ))}
          </tr>
        </thead>
        <tbody>{body}</tbody>
      </table>
      {table.numRows > rows ? (
        <p className="muted">
          first {rows} of {table.numRows} rows
        </p>
      ) : null}
    </div>
  );
}
