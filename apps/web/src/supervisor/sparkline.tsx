import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Sample } from './live-stats';

/** The last hour of one workgroup: waiting (bars' height) and service level (%), drawn by uPlot. */
export function Sparkline({ samples, label }: { samples: Sample[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!host.current) return;
    chart.current = new uPlot(
      {
        width: 260,
        height: 90,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true }, w: { range: (_u, _min, max) => [0, Math.max(1, max)] }, sl: { range: [0, 100] } },
        axes: [
          { show: false },
          { scale: 'w', size: 28, stroke: '#475569', grid: { show: false }, ticks: { show: false } },
          { scale: 'sl', side: 1, size: 30, stroke: '#475569', grid: { show: false }, ticks: { show: false } },
        ],
        series: [
          {},
          { label: 'Waiting', scale: 'w', stroke: '#b45309', width: 2, fill: 'rgba(180,83,9,0.12)' },
          { label: 'Service level', scale: 'sl', stroke: '#1d4ed8', width: 2 },
        ],
      },
      [[], [], []],
      host.current,
    );
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setData([
      samples.map((s) => s.at / 1000),
      samples.map((s) => s.waiting),
      samples.map((s) => s.serviceLevel),
    ]);
  }, [samples]);
  const last = samples.at(-1);
  const peak = Math.max(0, ...samples.map((s) => s.waiting));
  return (
    <figure className="sparkline" data-samples={samples.length}>
      <div ref={host} aria-hidden="true" />
      <figcaption>
        {label}: waiting now {last?.waiting ?? 0} (peak {peak} in the last hour), service level{' '}
        {last?.serviceLevel === null || last === undefined ? 'not yet measured' : `${last.serviceLevel} %`}
      </figcaption>
    </figure>
  );
}
