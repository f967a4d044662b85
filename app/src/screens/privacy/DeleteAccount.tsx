// "Delete my account" (Profile): what goes and what stays (docs/decisions.md, "Deleting an
// account"), a confirmation the person types (DELETE or their e-mail address) in a dialog, then
// DELETE /api/users/me (202: a job that runs on the server), sign-out, and a page that says the
// account is being deleted.
import { type FormEvent, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { api, isAbort } from "../../api";
import type { AccountDeletionPublic } from "../../api/types";
import { leave, useSignedIn } from "../../auth/AuthProvider";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormError } from "../../ui/Notice";
import styles from "./privacy.module.css";
import { errorWords } from "./tryAgain";

/** What the person types to confirm: DELETE, or their own address (any case, spaces around). */
export function confirms(typed: string, email: string): boolean {
  const text = typed.trim();
  return text === "DELETE" || (email !== "" && text.toLowerCase() === email.trim().toLowerCase());
}

const DELETED = [
  "your profile, notifications and the devices that get them",
  "your own sessions (practice, yoga, sessions nobody else is part of) with their videos and files",
  "the notes and comments you wrote",
  "your statistics",
  "your links to coaches or athletes, your invitations and schedules",
  "your group memberships, and the groups you lead with their classes",
  "your sign-in: you cannot sign in again",
];

const KEPT = [
  "sessions you had with someone else keep their figures, videos and analysis for that person, without your name or e-mail",
  "files you attached to such a session stay part of it",
  "your attendance in classes still counts in the class's figures, under no name",
  "exercises you wrote and completion codes you entered stay, under no name",
  "the audit trail (who changed what) keeps its entries, which name an account number, never a name or address",
];

export function DeleteAccount() {
  const { account, services } = useSignedIn();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = confirms(typed, account.email);

  const open = () => {
    setTyped("");
    setError(null);
    dialog.current?.showModal();
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      const job = await api.delete<AccountDeletionPublic>("/api/users/me");
      dialog.current?.close();
      // The page first (it is open to everyone), then sign out: the account is already disabled.
      navigate("/account-deleted", { replace: true, state: { since: job.createdAt } });
      await leave(services.auth);
    } catch (caught) {
      if (!isAbort(caught)) setError(errorWords(caught, "Your account could not be deleted. Try again."));
      setBusy(false);
    }
  };

  return (
    <section className={styles.card} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p className={styles.muted}>
        Deletes your account and what is yours alone. Sessions you share with someone else stay for them,
        without your name. This cannot be undone; download your data first if you want a copy.
      </p>
      <div className={styles.actions}>
        <Button variant="secondary" onClick={open}>
          Delete my account…
        </Button>
      </div>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby="delete-dialog-title">
        <form className={styles.dialogBody} onSubmit={submit} noValidate>
          <h2 id="delete-dialog-title">Delete your account?</h2>
          <p>
            <strong>Deleted</strong>, for good:
          </p>
          <ul>
            {DELETED.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>
            <strong>Kept</strong>, without your name or e-mail:
          </p>
          <ul>
            {KEPT.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className={styles.danger}>This cannot be undone.</p>
          <fieldset className={styles.fieldset} disabled={busy}>
            <Field
              label="Type DELETE or your e-mail address to confirm"
              name="confirm"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={typed}
              onChange={(event) => {
                setTyped(event.target.value);
                setError(null);
              }}
            />
            <div className={styles.actions}>
              <Button type="submit" disabled={!ready} busy={busy} busyLabel="Deleting…">
                Delete my account
              </Button>
              <Button variant="quiet" onClick={() => dialog.current?.close()}>
                Keep my account
              </Button>
            </div>
          </fieldset>
          <FormError>{error}</FormError>
        </form>
      </dialog>
    </section>
  );
}
