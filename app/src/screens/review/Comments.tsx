// The comments on a session's video: a form that comments at the playhead ("Comment at 0:04"),
// with the drawing made on the paused frame; the comments by moment (a listener, so another
// person's comment appears as it is written), each a button to its moment, with its replies, and
// reply, edit, delete and resolve as the API allows (the author edits; the author, the session's
// coach or an admin deletes; the coach or an admin resolves).
import { useMemo, useRef, useState } from "react";
import { api, isAbort } from "../../api";
import type { CommentCreated, Drawing, SessionComment, SessionPublic } from "../../api/types";
import type { Account } from "../../auth/AuthProvider";
import { type CommentThread, onEarlierVideo } from "../../data/comments";
import { formatWhen } from "../../format";
import { Button } from "../../ui/Button";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import { TextAreaField } from "../sessions/records/controls";
import { atMsOf, formatVideoTime } from "./playback";
import styles from "./review.module.css";
import { type Playhead, usePlayTime } from "./transport";

const MAX_TEXT = 2000;

function otherErrors(fields: Record<string, string>, except: string): string[] {
  return Object.entries(fields)
    .filter(([name]) => name !== except)
    .map(([, message]) => message);
}

interface FormProps {
  sessionId: string;
  playhead: Playhead;
  duration: number | null;
  draft: Drawing;
  onSent: () => void;
  /** the drawing tools' button and state, beside the form's */
  drawButton: React.ReactNode;
}

export function CommentForm({ sessionId, playhead, duration, draft, onSent, drawButton }: FormProps) {
  const create = useMemo(
    () => api.creator<CommentCreated>(`/api/sessions/${encodeURIComponent(sessionId)}/comments`),
    [sessionId],
  );
  const second = usePlayTime(playhead, 1);
  const form = useRef<HTMLFormElement>(null);
  const { submitting, errors, formProps } = useForm({
    submit: async (data, signal) => {
      const body = text(data, "text", true);
      if (!body.trim()) throw new FormInvalid({ fields: { text: "Write the comment first." } });
      const atMs = atMsOf(playhead.state.time, duration);
      const drawing = draft.shapes.length > 0 ? draft : undefined;
      return create({ atMs, text: body, drawing }, { signal });
    },
    onDone: () => {
      form.current?.reset();
      onSent();
    },
  });
  const shapes = draft.shapes.length;
  const others = otherErrors(errors.fields, "text");
  return (
    <form {...formProps} ref={form} className={styles.commentForm} aria-label="New comment">
      <fieldset disabled={submitting} className={styles.fieldset}>
        <TextAreaField
          label="Comment"
          name="text"
          maxLength={MAX_TEXT}
          error={errors.fields.text}
          hint={
            shapes > 0
              ? `With your drawing (${shapes} ${shapes === 1 ? "shape" : "shapes"}).`
              : "Pause where you mean; you can draw on the frame too."
          }
        />
        <FormError>{errors.form ?? (others.length > 0 ? others.join(" ") : null)}</FormError>
        <div className={styles.formActions}>
          {drawButton}
          <Button type="submit" busy={submitting} busyLabel="Sending…">
            Comment at {formatVideoTime(second)}
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

interface ListProps {
  threads: CommentThread[];
  session: SessionPublic;
  account: Account;
  onSeek: (seconds: number) => void;
  timeZone: string;
}

export function CommentList({ threads, session, account, onSeek, timeZone }: ListProps) {
  if (threads.length === 0) {
    return <p className={styles.muted}>No comments yet. Pause at a moment and say what you see.</p>;
  }
  return (
    <ol className={styles.comments} aria-label="Comments by time">
      {threads.map(({ comment, replies }) => (
        <li key={comment.commentId} className={styles.thread}>
          <CommentItem
            comment={comment}
            session={session}
            account={account}
            onSeek={onSeek}
            timeZone={timeZone}
          />
          {replies.length > 0 && (
            <ol
              className={styles.replies}
              aria-label={`Replies to the comment at ${formatVideoTime(comment.atMs / 1000, { tenths: true })}`}
            >
              {replies.map((reply) => (
                <li key={reply.commentId}>
                  <CommentItem
                    comment={reply}
                    session={session}
                    account={account}
                    onSeek={onSeek}
                    timeZone={timeZone}
                  />
                </li>
              ))}
            </ol>
          )}
        </li>
      ))}
    </ol>
  );
}

type Mode = "view" | "reply" | "edit" | "delete";

function CommentItem({
  comment,
  session,
  account,
  onSeek,
  timeZone,
}: {
  comment: SessionComment;
  session: SessionPublic;
  account: Account;
  onSeek: (seconds: number) => void;
  timeZone: string;
}) {
  const [mode, setMode] = useState<Mode>("view");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const admin = account.role === "admin";
  const coach = session.coachId === account.uid;
  const own = comment.authorId === account.uid;
  const reply = Boolean(comment.replyTo);
  const at = formatVideoTime(comment.atMs / 1000, { tenths: true });
  const path = `/api/sessions/${encodeURIComponent(session.sessionId)}/comments/${encodeURIComponent(comment.commentId)}`;
  const earlier = onEarlierVideo(comment, session.analysisJobId);

  const run = async (call: () => Promise<unknown>, failed: string) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      setMode("view");
    } catch (caught) {
      if (!isAbort(caught)) setError(caught instanceof Error && caught.message ? caught.message : failed);
    } finally {
      setBusy(false);
    }
  };

  const meta = [
    comment.authorName || (own ? "You" : "Someone"),
    formatWhen(comment.createdAt, { timeZone }),
    comment.editedAt ? "edited" : "",
  ].filter(Boolean);

  return (
    <article
      className={reply ? `${styles.comment} ${styles.reply}` : styles.comment}
      aria-label={`Comment at ${at}`}
    >
      <div className={styles.commentHead}>
        {!reply && (
          <button
            type="button"
            className={styles.moment}
            onClick={() => onSeek(comment.atMs / 1000)}
            aria-label={`Go to ${at}`}
          >
            {at}
          </button>
        )}
        <span className={styles.meta}>{meta.join(" · ")}</span>
        {comment.resolved && <span className={styles.tag}>Resolved</span>}
        {comment.drawing && comment.drawing.shapes.length > 0 && (
          <span className={styles.tag}>With a drawing</span>
        )}
        {earlier && <span className={`${styles.tag} ${styles.warn}`}>On an earlier video</span>}
      </div>
      {mode === "edit" ? (
        <EditForm
          initial={comment.text}
          busy={busy}
          onCancel={() => setMode("view")}
          onSave={(value) => run(() => api.put(path, { text: value }), "The comment could not be saved.")}
        />
      ) : (
        <p className={styles.text}>{comment.text}</p>
      )}
      {mode === "view" && (
        <div className={styles.commentActions}>
          {!reply && (
            <button type="button" className={styles.link} onClick={() => setMode("reply")}>
              Reply
            </button>
          )}
          {(own || admin) && (
            <button type="button" className={styles.link} onClick={() => setMode("edit")}>
              Edit
            </button>
          )}
          {(own || coach || admin) && (
            <button type="button" className={styles.link} onClick={() => setMode("delete")}>
              Delete
            </button>
          )}
          {!reply && (coach || admin) && (
            <button
              type="button"
              className={styles.link}
              disabled={busy}
              onClick={() =>
                run(
                  () => api.post(`${path}/resolve`, { resolved: !comment.resolved }),
                  "The comment could not be changed.",
                )
              }
            >
              {comment.resolved ? "Reopen" : "Resolve"}
            </button>
          )}
        </div>
      )}
      {mode === "delete" && (
        <div className={styles.confirm}>
          <span>{reply ? "Delete this reply?" : "Delete this comment and its replies?"}</span>
          <Button
            variant="secondary"
            busy={busy}
            busyLabel="Deleting…"
            onClick={() => run(() => api.delete(path), "The comment could not be deleted.")}
          >
            Delete
          </Button>
          <Button variant="quiet" onClick={() => setMode("view")} disabled={busy}>
            Keep
          </Button>
        </div>
      )}
      {mode === "reply" && (
        <ReplyForm sessionId={session.sessionId} parent={comment} onDone={() => setMode("view")} />
      )}
      {error && <Notice tone="danger">{error}</Notice>}
    </article>
  );
}

