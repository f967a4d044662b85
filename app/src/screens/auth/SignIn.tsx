// Sign in with e-mail and password (Firebase Auth). The guard (SignedOutOnly) moves a signed-in
// person on to the page they asked for, so this screen only has to sign in.
import { signInWithEmailAndPassword } from "firebase/auth";
import { useCallback } from "react";
import { Link, useSearchParams } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { LOCAL } from "../../firebase";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./auth.module.css";
import { authErrors, required } from "./authErrors";

export default function SignIn() {
  const state = useAuth();
  const [params] = useSearchParams();
  const submit = useCallback(
    async (data: FormData) => {
      if (state.status !== "signed-out") return;
      const values = { email: text(data, "email"), password: text(data, "password", true) };
      const missing = required(values, {
        email: "Enter your e-mail address.",
        password: "Enter your password.",
      });
      if (missing) throw new FormInvalid(missing);
      await signInWithEmailAndPassword(state.services.auth, values.email, values.password);
    },
    [state],
  );
  const { submitting, errors, formProps } = useForm({ submit, errors: authErrors });
  const next = params.get("next");
  const keep = next ? `?next=${encodeURIComponent(next)}` : "";

  return (
    <Page title="Sign in">
      <form className={styles.form} aria-label="Sign in" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <Field
            label="E-mail"
            name="email"
            type="email"
            autoComplete="username"
            error={errors.fields.email}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            error={errors.fields.password}
          />
          <FormError>{errors.form}</FormError>
          <Button type="submit" busy={submitting} busyLabel="Signing in…">
            Sign in
          </Button>
        </fieldset>
      </form>
      <div className={styles.links}>
        <Link to={`/reset-password${keep}`}>Forgot your password?</Link>
        <Link to={`/sign-up${keep}`}>New to Sessionbase? Create an account</Link>
      </div>
      {/* The demo accounts exist only in the local emulators' seed (scripts/start.sh). */}
      {LOCAL && (
        <p className={styles.demo} data-demo="accounts">
          Local demo accounts: coach.ana@sessionbase.test, athlete.ben@sessionbase.test,
          admin@sessionbase.test (password sessionbase-demo; the start command prints them all).
        </p>
      )}
    </Page>
  );
}
