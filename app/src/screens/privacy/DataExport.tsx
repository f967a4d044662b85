// "Download my data" (Profile): ask for a ZIP of everything Sessionbase holds about the person
// (POST /api/users/me/export, a job built by a task), follow it (GET /api/users/me/exports/{id}
// every few seconds while it is queued or running) and, once done, download it: each click asks
// for a fresh signed URL (one works an hour; the ZIP is kept 7 days). A rate limit (5 a day) says
// when to try again.
import { useEffect, useMemo, useState } from "react";
import { api, isAbort } from "../../api";
import type { DataExportList, DataExportPublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { downloadable, exportWords, working } from "./exportState";
import styles from "./privacy.module.css";
import { errorWords } from "./tryAgain";

/** How often a job being built is asked about. */
const POLL_MS = 3000;

type Job = { status: "loading" } | { status: "ready"; job: DataExportPublic | null };

export function DataExport() {
  const { account } = useSignedIn();
  const [state, setState] = useState<Job>({ status: "loading" });
  const [asking, setAsking] = useState(false);
  const [fetching, setFetching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ask = useMemo(() => api.creator<DataExportPublic>("/api/users/me/export"), []);

  // The newest export, if any, on load.
  useEffect(() => {
    const controller = new AbortController();
    api.get<DataExportList>("/api/users/me/exports", { signal: controller.signal }).then(
      (list) => setState({ status: "ready", job: list.exports[0] ?? null }),
      (caught: unknown) => {
        if (isAbort(caught) || controller.signal.aborted) return;
        setState({ status: "ready", job: null });
        setError(errorWords(caught, "Your earlier copies could not be read."));
      },
    );
    return () => controller.abort();
  }, []);

  // Follow a job being built until it is done or failed.
  const job = state.status === "ready" ? state.job : null;
  const followed = working(job) ? job?.id : undefined;
  useEffect(() => {
    if (!followed) return;
    const controller = new AbortController();
    const timer = window.setInterval(() => {
      api
        .get<DataExportPublic>(`/api/users/me/exports/${encodeURIComponent(followed)}`, {
          signal: controller.signal,
        })
        .then(
          (fresh) => setState({ status: "ready", job: fresh }),
          () => {}, // a missed poll is asked again at the next tick
        );
    }, POLL_MS);
    return () => {
      window.clearInterval(timer);
      controller.abort();
    };
  }, [followed]);

  const start = async () => {
    setAsking(true);
    setError(null);
    try {
      setState({ status: "ready", job: await ask({}) });
    } catch (caught) {
      if (!isAbort(caught)) setError(errorWords(caught, "The copy could not be asked for. Try again."));
    } finally {
      setAsking(false);
    }
  };

  const download = async (id: string) => {
    setFetching(true);
    setError(null);
    try {
      // A fresh link on each click: one handed out earlier may have expired.
      const fresh = await api.get<DataExportPublic>(`/api/users/me/exports/${encodeURIComponent(id)}`);
      setState({ status: "ready", job: fresh });
      if (fresh.url) window.location.assign(fresh.url);
      else setError("This copy is no longer kept. Ask for a new one.");
    } catch (caught) {
      if (!isAbort(caught)) setError(errorWords(caught, "The download could not start. Try again."));
    } finally {
      setFetching(false);
    }
  };

  const dates = { timeZone: account.timeZone };
  return (
    <section className={styles.card} aria-labelledby="export-title">
      <h2 id="export-title">Download my data</h2>
      <p className={styles.muted}>
        A ZIP file of everything Sessionbase holds about you: your profile, sessions, results, notes,
        attendance, notifications and the files you uploaded (as links), in JSON and spreadsheet (CSV) files.
        It takes a minute or so to put together.
      </p>
      {state.status === "loading" && <Loading label="Looking for your earlier copies…" />}
      <div aria-live="polite">{job && <p>{exportWords(job, dates)}</p>}</div>
      {state.status === "ready" && (
        <div className={styles.actions}>
          {job && downloadable(job) && (
            <Button onClick={() => download(job.id)} busy={fetching} busyLabel="Preparing the download…">
              Download the ZIP file
            </Button>
          )}
          <Button
            variant={job && downloadable(job) ? "secondary" : "primary"}
            onClick={start}
            disabled={asking || working(job)}
            busy={asking}
            busyLabel="Asking…"
          >
            {job ? "Make a new copy" : "Make a copy of my data"}
          </Button>
        </div>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
    </section>
  );
}
