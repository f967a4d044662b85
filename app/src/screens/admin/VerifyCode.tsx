// "Verify a code" (admins, on Completed): GET /api/completion-codes/{code} says which session a
// completion code completed, when and by whom; the session and the person are then read by name.
import { useCallback, useState } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../../api";
import type { CompletionCodePublic } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { sessionDoc, sessionFrom } from "../../data/sessions";
import { formatWhenInSentence, sessionTitle } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import styles from "./admin.module.css";
import { usePersonName } from "./Person";
import { people } from "./SessionRows";

type Verdict = { code: string; found: CompletionCodePublic | null };

export function VerifyCode() {
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const submit = useCallback(async (data: FormData, signal: AbortSignal): Promise<Verdict> => {
    setVerdict(null);
    const code = text(data, "code");
    if (!code) throw new FormInvalid({ fields: { code: "Type the code to verify." } });
    try {
      const found = await api.get<CompletionCodePublic>(`/api/completion-codes/${encodeURIComponent(code)}`, {
        signal,
      });
      return { code, found };
    } catch (error) {
      // No session was completed with it: an answer, not a failure.
      if (error instanceof ApiError && error.status === 404) return { code, found: null };
      throw error;
    }
  }, []);
  const { submitting, errors, formProps } = useForm({ submit, onDone: setVerdict });
  return (
    <section className={styles.group} aria-labelledby="verify-title">
      <h2 id="verify-title">Verify a code</h2>
      <form className={styles.verify} aria-label="Verify a completion code" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <Field
            label="Completion code"
            name="code"
            autoComplete="off"
            spellCheck={false}
            error={errors.fields.code}
          />
          <Button type="submit" variant="secondary" busy={submitting} busyLabel="Verifying…">
            Verify
          </Button>
        </fieldset>
        <FormError>{errors.form}</FormError>
      </form>
      <div aria-live="polite">{verdict && <VerdictNotice verdict={verdict} />}</div>
    </section>
  );
}

function VerdictNotice({ verdict }: { verdict: Verdict }) {
  if (!verdict.found) {
    return (
      <Notice tone="warning">No session was completed with the code {verdict.code.toUpperCase()}.</Notice>
    );
  }
  return <Found found={verdict.found} />;
}

function Found({ found }: { found: CompletionCodePublic }) {
  const { account } = useSignedIn();
  const session = useDocument(sessionDoc(useDb(), found.sessionId), sessionFrom);
  const by = usePersonName(found.completedBy);
  const when = formatWhenInSentence(found.completedAt, { timeZone: account.timeZone });
  const read = session.status === "ready" ? session.data : null;
  return (
    <Notice tone="success">
      <strong>{found.code} is valid.</strong> Completed {when} by {by}.{" "}
      {read ? (
        <>
          <Link to={`/sessions/${encodeURIComponent(found.sessionId)}`}>{sessionTitle(read)}</Link>
          {people(read) ? ` (${people(read)})` : ""}.
        </>
      ) : session.status === "ready" ? (
        "Its session has since been deleted."
      ) : null}
    </Notice>
  );
}
