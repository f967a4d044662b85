// The athlete's Home: what comes next (sessions and classes in the next two weeks, in their time
// zone), a way into practice, and how they are doing (streaks, this week, mindful minutes, scores,
// the last 14 days as a chart, sessions by event).
import { lazy, Suspense } from "react";
import { Link } from "react-router";
import type { DashboardStats, Occurrence, OccurrenceList } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { formatDuration, formatStat, formatWhen, statusWord } from "../../format";
import { Badge } from "../../ui/Badge";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./athlete.module.css";
import { useStats } from "./useStats";

// The chart library loads with the chart, after the figures: never in the first screen's code.
const RecentDays = lazy(() => import("./RecentDays"));

/** How many of the coming sessions Home lists (the Sessions screen has them all). */
const COMING = 5;

export default function Home() {
  return (
    <Page title="Home">
      <ComingUp />
      <section className={styles.card} aria-labelledby="practice-title">
        <h2 id="practice-title">Practice</h2>
        <p>Answer your coaches' exercises, one at a time, and see your score at the end.</p>
        <Link to="/practice" className={styles.action}>
          Start practice
        </Link>
        <Link to="/practice/pose">Check a yoga pose</Link>
      </section>
      <Progress />
    </Page>
  );
}

function ComingUp() {
  const { account } = useSignedIn();
  const coming = useApiGet<OccurrenceList>("/api/occurrences");
  return (
    <section className={styles.section} aria-labelledby="coming-title">
      <div className={styles.heading}>
        <h2 id="coming-title">Coming up</h2>
        <Link to="/sessions">All sessions</Link>
      </div>
      {coming.status === "loading" && <Loading label="Loading your next sessions…" />}
      {coming.status === "error" && <Notice tone="danger">{coming.error.message}</Notice>}
      {coming.status === "ready" && coming.data.occurrences.length === 0 && (
        <p className={styles.muted}>Nothing planned in the next two weeks.</p>
      )}
      {coming.status === "ready" && coming.data.occurrences.length > 0 && (
        <>
          <ul className={styles.list} aria-label="Your next sessions">
            {coming.data.occurrences.slice(0, COMING).map((occurrence) => (
              <li key={occurrence.sessionId}>
                <OccurrenceRow occurrence={occurrence} timeZone={account.timeZone} />
              </li>
            ))}
          </ul>
          {coming.data.occurrences.length > COMING && (
            <p className={styles.muted}>
              {coming.data.occurrences.length - COMING}
              {coming.data.truncated ? " or more" : ""} more in the next two weeks.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function OccurrenceRow({ occurrence, timeZone }: { occurrence: Occurrence; timeZone: string }) {
  const minutes = (Date.parse(occurrence.end) - Date.parse(occurrence.start)) / 1000;
  const what = occurrence.groupId ? "Class" : occurrence.scheduleId ? "Weekly" : "";
  const meta = [formatWhen(occurrence.start, { timeZone }), minutes > 0 ? formatDuration(minutes) : "", what]
    .filter(Boolean)
    .join(" · ");
  const status = occurrence.status === "scheduled" ? "" : statusWord(known(occurrence.status));
  const content = (
    <>
      <span className={styles.rowText}>
        <span className={styles.title}>{occurrence.title}</span>
        <span className={styles.meta}>{meta}</span>
      </span>
      {status && <Badge tone="info">{status}</Badge>}
    </>
  );
  // A one-off session has its page; a class is on Classes; a weekly occurrence not yet begun has
  // no page of its own until something is written to it.
  if (occurrence.groupId) {
    return (
      <Link to="/classes" className={styles.row}>
        {content}
      </Link>
    );
  }
  if (!occurrence.scheduleId) {
    return (
      <Link to={`/sessions/${occurrence.sessionId}`} className={styles.row}>
        {content}
      </Link>
    );
  }
  return <div className={styles.row}>{content}</div>;
}

function known(status: string) {
  return status === "scheduled" || status === "active" || status === "completed" || status === "cancelled"
    ? status
    : null;
}

// The figures a learner looks for first, then the ones that exist only once there are results.
const ALWAYS = ["currentStreak", "sessionsThisWeek", "mindfulMinutes", "completedSessions"] as const;
const WHEN_ANY = ["averageScore", "averageAccuracy", "longestStreak", "totalDurationSeconds"] as const;

function Progress() {
  const stats = useStats();
  return (
    <section className={styles.section} aria-labelledby="progress-title">
      <h2 id="progress-title">Your progress</h2>
      {stats.status === "loading" && <Loading label="Loading your statistics…" />}
      {stats.status === "error" && <Notice tone="danger">{stats.error.message}</Notice>}
      {stats.status === "ready" && <Figures stats={stats.data.stats} />}
    </section>
  );
}

function Figures({ stats }: { stats: DashboardStats }) {
  const shown = [
    ...ALWAYS,
    ...WHEN_ANY.filter((key) => {
      const value = stats[key];
      return value !== null && value !== 0;
    }),
  ];
  const events = Object.entries(stats.byEvent).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return (
    <>
      <dl className={styles.figures}>
        {shown.map((key) => {
          const { label, value } = formatStat(key, stats[key]);
          return (
            <div key={key} className={styles.figure}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          );
        })}
      </dl>
      <Suspense fallback={<Loading label="Loading the chart…" />}>
        <RecentDays timeZone={stats.timezone} />
      </Suspense>
      {events.length > 0 && (
        <div className={styles.card}>
          <h3>Sessions by event</h3>
          <ul className={styles.events}>
            {events.map(([event, count]) => (
              <li key={event}>
                <span>{event}</span>
                <span>{count}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
