// The audit trail (admins, /admin/audit): who changed what, newest first (GET /api/audit, 50 a
// page, "Show more" with the next cursor). Filters in the URL: a document (?doc=sessions/{id}, from
// a session's page), a person (?actor=uid, from Users), first and last day in the admin's zone.
// Each entry: when, who (the profile's name; "System" for a trigger or task), what (in words), the
// documents written (a session's open its page) and the sensitive changes, "field: before → after".
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, isAbort } from "../../api";
import type { AuditEntry, AuditPage } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { profileDoc, profileFrom } from "../../data/profile";
import { formatWhen, roleWord } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { downloadRange } from "../admin/downloads";
import {
  actorFallback,
  asChange,
  changeWords,
  documentLink,
  operationWords,
  sessionPart,
} from "./auditWords";
import styles from "./privacy.module.css";
import { errorWords } from "./tryAgain";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Log =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; entries: AuditEntry[]; next: string | null; more: boolean };

export default function Audit() {
  const { account } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const day = (name: string) => (DAY.test(params.get(name) ?? "") ? (params.get(name) as string) : "");
  const from = day("from");
  const to = day("to");
  const doc = params.get("doc") ?? "";
  const actor = params.get("actor") ?? "";
  const [log, setLog] = useState<Log>({ status: "loading" });
  const [page, setPage] = useState<{ asked: string; cursor: string | null }>({ asked: "", cursor: null });

  // A new filter starts again at the newest; "Show more" asks the next page and appends it.
  const asked = JSON.stringify({ from, to, doc, actor, zone: account.timeZone });
  const cursor = page.asked === asked ? page.cursor : null;
  useEffect(() => {
    const { from, to, doc, actor, zone } = JSON.parse(asked) as Record<string, string>;
    const controller = new AbortController();
    if (!cursor) setLog({ status: "loading" });
    else setLog((old) => (old.status === "ready" ? { ...old, more: true } : old));
    api
      .get<AuditPage>("/api/audit", {
        signal: controller.signal,
        query: { ...downloadRange(from ?? "", to ?? "", zone), doc, actor, cursor },
      })
      .then(
        (answer) =>
          setLog((old) => ({
            status: "ready",
            entries: cursor && old.status === "ready" ? [...old.entries, ...answer.entries] : answer.entries,
            next: answer.nextCursor,
            more: false,
          })),
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setLog({
            status: "error",
            message: errorWords(error, "The audit trail could not be read. Try again."),
          });
        },
      );
    return () => controller.abort();
  }, [asked, cursor]);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ["doc", "actor", "from", "to"]) {
      const value = String(data.get(name) ?? "").trim();
      if (value) next.set(name, value);
    }
    setParams(next, { replace: true });
  };
  const filtered = Boolean(from || to || doc || actor);

  return (
    <Page title="Audit trail">
      <p className={styles.muted}>
        Every change made through Sessionbase, newest first: who made it, what it was, which records it wrote,
        and the before and after of sensitive values (completion codes, roles, times, analysis results).
        Nobody can change or delete an entry.
      </p>
      <search aria-label="Filter the audit trail">
        <form className={`${styles.fields} ${styles.wide}`} onSubmit={apply} key={asked}>
          <Field label="Record" name="doc" hint="e.g. sessions/abc123" defaultValue={doc} />
          <Field label="Person (account id)" name="actor" hint="Or “Audit” on Users" defaultValue={actor} />
          <Field label="From" name="from" type="date" defaultValue={from} />
          <Field label="To" name="to" type="date" defaultValue={to} />
          <div className={`${styles.actions} ${styles.full}`}>
            <Button type="submit" variant="secondary">
              Filter
            </Button>
            {filtered && (
              <Button variant="quiet" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
                Clear filters
              </Button>
            )}
          </div>
        </form>
      </search>
      {actor && <Actor uid={actor} />}
      {log.status === "loading" && <Loading label="Loading the audit trail…" />}
      {log.status === "error" && <Notice tone="danger">{log.message}</Notice>}
      {log.status === "ready" && log.entries.length === 0 && (
        <p className={styles.muted}>
          {filtered ? "No entry matches these filters." : "Nothing has changed yet."}
        </p>
      )}
      {log.status === "ready" && log.entries.length > 0 && (
        <ul className={styles.entries} aria-label="Audit entries">
          {log.entries.map((entry) => (
            <Entry key={entry.id} entry={entry} timeZone={account.timeZone} />
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

function Actor({ uid }: { uid: string }) {
  const name = useWho(uid);
  return <p className={styles.muted}>Only the changes {name} made.</p>;
}

/** A name for a uid: "System", "A deleted account", else the profile's name. */
function useWho(uid: string | null): string {
  const db = useDb();
  const fallback = actorFallback(uid);
  // The profile is read only for a person (Firestore: admins read users/{uid}); the uid when
  // there is none (an athlete nobody gave a role has no profile with a name).
  const profile = useDocument(fallback || !uid ? null : profileDoc(db, uid), profileFrom);
  const data = profile.status === "ready" ? profile.data : null;
  const name = typeof data?.displayName === "string" ? data.displayName.trim() : "";
  return fallback ?? (name || (typeof data?.email === "string" && data.email) || uid || "");
}

function Entry({ entry, timeZone }: { entry: AuditEntry; timeZone: string }) {
  const who = useWho(entry.uid);
  const role =
    entry.uid && entry.role !== "system" && isRole(entry.role)
      ? ` (${roleWord(entry.role).toLowerCase()})`
      : "";
  const changes = entry.changes.map(asChange).filter((change) => change !== null);
  const documents = [...new Set(entry.documents)];
  return (
    <li className={styles.entry}>
      <span className={styles.entryTitle}>{operationWords(entry.operation)}</span>
      <span className={styles.note}>
        {formatWhen(entry.at, { timeZone })} · {who}
        {role}
      </span>
      {documents.length > 0 && (
        <ul aria-label="Records written">
          {documents.map((path) => {
            // A session's records: the session part opens it, the rest is said as written.
            const [session, rest] = sessionPart(path);
            const to = session ? documentLink(session) : null;
            return (
              <li key={path}>
                {to ? <Link to={to}>{session}</Link> : session}
                {rest}
              </li>
            );
          })}
        </ul>
      )}
      {changes.length > 0 && (
        <ul aria-label="Changes">
          {changes.map((change) => (
            <li key={`${change.document} ${change.field}`}>
              {changeWords(change, { timeZone })}
              {entry.documents.length > 1 && <span className={styles.note}> ({change.document})</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

const isRole = (role: string): role is "athlete" | "coach" | "admin" =>
  role === "athlete" || role === "coach" || role === "admin";
