// A session's attachments: listed by the API with download URLs it signs (15 minutes; the list is
// asked again before they lapse and whenever a file arrives or leaves, which a listener on the
// records tells), uploaded through an upload URL for the declared size, deleted through the API.
import { collection, type DocumentData, limit, query } from "firebase/firestore";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, isAbort } from "../../../api";
import type { AttachmentPage, AttachmentPublic, SessionPublic, UploadUrl } from "../../../api/types";
import type { Account } from "../../../auth/AuthProvider";
import { useDb } from "../../../data/db";
import { useQuery } from "../../../data/firestore";
import { formatFileSize, formatWhen } from "../../../format";
import { Button } from "../../../ui/Button";
import { Field } from "../../../ui/Field";
import { FormInvalid, useForm } from "../../../ui/form";
import { Notice } from "../../../ui/Notice";
import { uploadResumable } from "../../../upload/resumable";
import { ACCEPT, ACCEPTED_WORDS, attachmentProblem, declaredType } from "./attachmentTypes";
import { DeleteForm, FormEnd } from "./forms";
import styles from "./records.module.css";

// Signed URLs live 15 minutes: ask for new ones well before.
const REFRESH_MS = 10 * 60_000;
// A file the checks refuse never becomes a record; after this long the form says it may have been.
const ARRIVAL_MS = 60_000;

const idOf = (id: string, _: DocumentData) => id;

export function Attachments({ session, account }: { session: SessionPublic; account: Account }) {
  const db = useDb();
  const sessionId = session.sessionId;
  // The records, live: only to know when to ask the API again (it alone signs download URLs).
  const records = useQuery(query(collection(db, "sessions", sessionId, "attachments"), limit(100)), idOf);
  const ids = records.status === "ready" ? records.data.join(",") : null;
  const [listed, setListed] = useState<{ rows: AttachmentPublic[] } | { error: string } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  // Asked again when the records change (`ids`) and before the signed URLs lapse (`tick`).
  useEffect(() => {
    if (ids === null) return;
    const controller = new AbortController();
    api
      .get<AttachmentPage>(`/api/sessions/${encodeURIComponent(sessionId)}/attachments`, {
        query: { limit: 100 },
        signal: controller.signal,
      })
      .then(
        (page) => setListed({ rows: page.attachments }),
        (error: unknown) => {
          if (!isAbort(error)) setListed({ error: "The attachments could not be loaded. Reload the page." });
        },
      );
    return () => controller.abort();
  }, [sessionId, ids, tick]);

  const mayUpload =
    account.role === "admin" || session.coachId === account.uid || session.athleteId === account.uid;
  const mayDelete = (attachment: AttachmentPublic) =>
    account.role === "admin" ||
    attachment.uploadedBy === account.uid ||
    session.coachId === account.uid ||
    session.createdBy === account.uid;

  return (
    <section className={styles.card} aria-labelledby="attachments-title">
      <h2 id="attachments-title">Attachments</h2>
      {listed === null && <p className={styles.muted}>Loading the attachments…</p>}
      {listed !== null && "error" in listed && <Notice tone="danger">{listed.error}</Notice>}
      {listed !== null && "rows" in listed && listed.rows.length === 0 && (
        <p className={styles.muted}>No files attached yet.</p>
      )}
      {listed !== null && "rows" in listed && listed.rows.length > 0 && (
        <ul className={styles.items} aria-label="Attachments">
          {listed.rows.map((attachment) => (
            <AttachmentItem
              key={attachment.attachmentId}
              attachment={attachment}
              sessionId={sessionId}
              account={account}
              mayDelete={mayDelete(attachment)}
            />
          ))}
        </ul>
      )}
      {mayUpload && <UploadAttachment sessionId={sessionId} arrived={ids} />}
    </section>
  );
}