function EditForm({
  initial,
  busy,
  onSave,
  onCancel,
}: {
  initial: string;
  busy: boolean;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      className={styles.inlineForm}
      aria-label="Edit the comment"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!value.trim()) {
          setError("The comment cannot be empty.");
          return;
        }
        onSave(value);
      }}
    >
      <fieldset disabled={busy} className={styles.fieldset}>
        <TextAreaField
          label="Comment"
          name="text"
          value={value}
          maxLength={MAX_TEXT}
          error={error}
          onChange={(event) => {
            setValue(event.currentTarget.value);
            setError(undefined);
          }}
        />
        <div className={styles.formActions}>
          <Button type="submit" busy={busy} busyLabel="Saving…">
            Save
          </Button>
          <Button variant="quiet" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

function ReplyForm({
  sessionId,
  parent,
  onDone,
}: {
  sessionId: string;
  parent: SessionComment;
  onDone: () => void;
}) {
  const create = useMemo(
    () => api.creator<CommentCreated>(`/api/sessions/${encodeURIComponent(sessionId)}/comments`),
    [sessionId],
  );
  const { submitting, errors, formProps } = useForm({
    submit: async (data, signal) => {
      const body = text(data, "text", true);
      if (!body.trim()) throw new FormInvalid({ fields: { text: "Write the reply first." } });
      return create({ atMs: parent.atMs, text: body, replyTo: parent.commentId }, { signal });
    },
    onDone,
  });
  const others = otherErrors(errors.fields, "text");
  return (
    <form {...formProps} className={styles.inlineForm} aria-label="Reply">
      <fieldset disabled={submitting} className={styles.fieldset}>
        <TextAreaField label="Reply" name="text" maxLength={MAX_TEXT} error={errors.fields.text} rows={2} />
        <FormError>{errors.form ?? (others.length > 0 ? others.join(" ") : null)}</FormError>
        <div className={styles.formActions}>
          <Button type="submit" busy={submitting} busyLabel="Sending…">
            Send reply
          </Button>
          <Button variant="quiet" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
