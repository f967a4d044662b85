// The one form pattern: submit once (the controls are disabled while it runs), errors by field
// from the API (or Firebase Auth), each field's error cleared as soon as that field changes, the
// call cancelled if the screen goes away. See screens/SignIn.tsx for a form that uses it.
import { type ChangeEvent, type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { ApiError, isAbort } from "../api/client";

export interface FormErrors {
  /** About the form as a whole (shown above the submit button). */
  form?: string | undefined;
  /** By field name, as the form's inputs are named. */
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { fields: {} };

/** An API error as form errors: each named field beside its input, the sentence for the form. */
export function apiFormErrors(error: unknown): FormErrors {
  if (error instanceof ApiError) {
    const fields = Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
    // With every bad field shown beside its input, the form-wide sentence would only repeat them.
    return { form: error.errors.length ? undefined : error.message, fields };
  }
  return { form: "Something went wrong. Try again.", fields: {} };
}

/** Thrown by a submit function to report errors it found itself (before any request). */
export class FormInvalid extends Error {
  readonly errors: FormErrors;
  constructor(errors: FormErrors) {
    super("invalid form");
    this.errors = errors;
  }
}

/** A form field's text (trimmed unless `raw`), "" when absent. */
export function text(data: FormData, name: string, raw = false): string {
  const value = data.get(name);
  return typeof value === "string" ? (raw ? value : value.trim()) : "";
}

export interface FormOptions<T> {
  /** Does the work; throw FormInvalid, an ApiError, or anything `errors` understands. */
  submit: (data: FormData, signal: AbortSignal) => Promise<T>;
  /** How a thrown error becomes form errors (default: apiFormErrors). */
  errors?: (error: unknown) => FormErrors;
  onDone?: (result: T) => void;
}

export function useForm<T>({ submit, errors: toErrors = apiFormErrors, onDone }: FormOptions<T>) {
  const [submitting, setSubmitting] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  const onSubmit = useCallback(
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      if (running.current) return; // one submit at a time, whatever the clicks
      const controller = new AbortController();
      running.current = controller;
      setSubmitting(true);
      setErrors(NO_ERRORS);
      try {
        const result = await submit(new FormData(event.currentTarget), controller.signal);
        if (!controller.signal.aborted) onDone?.(result);
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        setErrors(error instanceof FormInvalid ? error.errors : toErrors(error));
      } finally {
        running.current = null;
        if (!controller.signal.aborted) setSubmitting(false);
      }
    },
    [submit, toErrors, onDone],
  );

  // A change to a field clears that field's error and the form-wide one: they were about the old value.
  const onChange = useCallback((event: ChangeEvent<HTMLFormElement>) => {
    const name = (event.target as { name?: unknown }).name;
    setErrors((before) => {
      if (typeof name !== "string" || (!before.fields[name] && !before.form)) return before;
      const { [name]: _cleared, ...fields } = before.fields;
      return { form: undefined, fields };
    });
  }, []);

  return { submitting, errors, formProps: { onSubmit, onChange, noValidate: true } };
}
