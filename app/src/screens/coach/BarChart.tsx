// Horizontal bars of counts (the statistics screen's risk levels, events and session types),
// drawn by uPlot on a canvas and loaded with it on demand, never with a first screen. The canvas
// is a picture (aria-hidden): the screen says the same figures in words and in a table.
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import type { Bar } from "./statistics";
import styles from "./statistics.module.css";

const ROW = 34;
const LABEL_CHARS = 22;

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** A long name cut to fit the axis ("Regional championship qu…"); the table has it whole. */
const short = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

export default function BarChart({ bars }: { bars: Bar[] }) {
  const box = useRef<HTMLDivElement>(null);
  const signature = JSON.stringify(bars);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const bars = JSON.parse(signature) as Bar[];
    const labels = bars.map((bar) => short(bar.label));
    const height = bars.length * ROW + 44;
    const text = token("--color-muted");
    const axis = {
      stroke: text,
      ticks: { show: false },
      font: `13px ${token("--font-body") || "sans-serif"}`,
    };
    const longest = Math.max(...labels.map((label) => label.length), 4);
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          // Categories down the left (the first on top), counts along the bottom.
          x: { time: false, ori: 1, dir: -1, range: [-0.5, bars.length - 0.5] },
          y: { ori: 0, range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max))] },
        },
        axes: [
          {
            ...axis,
            side: 3,
            grid: { show: false },
            size: Math.min(180, longest * 7.5 + 12),
            splits: () => bars.map((_, i) => i),
            values: (_u, splits) => splits.map((i) => labels[i] ?? ""),
          },
          {
            ...axis,
            side: 2,
            size: 28,
            grid: { stroke: token("--color-border"), width: 1 },
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
            values: (_u, splits) => splits.map((n) => String(n)),
          },
        ],
        series: [
          {},
          {
            label: "Sessions",
            fill: token("--color-primary"),
            stroke: token("--color-primary"),
            width: 0,
            paths: uPlot.paths.bars?.({ size: [0.6, 24] }),
            points: { show: false },
          },
        ],
      },
      [bars.map((_, i) => i), bars.map((bar) => bar.count || null)],
      element,
    );
    const resized = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, element.clientWidth), height }),
    );
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [signature]);
  return <div ref={box} className={styles.plot} aria-hidden="true" />;
}
