// A labelled <textarea> and <select>, wired like ui/Field's input (aria-invalid, aria-describedby)
// and styled by the same module, for the forms of a session's records and the admin screens.
import { type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from "react";
import styles from "../../../ui/Field.module.css";

interface Described {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string | undefined;
}

function useDescribed({ hint, error }: Pick<Described, "hint" | "error">) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return { id, describedBy };
}

function Around({
  id,
  label,
  hint,
  error,
  children,
}: Omit<Described, "name"> & { id: string; children: ReactNode }) {
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className={styles.error}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...rest
}: Described & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, describedBy } = useDescribed({ hint, error });
  return (
    <Around id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        rows={3}
        className={styles.input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
    </Around>
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
    <Around id={id} label={label} hint={hint} error={error}>
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
    </Around>
  );
}
