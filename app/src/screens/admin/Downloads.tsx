// Downloads (admins): who was given a download link to which attachment, when — the API records
// each link it hands out (GET /api/attachments/downloads, newest first, 50 a page). Filters by
// first and last day (in the admin's zone) and, from a link, one session (?session=); in the URL.
import { type ChangeEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError, api, isAbort } from "../../api";
import type { DownloadList, DownloadPublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { formatWhen } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./admin.module.css";
import { downloadRange } from "./downloads";
import { PersonName } from "./Person";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Log =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; downloads: DownloadPublic[]; next: string | null; more: boolean };

export default function Downloads() {
  const { account } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const from = DAY.test(params.get("from") ?? "") ? (params.get("from") as string) : "";
  const to = DAY.test(params.get("to") ?? "") ? (params.get("to") as string) : "";
  const session = params.get("session") ?? "";
  const [log, setLog] = useState<Log>({ status: "loading" });
  const [page, setPage] = useState<{ asked: string; cursor: string | null }>({ asked: "", cursor: null });

  // A new filter starts again at the newest; "Show more" asks the next page and appends it.
  const asked = JSON.stringify({ from, to, session, zone: account.timeZone });
  const cursor = page.asked === asked ? page.cursor : null;
  useEffect(() => {
    const { from, to, session, zone } = JSON.parse(asked) as Record<string, string>;
    const controller = new AbortController();
    if (!cursor) setLog({ status: "loading" });
    else setLog((old) => (old.status === "ready" ? { ...old, more: true } : old));
    api
      .get<DownloadList>("/api/attachments/downloads", {
        signal: controller.signal,
        query: { ...downloadRange(from ?? "", to ?? "", zone), sessionId: session || undefined, cursor },
      })
      .then(
        (page) =>
          setLog((old) => ({
            status: "ready",
            downloads:
              cursor && old.status === "ready" ? [...old.downloads, ...page.downloads] : page.downloads,
            next: page.nextCursor,
            more: false,
          })),
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setLog({
            status: "error",
            message: error instanceof ApiError ? error.message : "Something went wrong. Try again.",
          });
        },
      );
    return () => controller.abort();
  }, [asked, cursor]);

  const set = (name: string) => (event: ChangeEvent<HTMLInputElement>) => {
    const next = new URLSearchParams(params);
    if (event.target.value) next.set(name, event.target.value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const filtered = Boolean(from || to || session);

  return (
    <Page title="Downloads">
      <p className={styles.intro}>
        Each download link handed out: to whom, for which file, when. A link is recorded when a session's
        files are shown to someone; opening it is not seen by Sessionbase. Who changed what is in the{" "}
        <Link to="/admin/audit">audit trail</Link>.
      </p>
      <search aria-label="Filter the downloads" className={styles.filters}>
        <Field label="From" name="from" type="date" value={from} onChange={set("from")} />
        <Field label="To" name="to" type="date" value={to} onChange={set("to")} />
        {filtered && (
          <div className={styles.clear}>
            <Button variant="quiet" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              {session ? "Show every session" : "Clear filters"}
            </Button>
          </div>
        )}
      </search>
      {session && (
        <p className={styles.intro}>
          Only the files of <Link to={`/sessions/${encodeURIComponent(session)}`}>one session</Link>.
        </p>
      )}
      {log.status === "loading" && <Loading label="Loading the downloads…" />}
      {log.status === "error" && <Notice tone="danger">{log.message}</Notice>}
      {log.status === "ready" && log.downloads.length === 0 && (
        <p className={styles.empty}>
          {filtered ? "No download matches these filters." : "Nobody has been given a download link yet."}
        </p>
      )}
      {log.status === "ready" && log.downloads.length > 0 && (
        <ul className={styles.people} aria-label="Downloads">
          {log.downloads.map((download) => (
            <li key={download.downloadId} className={styles.download}>
              <span className={styles.name}>{download.fileName || "A file with no name"}</span>
              <span className={styles.note}>
                <PersonName uid={download.uid} email={download.email} /> ·{" "}
                {formatWhen(download.createdAt, { timeZone: account.timeZone })} ·{" "}
                <Link to={`/sessions/${encodeURIComponent(download.sessionId)}`}>Open the session</Link>
              </span>
            </li>
          ))}
        </ul>
      )}
      {log.status === "ready" && log.next && (
        <div className={styles.more}>
          <Button
            variant="secondary"
            busy={log.more}
            busyLabel="Loading…"
            onClick={() => setPage({ asked, cursor: log.next })}
          >
            Show more
          </Button>
        </div>
      )}
    </Page>
  );
}
