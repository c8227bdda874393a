import { useVirtualizer } from '@tanstack/react-virtual';
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ColumnSpec } from '../api/types';
import { defaultColumnWidth, isNumericKind, typeKind } from '../query/columnTypes';
import { filterPlaceholder, filterSyntaxHelp } from '../query/filter';
import type { SortKey } from '../query/viewQuery';
import type { RowSource } from '../grid/rowSource';
import {
  clampVirtual,
  offsetOfRow,
  realToVirtual,
  spacerHeight,
  virtualToReal,
  visibleRows,
  wheelPixels,
  type ScrollGeometry,
} from '../grid/scroll';
import { FilterInput } from './FilterInput';

export const rowHeight = 26;
const headerHeight = 44;
const filterHeight = 30;
const chromeHeight = headerHeight + filterHeight;
const gutterWidth = 84;

export interface GridHandle {
  scrollToRow: (row: number) => void;
  visibleRange: () => { first: number; last: number };
  focus: () => void;
}

export interface GridProps {
  source: RowSource;
  columns: readonly ColumnSpec[];
  sort: readonly SortKey[];
  onSort: (column: string, keepOthers: boolean) => void;
  filterText: (column: string) => string;
  filterError: (column: string) => string | undefined;
  onFilter: (column: string, text: string) => void;
  onVisibleRange?: (first: number, last: number) => void;
  /** Whether a row's page failed to load (drawn as an error instead of a placeholder). */
  rowFailed?: (row: number) => boolean;
}

function sortMark(sort: readonly SortKey[], column: string): string {
  const index = sort.findIndex((key) => key.column === column);
  if (index < 0) return '';
  const arrow = sort[index]?.descending ? '▼' : '▲';
  return sort.length > 1 ? `${arrow}${index + 1}` : arrow;
}

/**
 * A virtualised grid for any number of rows: only the visible rows and columns exist
 * in the DOM; rows scroll through a scaled spacer (grid/scroll.ts), columns through
 * @tanstack/react-virtual. Cells come from a RowSource and render as they arrive.
 */
