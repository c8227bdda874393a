import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** Everything but the size, which follows the container. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  testId?: string;
}

/** One uPlot chart, recreated when its options change and resized with its container. */
export function UPlotChart({ options, data, height, testId }: UPlotChartProps) {
  const containerRef = useRef<HTMLDivElement | null>(null);
  const plotRef = useRef<uPlot | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const plot = new uPlot({ ...options, width: Math.max(200, container.clientWidth), height }, data, container);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(200, container.clientWidth), height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // data is applied below without rebuilding the chart
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options, height]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={containerRef} data-testid={testId} />;
}

export const palette = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777'];

function fill(color: string): string {
  return `${color}cc`;
}

const axisStyle = { stroke: '#475569', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { stroke: '#cbd5e1', width: 1 } };

function compactNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (magnitude >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (magnitude >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  return String(Math.round(value * 1000) / 1000);
}

const valueAxis: uPlot.Axis = { ...axisStyle, size: 60, values: (_plot, splits) => splits.map(compactNumber) };

/** Bars grow from zero: the value scale always includes it. */
const fromZero: uPlot.Scale = {
  range: (_plot, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1],
};

/** Bars over categories (x = 0..n-1, labelled). */
export function barOptions(labels: readonly string[], valueName: string): Omit<uPlot.Options, 'width' | 'height'> {
  const bars = uPlot.paths.bars?.({ size: [0.7, 80] });
  return {
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] }, y: fromZero },
    axes: [
      {
        ...axisStyle,
        splits: () => labels.map((_label, index) => index),
        values: (_plot, splits) =>
          splits.map((split) => {
            const label = labels[split] ?? '';
            return label.length > 14 ? `${label.slice(0, 13)}…` : label;
          }),
        rotate: labels.length > 8 ? -40 : 0,
        size: labels.length > 8 ? 80 : 40,
        gap: 4,
      },
      valueAxis,
    ],
    series: [
      {},
      {
        label: valueName,
        stroke: palette[0],
        fill: fill(palette[0] ?? '#2563eb'),
        paths: bars,
        points: { show: false },
      },
    ],
  };
}

/** Lines over time (x in epoch seconds, shown in UTC). */
export function timeOptions(names: readonly string[]): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    legend: { show: true, live: false },
    scales: { x: { time: true } },
    axes: [{ ...axisStyle }, valueAxis],
    series: [
      {},
      ...names.map((name, index) => ({
        label: name,
        stroke: palette[index % palette.length],
        width: 1.5,
        spanGaps: false,
        points: { show: false },
      })),
    ],
  };
}

/** A histogram: bars centred on their bins. */
export function histogramOptions(valueName: string, width: number): Omit<uPlot.Options, 'width' | 'height'> {
  const bars = uPlot.paths.bars?.({ size: [0.96, Infinity], align: 0 });
  return {
    legend: { show: false },
    // x holds bin centres: show whole bins, edge to edge.
    scales: { x: { time: false, range: (_plot, min, max) => [min - width / 2, max + width / 2] }, y: fromZero },
    axes: [{ ...axisStyle, values: (_plot, splits) => splits.map((split) => compactNumber(split)) }, valueAxis],
    series: [
      { label: `bin (width ${width})` },
      {
        label: valueName,
        stroke: palette[2],
        fill: fill(palette[2] ?? '#16a34a'),
        paths: bars,
        points: { show: false },
      },
    ],
  };
}
