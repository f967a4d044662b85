// The last 14 days, a bar a day: the sessions of each day (not cancelled) and, inside, the ones
// completed; from the person's per-day counters (data/stats.ts), in the time zone the statistics
// count days in. Loaded on demand with its chart library (uPlot), so the first screen stays
// small. The canvas is a picture: the same figures are in words and in a table for everyone.
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import {
  calendarDay,
  type DayCount,
  daysEnding,
  perDay,
  statsYearDoc,
  type YearDays,
  yearDaysFrom,
} from "../../data/stats";
import { Loading } from "../../ui/Loading";
import styles from "./athlete.module.css";
import chartStyles from "./RecentDays.module.css";

const DAYS = 14;

export default function RecentDays({ timeZone }: { timeZone: string }) {
  const { account } = useSignedIn();
  const db = useDb();
  const days = daysEnding(calendarDay(new Date(), timeZone), DAYS);
  const firstYear = days[0]?.slice(0, 4) ?? "";
  const lastYear = days[days.length - 1]?.slice(0, 4) ?? "";
  const last = useDocument(statsYearDoc(db, account.uid, lastYear), yearDaysFrom);
  const first = useDocument(
    firstYear === lastYear ? null : statsYearDoc(db, account.uid, firstYear),
    yearDaysFrom,
  );
  const waiting = last.status === "loading" || (firstYear !== lastYear && first.status === "loading");
  if (waiting) return <Loading label="Loading your last two weeks…" />;
  if (last.status === "error" || first.status === "error") {
    return <p className={styles.muted}>Your last two weeks could not be loaded.</p>;
  }
  const years: Record<string, YearDays | null> = {};
  if (first.status === "ready") years[firstYear] = first.data;
  if (last.status === "ready") years[lastYear] = last.data;
  return <Chart counts={perDay(days, years)} />;
}

/** A calendar day (YYYY-MM-DD) as a short label ("Mon 3"), or a long one ("Monday 3 March"). */
function dayLabel(day: string, long = false): string {
  const parts = new Intl.DateTimeFormat(undefined, {
    timeZone: "UTC",
    weekday: long ? "long" : "short",
    day: "numeric",
    month: long ? "long" : undefined,
  }).formatToParts(new Date(`${day}T12:00:00Z`));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return [part("weekday"), part("day"), long ? part("month") : ""].filter(Boolean).join(" ");
}

function summary(counts: DayCount[]): string {
  const sessions = counts.reduce((sum, c) => sum + c.sessions, 0);
  const completed = counts.reduce((sum, c) => sum + c.completed, 0);
  const active = counts.filter((c) => c.sessions > 0).length;
  if (sessions === 0) return `No sessions in the last ${DAYS} days.`;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `In the last ${DAYS} days: ${plural(sessions, "session")} on ${plural(active, "day")}, ${completed} completed.`;
}

function Chart({ counts }: { counts: DayCount[] }) {
  const said = summary(counts);
  const any = counts.some((c) => c.sessions > 0 || c.completed > 0);
  return (
    <figure className={`${styles.card} ${chartStyles.chart}`} aria-labelledby="recent-title">
      <h3 id="recent-title">Last {DAYS} days</h3>
      <p>{said}</p>
      {any && (
        <>
          <Plot counts={counts} />
          <ul className={chartStyles.legend} aria-hidden="true">
            <li>
              <span className={`${chartStyles.swatch} ${chartStyles.swatchSessions}`} />
              Sessions
            </li>
            <li>
              <span className={`${chartStyles.swatch} ${chartStyles.swatchCompleted}`} />
              Completed
            </li>
          </ul>
          <details className={chartStyles.details}>
            <summary>Show as a table</summary>
            <table className={chartStyles.table}>
              <caption className={styles.muted}>Sessions per day, last {DAYS} days</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className={chartStyles.number}>
                    Sessions
                  </th>
                  <th scope="col" className={chartStyles.number}>
                    Completed
                  </th>
                </tr>
              </thead>
              <tbody>
                {counts.map((c) => (
                  <tr key={c.day}>
                    <th scope="row">{dayLabel(c.day, true)}</th>
                    <td className={chartStyles.number}>{c.sessions}</td>
                    <td className={chartStyles.number}>{c.completed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The bars, drawn by uPlot on a canvas as wide as its box. */
function Plot({ counts }: { counts: DayCount[] }) {
  const box = useRef<HTMLDivElement>(null);
  // Drawn again only when a figure changes, not on every render of the screen.
  const signature = JSON.stringify(counts);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const counts = JSON.parse(signature) as DayCount[];
    const data: uPlot.AlignedData = [
      counts.map((_, i) => i),
      // A day without any has no bar (null), not a flat outline on the axis.
      counts.map((c) => c.sessions || null),
      counts.map((c) => c.completed || null),
    ];
    const labels = counts.map((c) => dayLabel(c.day));
    const bars = uPlot.paths.bars;
    const text = token("--color-muted");
    const grid = token("--color-border");
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: 200,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, counts.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max))] },
        },
        axes: [
          {
            ...axis,
            grid: { show: false },
            space: 44,
            incrs: [1, 2, 7],
            // Counted back from today, so today always has its label.
            splits: (_u, _axis, _min, _max, step) => {
              const at: number[] = [];
              for (let i = counts.length - 1; i >= 0; i -= Math.max(1, step)) at.unshift(i);
              return at;
            },
            values: (_u, splits) => splits.map((i) => labels[i] ?? ""),
          },
          { ...axis, incrs: [1, 2, 5, 10, 20, 50], values: (_u, splits) => splits.map(String), size: 32 },
        ],
        series: [
          {},
          {
            label: "Sessions",
            fill: token("--color-info-bg"),
            stroke: token("--color-primary"),
            width: 2,
            paths: bars?.({ size: [0.7, 40] }),
            points: { show: false },
          },
          {
            label: "Completed",
            fill: token("--color-primary"),
            stroke: token("--color-primary"),
            width: 0,
            paths: bars?.({ size: [0.4, 22] }),
            points: { show: false },
          },
        ],
      },
      data,
      element,
    );
    const resized = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(200, element.clientWidth), height: 200 }),
    );
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.destroy();
    };
  }, [signature]);
  return <div ref={box} className={chartStyles.plot} aria-hidden="true" />;
}
