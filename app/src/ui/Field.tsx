// A labelled input with its hint and its error, wired for screen readers (aria-invalid,
// aria-describedby). The error clears when the field changes (useForm's onChange).
// `useDescribed` and `Labelled` are the wiring and the frame, for other controls
// (a textarea, a select: screens/sessions/records/controls.tsx).
import { type InputHTMLAttributes, type ReactNode, useId } from "react";
import styles from "./Field.module.css";

export interface Described {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string | undefined;
}

/** A control's id, and the ids of its hint and error that describe it. */
export function useDescribed({ hint, error }: Pick<Described, "hint" | "error">) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return { id, describedBy };
}

/** The label, hint and error around the control with this id. */
export function Labelled({
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

export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: Described & InputHTMLAttributes<HTMLInputElement>) {
  const { id, describedBy } = useDescribed({ hint, error });
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        className={styles.input}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
    </Labelled>
  );
}