export const Grid = forwardRef<GridHandle, GridProps>(function Grid(props, ref) {
  const { source, columns, sort, onSort, filterText, filterError, onFilter, onVisibleRange, rowFailed } = props;
  const scrollerRef = useRef<HTMLDivElement | null>(null);
  const virtualRef = useRef(0);
  const [virtualTop, setVirtualTop] = useState(0);
  const [viewport, setViewport] = useState({ width: 800, height: 400 });
  const [widths, setWidths] = useState<Record<string, number>>({});
  useSyncExternalStore(
    (listener) => source.subscribe(listener),
    () => source.version,
  );

  const rowCount = source.rowCount ?? 0;
  const geometry: ScrollGeometry = {
    rowCount,
    rowHeight,
    viewportHeight: Math.max(rowHeight, viewport.height - chromeHeight),
  };
  const geometryRef = useRef(geometry);
  geometryRef.current = geometry;

  const widthOf = useCallback((column: ColumnSpec) => widths[column.name] ?? defaultColumnWidth(column.type), [widths]);

  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: (index) => {
      const column = columns[index];
      return column ? widthOf(column) : 120;
    },
    paddingStart: gutterWidth,
    overscan: 3,
  });

  useEffect(() => {
    columnVirtualizer.measure();
  }, [widths, columns, columnVirtualizer]);

  // Viewport size.
  useLayoutEffect(() => {
    const element = scrollerRef.current;
    if (!element) return undefined;
    const update = () => {
      setViewport({ width: element.clientWidth, height: element.clientHeight });
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, []);

  const moveTo = useCallback((virtual: number) => {
    const element = scrollerRef.current;
    const clamped = clampVirtual(geometryRef.current, virtual);
    virtualRef.current = clamped;
    setVirtualTop(clamped);
    if (element) element.scrollTop = virtualToReal(geometryRef.current, clamped);
  }, []);

  // Keep the position valid when the row count shrinks (a new filter).
  useEffect(() => {
    if (virtualRef.current > clampVirtual(geometry, virtualRef.current)) moveTo(virtualRef.current);
  });

  // The scrollbar (or anything else that sets scrollTop) moves the view in scaled steps.
  const onScroll = useCallback(() => {
    const element = scrollerRef.current;
    if (!element) return;
    const expected = virtualToReal(geometryRef.current, virtualRef.current);
    if (Math.abs(element.scrollTop - expected) <= 1.5) return;
    const virtual = realToVirtual(geometryRef.current, element.scrollTop);
    virtualRef.current = virtual;
    setVirtualTop(virtual);
  }, []);

  // The wheel moves the view by real pixels, however tall the table is.
  useEffect(() => {
    const element = scrollerRef.current;
    if (!element) return undefined;
    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey) return;
      const vertical = wheelPixels(event.deltaY, event.deltaMode, geometryRef.current);
      if (vertical === 0 || Math.abs(event.deltaX) > Math.abs(event.deltaY)) return;
      event.preventDefault();
      moveTo(virtualRef.current + vertical);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      element.removeEventListener('wheel', onWheel);
    };
  }, [moveTo]);

  const onKeyDown = useCallback(
    (event: React.KeyboardEvent<HTMLDivElement>) => {
      if (event.target !== scrollerRef.current) return;
      const page = geometryRef.current.viewportHeight - rowHeight;
      const moves: Record<string, number> = {
        ArrowDown: rowHeight,
        ArrowUp: -rowHeight,
        PageDown: page,
        PageUp: -page,
        ' ': event.shiftKey ? -page : page,
      };
      const delta = moves[event.key];
      if (delta !== undefined) {
        event.preventDefault();
        moveTo(virtualRef.current + delta);
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        moveTo(event.key === 'Home' ? 0 : Number.MAX_SAFE_INTEGER);
      }
    },
    [moveTo],
  );

  useImperativeHandle(
    ref,
    () => ({
      scrollToRow: (row: number) => {
        moveTo(offsetOfRow(geometryRef.current, row));
      },
      visibleRange: () => {
        const visible = visibleRows(geometryRef.current, virtualRef.current);
        return { first: visible.first, last: visible.first + visible.count - 1 };
      },
      focus: () => scrollerRef.current?.focus(),
    }),
    [moveTo],
  );

  const visible = visibleRows(geometry, virtualTop);
  const lastRow = visible.first + visible.count - 1;

  useEffect(() => {
    if (visible.count > 0) source.want(visible.first, lastRow);
    onVisibleRange?.(visible.first, lastRow);
  });

  const totalWidth = columnVirtualizer.getTotalSize();
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const spacer = spacerHeight(geometry);

  const startResize = (column: ColumnSpec, event: React.PointerEvent<HTMLSpanElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = widthOf(column);
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const onMove = (move: PointerEvent) => {
      const width = Math.max(48, Math.round(startWidth + move.clientX - startX));
      setWidths((previous) => ({ ...previous, [column.name]: width }));
    };
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  const rows = [];
  for (let index = 0; index < visible.count; index += 1) {
    const row = visible.first + index;
    const failed = rowFailed?.(row) ?? false;
    rows.push(
      <div
        key={row}
        className={row % 2 === 0 ? 'grid-row' : 'grid-row odd'}
        data-row={row}
        style={{ top: index * rowHeight - visible.shift, width: totalWidth, height: rowHeight }}
      >
        <div className="grid-gutter" style={{ width: gutterWidth }}>
          {row.toLocaleString('en-US')}
        </div>
        {virtualColumns.map((item) => {
          const column = columns[item.index];
          if (!column) return null;
          const value = source.cell(row, item.index);
          const numeric = isNumericKind(typeKind(column.type));
          const className = [
            'grid-cell',
            numeric ? 'numeric' : '',
            value === undefined ? (failed ? 'failed' : 'loading') : '',
            value === null ? 'null' : '',
          ].join(' ');
          return (
            <div
              key={item.key}
              className={className}
              data-col={column.name}
              style={{ left: item.start, width: item.size }}
              title={value ?? undefined}
            >
              {value === undefined ? (failed ? '⚠' : '') : value === null ? 'null' : value}
            </div>
          );
        })}
      </div>,
    );
  }

  return (
    <div className="grid" data-testid="grid" data-row-count={rowCount}>
      <div className="grid-scroller" ref={scrollerRef} tabIndex={0} onScroll={onScroll} onKeyDown={onKeyDown}>
        <div style={{ height: chromeHeight + spacer, width: totalWidth, position: 'relative' }}>
          <div className="grid-window" style={{ height: viewport.height, width: totalWidth }}>
            <div className="grid-header" style={{ height: headerHeight, width: totalWidth }}>
              <div className="grid-gutter grid-corner" style={{ width: gutterWidth, height: chromeHeight }}>
                <span>row</span>
              </div>
              {virtualColumns.map((item) => {
                const column = columns[item.index];
                if (!column) return null;
                const mark = sortMark(sort, column.name);
                return (
                  <div
                    key={item.key}
                    className={`grid-header-cell ${mark ? 'sorted' : ''}`}
                    data-col={column.name}
                    style={{ left: item.start, width: item.size, height: headerHeight }}
                  >
                    <button
                      type="button"
                      className="grid-sort"
                      title={`Sort by ${column.name} (shift-click adds a key)`}
                      onClick={(event) => {
                        onSort(column.name, event.shiftKey);
                      }}
                    >
                      <span className="grid-name">{column.name}</span>
                      <span className="grid-type">
                        {column.type}
                        {column.required ? '' : ' · null'}
                      </span>
                      <span className="grid-sort-mark">{mark}</span>
                    </button>
                    <span
                      className="grid-resize"
                      role="separator"
                      aria-label={`Resize ${column.name}`}
                      onPointerDown={(event) => {
                        startResize(column, event);
                      }}
                    />
                  </div>
                );
              })}
            </div>
            <div className="grid-filters" style={{ top: headerHeight, height: filterHeight, width: totalWidth }}>
              {virtualColumns.map((item) => {
                const column = columns[item.index];
                if (!column) return null;
                const error = filterError(column.name);
                return (
                  <div key={item.key} className="grid-filter-cell" style={{ left: item.start, width: item.size }}>
                    <FilterInput
                      column={column.name}
                      value={filterText(column.name)}
                      placeholder={filterPlaceholder(column.type)}
                      error={error}
                      help={filterSyntaxHelp}
                      onCommit={(text) => {
                        onFilter(column.name, text);
                      }}
                    />
                  </div>
                );
              })}
            </div>
            <div
              className="grid-body"
              style={{ top: chromeHeight, height: geometry.viewportHeight, width: totalWidth }}
            >
              {rows}
              {rowCount === 0 && source.rowCount !== null ? <div className="grid-empty">No rows match.</div> : null}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
});
