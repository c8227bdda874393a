import { describe, expect, it } from 'vitest';
import {
  maxSpacerPx,
  maxVirtualOffset,
  offsetOfRow,
  realToVirtual,
  spacerHeight,
  virtualToReal,
  visibleRows,
  wheelPixels,
  type ScrollGeometry,
} from './scroll';

const tenMillion: ScrollGeometry = { rowCount: 10_000_000, rowHeight: 26, viewportHeight: 520 };
const small: ScrollGeometry = { rowCount: 100, rowHeight: 26, viewportHeight: 520 };

describe('scaled scrolling', () => {
  it('caps the spacer below browser limits', () => {
    expect(spacerHeight(tenMillion)).toBe(maxSpacerPx);
    expect(spacerHeight(small)).toBe(2600);
  });

  it('maps 1:1 when the table fits', () => {
    expect(realToVirtual(small, 300)).toBe(300);
    expect(virtualToReal(small, 300)).toBe(300);
  });

  it('maps the ends onto the ends and round-trips in between', () => {
    const maxReal = spacerHeight(tenMillion) - tenMillion.viewportHeight;
    expect(realToVirtual(tenMillion, 0)).toBe(0);
    expect(realToVirtual(tenMillion, maxReal)).toBe(maxVirtualOffset(tenMillion));
    const virtual = offsetOfRow(tenMillion, 1_000_000);
    expect(realToVirtual(tenMillion, virtualToReal(tenMillion, virtual))).toBeCloseTo(virtual, 3);
  });

  it('shows row 1,000,000 at the top after going there', () => {
    const visible = visibleRows(tenMillion, offsetOfRow(tenMillion, 1_000_000));
    expect(visible).toEqual({ first: 1_000_000, count: 21, shift: 0 });
  });

  it('draws a partly scrolled first row and never past the end', () => {
    expect(visibleRows(small, 13)).toEqual({ first: 0, count: 22, shift: 13 });
    const end = visibleRows(tenMillion, Number.MAX_SAFE_INTEGER);
    expect(end.first + end.count).toBe(10_000_000);
    expect(visibleRows({ ...small, rowCount: 0 }, 0)).toEqual({ first: 0, count: 0, shift: 0 });
    expect(offsetOfRow(small, 99)).toBe(2600 - 520);
  });

  it('turns wheel lines and pages into pixels', () => {
    expect(wheelPixels(3, 1, small)).toBe(78);
    expect(wheelPixels(1, 2, small)).toBe(520);
    expect(wheelPixels(100, 0, small)).toBe(100);
  });
});
