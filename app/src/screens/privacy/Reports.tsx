// Reports as files (GET /api/reports/*: `{url, fileName, expiresAt, rows}`): one period picker
// (from and to, both included, in the person's zone; the last three months by default), a button
// per report, and, once a report is made, its download link (a signed URL that works 15 minutes).
// Used on the coach's Athletes, a group's page and the admins' Completed.
import { type ReactNode, useState } from "react";
import { api, isAbort } from "../../api";
import type { Query } from "../../api/client";
import type { ReportFile } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { formatClock, formatCount } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Notice } from "../../ui/Notice";
import { defaultPeriod, type Period, periodErrors } from "./period";
import styles from "./privacy.module.css";
import { errorWords } from "./tryAgain";

export interface ReportSpec {
  /** The button's words, e.g. "Sessions (CSV)". */
  label: string;
  path: string;
  query?: Query;
  /** What its rows are, for "12 sessions". */
  rows: string;
}

type Made =
  | { status: "busy" }
  | { status: "ready"; file: ReportFile; asked: string }
  | { status: "error"; message: string; asked: string };

/** From and To, both dates; each shows its own error. */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const errors = periodErrors(period);
  return (
    <div className={styles.fields}>
      <Field
        label="From"
        name="from"
        type="date"
        value={period.from}
        max={period.to || undefined}
        error={errors.from}
        onChange={(event) => onChange({ ...period, from: event.target.value })}
      />
      <Field
        label="To"
        name="to"
        type="date"
        value={period.to}
        min={period.from || undefined}
        error={errors.to}
        onChange={(event) => onChange({ ...period, to: event.target.value })}
      />
    </div>
  );
}

export function Reports({
  title = "Reports",
  intro,
  reports,
  children,
}: {
  title?: string;
  intro: ReactNode;
  reports: readonly ReportSpec[];
  /** More choices above the period (whose sessions). */
  children?: ReactNode;
}) {
  const { account } = useSignedIn();
  const [period, setPeriod] = useState<Period>(() => defaultPeriod(new Date(), account.timeZone));
  const [made, setMade] = useState<Record<string, Made>>({});
  const valid = Object.keys(periodErrors(period)).length === 0;

  const make = async (report: ReportSpec, asked: string) => {
    setMade((old) => ({ ...old, [report.label]: { status: "busy" } }));
    try {
      const file = await api.get<ReportFile>(report.path, {
        query: { ...report.query, from: period.from, to: period.to },
      });
      setMade((old) => ({ ...old, [report.label]: { status: "ready", file, asked } }));
    } catch (error) {
      if (isAbort(error)) return;
      const message = errorWords(error, "The report could not be made. Try again.");
      setMade((old) => ({ ...old, [report.label]: { status: "error", message, asked } }));
    }
  };

  const id = `reports-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section className={styles.card} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className={styles.muted}>{intro}</p>
      {children}
      <PeriodPicker period={period} onChange={setPeriod} />
      <div className={styles.actions}>
        {reports.map((report) => {
          const state = made[report.label];
          const asked = JSON.stringify([report.path, report.query, period]);
          return (
            <Button
              key={report.label}
              variant="secondary"
              disabled={!valid || state?.status === "busy"}
              busy={state?.status === "busy"}
              busyLabel="Making…"
              onClick={() => make(report, asked)}
            >
              {report.label}
            </Button>
          );
        })}
      </div>
      <div aria-live="polite">
        <ul className={styles.files}>
          {reports.map((report) => {
            const state = made[report.label];
            // A result for other choices than those now shown is not offered.
            const asked = JSON.stringify([report.path, report.query, period]);
            if (!state || state.status === "busy" || state.asked !== asked) return null;
            if (state.status === "error") {
              return (
                <li key={report.label}>
                  <Notice tone="danger">{state.message}</Notice>
                </li>
              );
            }
            const { file } = state;
            return (
              <li key={report.label} className={styles.file}>
                <a className={styles.link} href={file.url} download={file.fileName}>
                  Download {file.fileName}
                </a>
                <span className={styles.note}>
                  {formatCount(file.rows, report.rows)} · the link works until{" "}
                  {formatClock(file.expiresAt, { timeZone: account.timeZone })}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
