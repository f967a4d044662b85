// A new session for one of the coach's athletes (POST /api/sessions): whom (a linked athlete),
// what (event, type), when (in the coach's time zone), notes. Made once however often it is sent:
// the fieldset is disabled while it runs and api.creator reuses one Idempotency-Key until the
// server answers. Then the new session opens, where its video is uploaded.
import { useCallback, useMemo } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../../api";
import type { SessionCreated, SessionType } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { athleteLabel, linkFrom, myAthletes } from "../../data/links";
import { sessionTypeWord } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { apiFormErrors, type FormErrors, FormInvalid, text, useForm } from "../../ui/form";
import { Loading } from "../../ui/Loading";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { SelectField, TextAreaField } from "../sessions/records/controls";
import { fromInputValue, toInputValue } from "../sessions/records/times";
import styles from "./coach.module.css";

// What a coach plans for one athlete (a Class belongs to a group, Practice to the athlete's own).
const TYPES: SessionType[] = ["Training", "Competition", "Evaluation", "Analysis", "Review", "Test"];

/** The body of POST /api/sessions from the form, or the fields at fault. */
export function sessionBody(
  data: FormData,
  timeZone: string,
): { body: Record<string, string>; errors?: undefined } | { body?: undefined; errors: FormErrors } {
  const fields: Record<string, string> = {};
  const athleteId = text(data, "athleteId");
  if (!athleteId) fields.athleteId = "Choose the athlete.";
  const when = text(data, "scheduledStart");
  const start = when ? fromInputValue(when, timeZone) : null;
  if (!start) fields.scheduledStart = "Choose the day and time.";
  const minutes = text(data, "minutes");
  const length = minutes ? Number(minutes) : 60;
  if (!Number.isInteger(length) || length < 1 || length > 24 * 60) {
    fields.minutes = "Enter whole minutes, from 1 to 1440.";
  }
  if (Object.keys(fields).length > 0 || !start) return { errors: { fields } };
  const end = new Date(new Date(start).getTime() + length * 60_000).toISOString().replace(".000Z", "Z");
  return {
    body: {
      athleteId,
      sessionType: text(data, "sessionType") || "Training",
      event: text(data, "event"),
      notes: text(data, "notes"),
      scheduledStart: start,
      scheduledEnd: end,
    },
  };
}

/** The API names `scheduledEnd` when the length is at fault: show it beside the length. */
function errorsOf(error: unknown): FormErrors {
  const mapped = apiFormErrors(error);
  if (mapped.fields.scheduledEnd) {
    const { scheduledEnd, ...rest } = mapped.fields;
    return { ...mapped, fields: { ...rest, minutes: scheduledEnd } };
  }
  return mapped;
}

export default function NewSession() {
  const { account } = useSignedIn();
  const db = useDb();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const links = useQuery(myAthletes(db, account.uid), linkFrom);
  const create = useMemo(() => api.creator<SessionCreated>("/api/sessions"), []);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      const made = sessionBody(data, account.timeZone);
      if (made.errors) throw new FormInvalid(made.errors);
      return create(made.body, { signal });
    },
    [account.timeZone, create],
  );
  const onDone = useCallback(
    (created: SessionCreated) => navigate(`/sessions/${encodeURIComponent(created.sessionId)}`),
    [navigate],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone, errors: errorsOf });
  const back = (
    <Link to="/sessions" className={styles.back}>
      ← All sessions
    </Link>
  );

  if (links.status === "loading") return <Loading label="Loading your athletes…" />;
  if (links.status === "error") {
    return (
      <Page title="New session" back={back}>
        <Notice tone="danger">
          Your athletes could not be loaded. Check your connection and reload the page.
        </Notice>
      </Page>
    );
  }
  const athletes = links.data
    .map((link) => ({ id: link.athleteId, label: athleteLabel(link) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  if (athletes.length === 0) {
    return (
      <Page title="New session" back={back}>
        <p>
          Sessions are planned for your athletes. <Link to="/athletes">Invite an athlete</Link> first; once
          they accept, you can plan their sessions here.
        </p>
      </Page>
    );
  }
  const chosen = params.get("athlete");
  const preset = athletes.some((a) => a.id === chosen)
    ? (chosen ?? "")
    : athletes.length === 1
      ? athletes[0]?.id
      : "";

  return (
    <Page title="New session" back={back}>
      <form className={styles.form} aria-label="New session" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <SelectField label="Athlete" name="athleteId" defaultValue={preset} error={errors.fields.athleteId}>
            <option value="">Choose an athlete</option>
            {athletes.map((athlete) => (
              <option key={athlete.id} value={athlete.id}>
                {athlete.label}
              </option>
            ))}
          </SelectField>
          <Field
            label="Event"
            name="event"
            hint="What it is about, e.g. 100 m sprint or Vault (optional)."
            maxLength={200}
            error={errors.fields.event}
          />
          <SelectField
            label="Type"
            name="sessionType"
            defaultValue="Training"
            error={errors.fields.sessionType}
          >
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {sessionTypeWord(type)}
              </option>
            ))}
          </SelectField>
          <Field
            label="When"
            name="scheduledStart"
            type="datetime-local"
            defaultValue={toInputValue(new Date(), account.timeZone)}
            hint={`In your time zone (${account.timeZone}).`}
            error={errors.fields.scheduledStart}
          />
          <Field
            label="Length in minutes"
            name="minutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            step={1}
            defaultValue={60}
            error={errors.fields.minutes}
          />
          <TextAreaField
            label="Notes"
            name="notes"
            maxLength={5000}
            hint="Optional."
            error={errors.fields.notes}
          />
          <FormError>{errors.form}</FormError>
          <div className={styles.buttons}>
            <Button type="submit" busy={submitting} busyLabel="Creating…">
              Create session
            </Button>
          </div>
        </fieldset>
      </form>
    </Page>
  );
}
