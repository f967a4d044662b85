// The analysis under the video: its series over the clip's time with uPlot (loaded with this chunk,
// on demand), a line at the playhead that follows the video, and a click on the chart seeks the
// video there. The canvas is a picture: the values at the playhead are said in words below it,
// and the position slider of the controls is the keyboard's way to move.
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import uPlot from "uplot";

import { formatVideoTime, nearestIndex } from "./playback";
import styles from "./review.module.css";
import { axisTime, formatSeriesValue, type Scale } from "./series";
import { type Playhead, usePlayTime } from "./transport";

export interface ChartLine {
  key: string;
  /** in words with the unit */
  label: string;
  scale: Scale;
  /** the label without its unit, for the words at the playhead */
  short: string;
  /** 1–6: the token --color-series-N */
  colour: number;
  dashed?: boolean;
  x: number[];
  y: (number | null)[];
}

interface ChartProps {
  lines: ChartLine[];
  playhead: Playhead;
  onSeek: (time: number) => void;
  /** the x range: the clip (or the shared timeline) */
  span: { start: number; end: number } | null;
  /** the chart's name, for the words under it */
  title: string;
}

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const AXIS_WORDS: Record<Scale, string> = { levels: "of 255 levels", degrees: "degrees", other: "" };

export default function AnalysisChart({ lines, playhead, onSeek, span, title }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const seek = useRef(onSeek);
  seek.current = onSeek;
  const spanKey = span ? `${span.start}:${span.end}` : "";

  useEffect(() => {
    const element = box.current;
    if (!element || lines.length === 0) return;
    // One x for all: series measured at other moments are joined (uPlot.join), the gaps of
    // alignment bridged, the unmeasured moments (null) left as gaps.
    const data = uPlot.join(lines.map((line) => [line.x, line.y] as uPlot.AlignedData));
    const scales = [...new Set(lines.map((line) => line.scale))];
    const text = token("--color-muted");
    const grid = token("--color-border");
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
    const range = spanKey ? (spanKey.split(":").map(Number) as [number, number]) : null;
    const height = element.clientWidth < 500 ? 200 : 240;
    const made = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { y: false, points: { show: false }, drag: { x: false, y: false } },
        scales: {
          x: { time: false, ...(range ? { range: () => range } : {}) },
          ...Object.fromEntries(scales.map((scale) => [scale, { auto: true }])),
        },
        axes: [
          {
            ...axis,
            space: 60,
            values: (_u, splits, _i, _space, step) => splits.map((s) => axisTime(s, step)),
          },
          ...scales.map((scale, index) => ({
            ...axis,
            scale,
            side: index === 0 ? 3 : 1,
            grid: { show: index === 0, stroke: grid, width: 1 },
            label: AXIS_WORDS[scale],
            labelSize: 20,
            size: 44,
          })),
        ],
        series: [
          {},
          ...lines.map((line) => ({
            label: line.label,
            scale: line.scale,
            stroke: token(`--color-series-${line.colour}`),
            width: 2,
            dash: line.dashed ? [6, 4] : undefined,
            points: { show: false },
          })),
        ],
      },
      data,
      element,
    );
    chart.current = made;
    const mark = document.createElement("div");
    mark.className = styles.playhead ?? "";
    mark.dataset.playhead = "";
    made.over.appendChild(mark);
    const place = () => {
      const x = made.valToPos(playhead.state.time, "x");
      mark.style.transform = `translateX(${Math.round(x)}px)`;
      mark.hidden = !Number.isFinite(x) || x < 0 || x > made.over.clientWidth;
    };
    place();
    const stop = playhead.subscribe(place);
    const click = (event: MouseEvent) => {
      const time = made.posToVal(event.offsetX, "x");
      if (Number.isFinite(time)) seek.current(Math.max(0, time));
    };
    made.over.addEventListener("click", click);
    const resized = new ResizeObserver(() => {
      made.setSize({
        width: Math.max(200, element.clientWidth),
        height: element.clientWidth < 500 ? 200 : 240,
      });
      place();
    });
    resized.observe(element);
    return () => {
      stop();
      resized.disconnect();
      made.over.removeEventListener("click", click);
      made.destroy();
      chart.current = null;
    };
  }, [lines, playhead, spanKey]);

  return (
    <figure className={styles.chart} aria-label={title}>
      <div ref={box} className={styles.plot} aria-hidden="true" />
      <ul className={styles.legend}>
        {lines.map((line) => (
          <li key={line.key}>
            <span
              className={[styles.swatch, styles[`c${line.colour}`], line.dashed ? styles.dashed : ""].join(
                " ",
              )}
            />
            {line.label}
          </li>
        ))}
      </ul>
      <Readout lines={lines} playhead={playhead} />
    </figure>
  );
}

/** The values at the playhead, in words (to the tenth of a second). */
function Readout({ lines, playhead }: { lines: ChartLine[]; playhead: Playhead }) {
  const time = usePlayTime(playhead, 0.1);
  const said = lines.map((line) => {
    const index = nearestIndex(line.x, time, 0.25);
    return `${line.short}: ${formatSeriesValue(line.scale, index < 0 ? null : line.y[index])}`;
  });
  return (
    <figcaption className={styles.readout}>
      At {formatVideoTime(time, { tenths: true })}: {said.join("; ")}.
    </figcaption>
  );
}