function AttachmentItem({
  attachment,
  sessionId,
  account,
  mayDelete,
}: {
  attachment: AttachmentPublic;
  sessionId: string;
  account: Account;
  mayDelete: boolean;
}) {
  const [confirm, setConfirm] = useState(false);
  const name = attachment.fileName || "Attachment";
  const facts = [
    typeof attachment.size === "number" ? formatFileSize(attachment.size) : "",
    formatWhen(attachment.createdAt, { timeZone: account.timeZone }),
  ].filter(Boolean);
  return (
    <li className={styles.item}>
      <div className={styles.file}>
        <span className={styles.fileName}>{name}</span>
        <span className={styles.muted}>{facts.join(" · ")}</span>
        {attachment.description && <span>{attachment.description}</span>}
      </div>
      <div className={styles.actions}>
        {attachment.downloadUrl && (
          <a
            className={styles.download}
            href={attachment.downloadUrl}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`Download ${name}`}
          >
            Download
          </a>
        )}
        {mayDelete && !confirm && (
          <Button variant="secondary" onClick={() => setConfirm(true)} aria-label={`Delete ${name}`}>
            Delete
          </Button>
        )}
      </div>
      {confirm && (
        <DeleteForm
          path={`/api/sessions/${encodeURIComponent(sessionId)}/attachments/${encodeURIComponent(attachment.attachmentId)}`}
          label={`Delete ${name}`}
          question={`Delete ${name}? The file is removed for everyone.`}
          submit="Delete file"
          onClose={() => setConfirm(false)}
        />
      )}
    </li>
  );
}

type Progress =
  | { state: "idle" }
  | { state: "sending"; name: string; sent: number; size: number }
  | { state: "checking"; name: string; before: string | null; since: number }
  | { state: "slow"; name: string };

function UploadAttachment({ sessionId, arrived }: { sessionId: string; arrived: string | null }) {
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const form = useRef<HTMLFormElement>(null);
  const target = useMemo(() => `/api/sessions/${encodeURIComponent(sessionId)}/upload`, [sessionId]);

  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      const file = data.get("file");
      if (!(file instanceof File) || !file.name)
        throw new FormInvalid({ fields: { file: "Choose a file." } });
      const problem = attachmentProblem(file);
      if (problem) throw new FormInvalid({ fields: { file: problem } });
      const contentType = declaredType(file) ?? file.type;
      const upload = await api.post<UploadUrl>(
        target,
        { fileName: file.name, contentType, size: file.size, kind: "attachment" },
        { signal },
      );
      setProgress({ state: "sending", name: file.name, sent: 0, size: file.size });
      try {
        await uploadResumable(upload.uploadUrl, file, {
          contentType,
          onProgress: (sent) => setProgress({ state: "sending", name: file.name, sent, size: file.size }),
          signal,
        });
      } catch (error) {
        setProgress({ state: "idle" });
        if (isAbort(error)) throw error;
        const why = error instanceof Error ? error.message : "The upload stopped.";
        throw new FormInvalid({ form: `${why} Choose the file again to retry.`, fields: {} });
      }
      return { name: file.name };
    },
    [target],
  );
  const onDone = useCallback(
    ({ name }: { name: string }) => {
      form.current?.reset();
      setProgress({ state: "checking", name, before: arrived, since: Date.now() });
    },
    [arrived],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone });

  // The file is checked (its bytes decide its type) and then listed; a refused one never is.
  useEffect(() => {
    if (progress.state !== "checking") return;
    if (arrived !== progress.before) {
      setProgress({ state: "idle" });
      return;
    }
    const timer = setTimeout(() => setProgress({ state: "slow", name: progress.name }), ARRIVAL_MS);
    return () => clearTimeout(timer);
  }, [arrived, progress]);

  return (
    <form ref={form} className={styles.form} aria-label="Upload an attachment" {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <Field
          label="File to attach"
          name="file"
          type="file"
          accept={ACCEPT}
          hint={`${ACCEPTED_WORDS}; up to 100 MB.`}
          error={
            errors.fields.file ?? errors.fields.fileName ?? errors.fields.contentType ?? errors.fields.size
          }
        />
        <FormEnd error={errors.form} submitting={submitting} submit="Attach file" busyLabel="Uploading…" />
      </fieldset>
      <UploadStatus progress={progress} />
    </form>
  );
}

function UploadStatus({ progress }: { progress: Progress }) {
  const percent =
    progress.state === "sending" && progress.size > 0 ? Math.floor((progress.sent * 100) / progress.size) : 0;
  return (
    <div aria-live="polite" className={styles.progress}>
      {progress.state === "sending" && (
        <>
          <p>
            Uploading {progress.name}… {percent} %
          </p>
          <progress max={100} value={percent} aria-label={`Uploading ${progress.name}`}>
            {percent} %
          </progress>
        </>
      )}
      {progress.state === "checking" && <p>Uploaded. Checking {progress.name}…</p>}
      {progress.state === "slow" && (
        <Notice tone="warning">
          {progress.name} has not appeared yet. If it does not, Sessionbase refused it: its content must be{" "}
          {ACCEPTED_WORDS}, as its name says.
        </Notice>
      )}
    </div>
  );
}
