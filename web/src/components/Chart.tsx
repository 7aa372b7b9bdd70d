// A Chart.js chart on a canvas. Chart.js is loaded on first use (its own chunk), so the widget and
// the dashboard do not carry it.

import { useEffect, useRef, useState } from 'preact/hooks';

type ChartModule = typeof import('chart.js');
let loading: Promise<ChartModule> | null = null;

function loadChartJs(): Promise<ChartModule> {
  if (!loading) {
    loading = import('chart.js').then((m) => {
      m.Chart.register(
        m.BarController, m.LineController, m.BarElement, m.LineElement, m.PointElement,
        m.CategoryScale, m.LinearScale, m.Tooltip, m.Legend, m.Filler,
      );
      m.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      m.Chart.defaults.color = '#64748b';
      m.Chart.defaults.animation = false;
      return m;
    });
  }
  return loading;
}

export interface Series {
  label: string;
  data: Array<number | null>;
  color: string;
  fill?: boolean;
}

export function ChartView({ type, labels, series, label, yMax, yFormat, stacked, height = 240 }: {
  type: 'bar' | 'line';
  labels: string[];
  series: Series[];
  /** Accessible name of the chart (role img). */
  label: string;
  yMax?: number;
  yFormat?: (v: number) => string;
  stacked?: boolean;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify({ type, labels, series, yMax, stacked });

  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    loadChartJs().then((m) => {
      if (cancelled || !canvas.current) return;
      chart = new m.Chart(canvas.current, {
        type,
        data: {
          labels,
          datasets: series.map((s) => ({
            label: s.label,
            data: s.data,
            backgroundColor: type === 'line' ? `${s.color}22` : s.color,
            borderColor: s.color,
            borderWidth: type === 'line' ? 2 : 0,
            borderRadius: 3,
            pointRadius: 3,
            pointHoverRadius: 5,
            tension: 0.25,
            fill: s.fill ?? false,
            spanGaps: true,
            maxBarThickness: 36,
            // A point at 100% or in the last interval would otherwise be cut in half by the edge.
            clip: type === 'line' ? false : undefined,
          })),
        } as never,
        options: {
          responsive: true,
          maintainAspectRatio: false,
          layout: { padding: { top: 6, right: 8 } },
          interaction: { mode: 'index', intersect: false },
          plugins: {
            legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12, usePointStyle: true } },
            tooltip: yFormat ? { callbacks: { label: (c: { dataset: { label?: string }; parsed: { y: number } }) => `${c.dataset.label}: ${yFormat(c.parsed.y)}` } } : {},
          },
          scales: {
            x: { stacked, grid: { display: false } },
            y: {
              stacked,
              beginAtZero: true,
              max: yMax,
              grid: { color: '#eef2f7' },
              ticks: { precision: 0, callback: yFormat ? (v: number | string) => yFormat(Number(v)) : undefined },
            },
          },
        } as never,
      });
    }, () => setFailed(true));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [key]);

  if (failed) return <p class="muted">The chart could not be drawn.</p>;
  return (
    <div class="chart-box" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
