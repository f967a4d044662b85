// The coach's statistics (the athlete seed's statistics screen): the figures of all their
// sessions or of one athlete's (GET /api/sessions/stats, ?coachId= or ?athleteId=), the risk
// distribution and the sessions by event and by type as bars, each also in words and a table.
// Only what the API counts is shown: no risk level recorded is said in a sentence, not drawn.
import { lazy, Suspense } from "react";
import { Link, useSearchParams } from "react-router";
import type { DashboardStats, SessionStats } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { formatStat, formatWhen } from "../../format";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { AthleteFilter } from "./AthleteFilter";
import {
  type Bar,
  countBars,
  countedSentence,
  riskBars,
  riskSentence,
  risksRecorded,
  trendWords,
  typeBars,
} from "./statistics";
import styles from "./statistics.module.css";

const BarChart = lazy(() => import("./BarChart"));

const FIGURES = [
  "totalSessions",
  "completedSessions",
  "completionRate",
  "cancelledSessions",
  "completedAnalyses",
  "averageMotionIQ",
  "averageAclRisk",
  "totalDurationSeconds",
] as const;

export default function Statistics() {
  const { account } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const athlete = params.get("athlete") || null;
  const answer = useApiGet<SessionStats>(
    "/api/sessions/stats",
    athlete ? { athleteId: athlete } : { coachId: account.uid },
  );
  return (
    <Page title="Statistics">
      <AthleteFilter value={athlete} onChange={(id) => setParams(id ? { athlete: id } : {})} />
      {answer.status === "loading" && <Loading label="Loading the statistics…" />}
      {answer.status === "error" && <Notice tone="danger">{answer.error.message}</Notice>}
      {answer.status === "ready" && (
        <Figures stats={answer.data.stats} athlete={athlete} timeZone={account.timeZone} />
      )}
    </Page>
  );
}

function Figures({
  stats,
  athlete,
  timeZone,
}: {
  stats: DashboardStats;
  athlete: string | null;
  timeZone: string;
}) {
  const whose = athlete ? "This athlete's sessions" : "All your sessions";
  const trend = trendWords(stats.trend.motionIQ);
  const shown: string[] = [...FIGURES];
  if (!athlete && typeof stats.athleteCount === "number") shown.unshift("athleteCount");
  const last = stats.lastSessionAt ? formatWhen(stats.lastSessionAt, { timeZone }) : null;
  return (
    <>
      <section className={styles.section} aria-labelledby="figures-title">
        <h2 id="figures-title">{whose}</h2>
        <dl className={styles.figures}>
          {shown.map((key) => {
            const { label, value } = formatStat(key, stats[key as keyof DashboardStats] as number | null);
            return (
              <div key={key} className={styles.figure}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            );
          })}
        </dl>
        <p className={styles.muted}>
          {[
            last ? `Last session: ${last}.` : "No session yet.",
            trend ? `Motion IQ over the last 5 results against the 5 before: ${trend}.` : null,
          ]
            .filter(Boolean)
            .join(" ")}
        </p>
        <p>
          <Link
            className={styles.link}
            to={athlete ? `/sessions?athlete=${encodeURIComponent(athlete)}` : "/sessions"}
          >
            See these sessions
          </Link>
        </p>
      </section>
      <section className={styles.section} aria-labelledby="risk-title">
        <h2 id="risk-title">Risk distribution</h2>
        <p>{riskSentence(stats)}</p>
        {risksRecorded(stats) > 0 && <Bars bars={riskBars(stats)} caption="Sessions by risk level" />}
      </section>
      <section className={styles.section} aria-labelledby="event-title">
        <h2 id="event-title">Sessions by event</h2>
        <Counted
          bars={countBars(stats.byEvent)}
          noun="event"
          caption="Sessions by event"
          none="No session has an event yet."
        />
      </section>
      <section className={styles.section} aria-labelledby="type-title">
        <h2 id="type-title">Sessions by type</h2>
        <Counted bars={typeBars(stats)} noun="type" caption="Sessions by type" none="No sessions yet." />
      </section>
    </>
  );
}

function Counted({
  bars,
  noun,
  caption,
  none,
}: {
  bars: Bar[];
  noun: string;
  caption: string;
  none: string;
}) {
  if (bars.length === 0) return <p className={styles.muted}>{none}</p>;
  return (
    <>
      <p>{countedSentence(bars, noun)}</p>
      <Bars bars={bars} caption={caption} />
    </>
  );
}

/** The bars (a picture) and the same figures as a table. */
function Bars({ bars, caption }: { bars: Bar[]; caption: string }) {
  return (
    <div className={styles.card}>
      <Suspense fallback={<Loading label="Loading the chart…" />}>
        <BarChart bars={bars} />
      </Suspense>
      <details className={styles.details}>
        <summary>Show as a table</summary>
        <table className={styles.table}>
          <caption className={styles.muted}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">
                {caption.replace(/^Sessions by /, "").replace(/^./, (c) => c.toUpperCase())}
              </th>
              <th scope="col" className={styles.number}>
                Sessions
              </th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.key}>
                <th scope="row">{bar.label}</th>
                <td className={styles.number}>{bar.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
