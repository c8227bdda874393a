import { useState } from 'react';
import { AggregateChart } from './charts/AggregateChart';
import { HistogramChart } from './charts/HistogramChart';
import { TimeChart } from './charts/TimeChart';
import type { ChartProps } from './charts/shared';

export type ChartsPanelProps = ChartProps;

type Tab = 'aggregate' | 'time' | 'histogram';

/** Charts over the current view, each computed by the server (group by, buckets), never from raw rows. */
export function ChartsPanel(props: ChartsPanelProps) {
  const [tab, setTab] = useState<Tab>('aggregate');
  const tabs: [Tab, string][] = [
    ['aggregate', 'Group by'],
    ['time', 'Over time'],
    ['histogram', 'Histogram'],
  ];
  return (
    <section className="charts" aria-label="Charts">
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'tab active' : 'tab'}
            onClick={() => {
              setTab(id);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div hidden={tab !== 'aggregate'}>
        <AggregateChart {...props} />
      </div>
      <div hidden={tab !== 'time'}>
        <TimeChart {...props} />
      </div>
      <div hidden={tab !== 'histogram'}>
        <HistogramChart {...props} />
      </div>
    </section>
  );
}
