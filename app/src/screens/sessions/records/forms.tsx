// What the forms of a session's records share: their end (the error, then submit and cancel) and
// the form that asks before a note or a file is deleted.
import { useCallback } from "react";
import { api } from "../../../api";
import { Button } from "../../../ui/Button";
import { useForm } from "../../../ui/form";
import { FormError } from "../../../ui/Notice";
import styles from "./records.module.css";

/** A records form's end: its error, then its submit button and the quiet one that closes it. */
export function FormEnd({
  error,
  submitting,
  submit,
  busyLabel,
  cancel,
  onCancel,
}: {
  error: string | undefined;
  submitting: boolean;
  submit: string;
  busyLabel: string;
  cancel?: string;
  onCancel?: () => void;
}) {
  return (
    <>
      <FormError>{error}</FormError>
      <div className={styles.actions}>
        <Button type="submit" busy={submitting} busyLabel={busyLabel}>
          {submit}
        </Button>
        {cancel && (
          <Button variant="quiet" onClick={onCancel}>
            {cancel}
          </Button>
        )}
      </div>
    </>
  );
}

/** Asks before a record (a note, a file) is deleted for everyone: DELETE ``path``, or keep it. */
export function DeleteForm({
  path,
  label,
  question,
  submit,
  onClose,
}: {
  path: string;
  label: string;
  question: string;
  submit: string;
  onClose: () => void;
}) {
  const send = useCallback((_: FormData, signal: AbortSignal) => api.delete(path, { signal }), [path]);
  const { submitting, errors, formProps } = useForm({ submit: send });
  return (
    <form className={styles.form} aria-label={label} {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <p>{question}</p>
        <FormEnd
          error={errors.form}
          submitting={submitting}
          submit={submit}
          busyLabel="Deleting…"
          cancel="Keep it"
          onCancel={onClose}
        />
      </fieldset>
    </form>
  );
}
