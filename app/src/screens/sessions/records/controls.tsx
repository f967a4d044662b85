// A labelled <textarea> and <select>, wired and framed as ui/Field's input is (aria-invalid,
// aria-describedby), for the forms of a session's records and the admin screens.
import type { SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { type Described, Labelled, useDescribed } from "../../../ui/Field";
import styles from "../../../ui/Field.module.css";

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...rest
}: Described & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, describedBy } = useDescribed({ hint, error });
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        rows={3}
        className={styles.input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
    </Labelled>
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  children,
  ...rest
}: Described & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, describedBy } = useDescribed({ hint, error });
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        className={styles.input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      >
        {children}
      </select>
    </Labelled>
  );
}
