// A session's notes of four kinds (general, follow-up, issue, achievement), live, newest first:
// anyone who may read the session adds one; its author or an admin edits or deletes it.
import { collection, type DocumentData, limit, orderBy, query } from "firebase/firestore";
import { useCallback, useMemo, useState } from "react";
import { api } from "../../../api";
import type { NotePublic, NoteType, SessionPublic } from "../../../api/types";
import type { Account } from "../../../auth/AuthProvider";
import { useDb } from "../../../data/db";
import { useQuery } from "../../../data/firestore";
import { formatWhen, NOTE_TYPES, noteTypeWord } from "../../../format";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { FormInvalid, text, useForm } from "../../../ui/form";
import { FormError, Notice } from "../../../ui/Notice";
import { SelectField, TextAreaField } from "./controls";
import { DeleteForm, FormEnd } from "./forms";
import styles from "./records.module.css";

const NOTES_SHOWN = 100;
const noteFrom = (id: string, data: DocumentData): NotePublic => ({ ...data, noteId: id });

const TONE = { general: "neutral", "follow-up": "info", issue: "warning", achievement: "success" } as const;

function noteBody(data: FormData): { text: string; type: NoteType } {
  const body = { text: text(data, "text"), type: text(data, "type") as NoteType };
  if (!body.text) throw new FormInvalid({ fields: { text: "Write the note first." } });
  return body;
}

export function Notes({ session, account }: { session: SessionPublic; account: Account }) {
  const db = useDb();
  const notes = useQuery(
    query(
      collection(db, "sessions", session.sessionId, "notes"),
      orderBy("createdAt", "desc"),
      limit(NOTES_SHOWN),
    ),
    noteFrom,
  );
  return (
    <section className={styles.card} aria-labelledby="notes-title">
      <h2 id="notes-title">Notes</h2>
      <AddNote sessionId={session.sessionId} />
      {notes.status === "loading" && <p className={styles.muted}>Loading the notes…</p>}
      {notes.status === "error" && (
        <Notice tone="danger">The notes could not be loaded. Reload the page.</Notice>
      )}
      {notes.status === "ready" && notes.data.length === 0 && <p className={styles.muted}>No notes yet.</p>}
      {notes.status === "ready" && notes.data.length > 0 && (
        <ul className={styles.items} aria-label="Notes">
          {notes.data.map((note) => (
            <NoteItem key={note.noteId} note={note} sessionId={session.sessionId} account={account} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AddNote({ sessionId }: { sessionId: string }) {
  const create = useMemo(
    () => api.creator<NotePublic>(`/api/sessions/${encodeURIComponent(sessionId)}/notes`),
    [sessionId],
  );
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const submit = useCallback(
    (data: FormData, signal: AbortSignal) => create(noteBody(data), { signal }),
    [create],
  );
  const onDone = useCallback(() => form?.reset(), [form]);
  const { submitting, errors, formProps } = useForm({ submit, onDone });
  return (
    <form ref={setForm} className={styles.form} aria-label="Add a note" {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <TextAreaField label="New note" name="text" maxLength={10000} error={errors.fields.text} />
        <div className={styles.inline}>
          <SelectField label="Kind" name="type" defaultValue="general" error={errors.fields.type}>
            {NOTE_TYPES.map((type) => (
              <option key={type} value={type}>
                {noteTypeWord(type)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" busy={submitting} busyLabel="Adding…">
            Add note
          </Button>
        </div>
        <FormError>{errors.form}</FormError>
      </fieldset>
    </form>
  );
}

function NoteItem({ note, sessionId, account }: { note: NotePublic; sessionId: string; account: Account }) {
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const mine = note.authorId === account.uid || account.role === "admin";
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/notes/${encodeURIComponent(note.noteId)}`;
  const type = note.type ?? "general";
  const edited = note.updatedAt && note.createdAt && note.updatedAt !== note.createdAt;
  return (
    <li className={styles.item}>
      <div className={styles.itemHead}>
        <Badge tone={TONE[type]}>{noteTypeWord(type)}</Badge>
        <span className={styles.muted}>
          {[
            note.authorName,
            formatWhen(note.createdAt, { timeZone: account.timeZone }),
            edited ? "edited" : "",
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
      </div>
      {mode === "edit" ? (
        <EditNote note={note} path={path} onClose={() => setMode("view")} />
      ) : (
        <p className={styles.text}>{note.text}</p>
      )}
      {mode === "delete" && (
        <DeleteForm
          path={path}
          label="Delete the note"
          question="Delete this note? This cannot be undone."
          submit="Delete note"
          onClose={() => setMode("view")}
        />
      )}
      {mine && mode === "view" && (
        <div className={styles.actions}>
          <Button
            variant="secondary"
            onClick={() => setMode("edit")}
            aria-label={`Edit note: ${short(note.text)}`}
          >
            Edit
          </Button>
          <Button
            variant="secondary"
            onClick={() => setMode("delete")}
            aria-label={`Delete note: ${short(note.text)}`}
          >
            Delete
          </Button>
        </div>
      )}
    </li>
  );
}

function short(value: string | null | undefined): string {
  const line = (value ?? "").replace(/\s+/g, " ").trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

function EditNote({ note, path, onClose }: { note: NotePublic; path: string; onClose: () => void }) {
  const submit = useCallback(
    (data: FormData, signal: AbortSignal) => api.put<NotePublic>(path, noteBody(data), { signal }),
    [path],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone: onClose });
  return (
    <form className={styles.form} aria-label="Edit the note" {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <TextAreaField
          label="Note"
          name="text"
          defaultValue={note.text ?? ""}
          maxLength={10000}
          error={errors.fields.text}
        />
        <SelectField
          label="Kind"
          name="type"
          defaultValue={note.type ?? "general"}
          error={errors.fields.type}
        >
          {NOTE_TYPES.map((type) => (
            <option key={type} value={type}>
              {noteTypeWord(type)}
            </option>
          ))}
        </SelectField>
        <FormEnd
          error={errors.form}
          submitting={submitting}
          submit="Save note"
          busyLabel="Saving…"
          cancel="Cancel"
          onCancel={onClose}
        />
      </fieldset>
    </form>
  );
}
