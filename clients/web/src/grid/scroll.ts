/**
 * Scaled scrolling for tables taller than a browser can lay out. Browsers cap an
 * element's height (Chromium near 33.5M px, Firefox near 17.9M px), and 10M rows of
 * 26 px are 260M px. So the scrollable spacer is at most maxSpacerPx tall, and the
 * "virtual" offset (row × row height) maps linearly onto the real scrollTop. Wheel
 * and keys move the virtual offset by real pixels; only the scrollbar thumb is scaled.
 */
export const maxSpacerPx = 8_000_000;

export interface ScrollGeometry {
  rowCount: number;
  rowHeight: number;
  /** Height of the area rows are drawn in (below the header). */
  viewportHeight: number;
}

export function contentHeight(geometry: ScrollGeometry): number {
  return geometry.rowCount * geometry.rowHeight;
}

/** Height of the scrollable spacer for the rows. */
export function spacerHeight(geometry: ScrollGeometry): number {
  return Math.min(contentHeight(geometry), maxSpacerPx);
}

export function maxVirtualOffset(geometry: ScrollGeometry): number {
  return Math.max(0, contentHeight(geometry) - geometry.viewportHeight);
}

function maxRealOffset(geometry: ScrollGeometry): number {
  return Math.max(0, spacerHeight(geometry) - geometry.viewportHeight);
}

export function clampVirtual(geometry: ScrollGeometry, offset: number): number {
  return Math.min(Math.max(0, offset), maxVirtualOffset(geometry));
}

export function realToVirtual(geometry: ScrollGeometry, real: number): number {
  const maxReal = maxRealOffset(geometry);
  if (maxReal <= 0) return 0;
  return clampVirtual(geometry, (real / maxReal) * maxVirtualOffset(geometry));
}

export function virtualToReal(geometry: ScrollGeometry, virtual: number): number {
  const maxVirtual = maxVirtualOffset(geometry);
  if (maxVirtual <= 0) return 0;
  return (clampVirtual(geometry, virtual) / maxVirtual) * maxRealOffset(geometry);
}

export interface VisibleRows {
  /** First row drawn (partly visible). */
  first: number;
  /** Number of rows to draw from first. */
  count: number;
  /** How far the first row is pushed above the top of the viewport, in px. */
  shift: number;
}

export function visibleRows(geometry: ScrollGeometry, virtual: number): VisibleRows {
  const offset = clampVirtual(geometry, virtual);
  if (geometry.rowCount === 0 || geometry.rowHeight <= 0) return { first: 0, count: 0, shift: 0 };
  const first = Math.min(Math.floor(offset / geometry.rowHeight), geometry.rowCount - 1);
  const shift = offset - first * geometry.rowHeight;
  const count = Math.min(
    geometry.rowCount - first,
    Math.ceil((geometry.viewportHeight + shift) / geometry.rowHeight) + 1,
  );
  return { first, count: Math.max(0, count), shift };
}

/** The virtual offset that puts a row at the top of the viewport. */
export function offsetOfRow(geometry: ScrollGeometry, row: number): number {
  return clampVirtual(geometry, row * geometry.rowHeight);
}

/** Pixels a wheel event asks for, whatever unit it was given in. */
export function wheelPixels(delta: number, deltaMode: number, geometry: ScrollGeometry): number {
  if (deltaMode === 1) return delta * geometry.rowHeight;
  if (deltaMode === 2) return delta * geometry.viewportHeight;
  return delta;
}
