// Create an account (Firebase Auth): e-mail and password. A new account is an athlete (DESIGN §2).
// Then the welcome steps (screens/people): the verification e-mail goes out and the person is
// asked to open it (the Auth emulator prints its link in the emulators' log), then their name and
// time zone, then their home.
import { createUserWithEmailAndPassword } from "firebase/auth";
import { useCallback } from "react";
import { Link, useSearchParams } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { expectNewAccount } from "../../auth/guards";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./auth.module.css";
import { authErrors, required } from "./authErrors";

const MIN_PASSWORD = 8;

export default function SignUp() {
  const state = useAuth();
  const [params] = useSearchParams();
  const submit = useCallback(
    async (data: FormData) => {
      if (state.status !== "signed-out") return;
      const values = { email: text(data, "email"), password: text(data, "password", true) };
      const missing = required(values, {
        email: "Enter your e-mail address.",
        password: "Choose a password.",
      });
      if (missing) throw new FormInvalid(missing);
      if (values.password.length < MIN_PASSWORD) {
        throw new FormInvalid({
          fields: { password: `Choose a longer password: at least ${MIN_PASSWORD} characters.` },
        });
      }
      // Signed in as soon as the account exists: the guard then opens the welcome steps.
      expectNewAccount(true);
      try {
        await createUserWithEmailAndPassword(state.services.auth, values.email, values.password);
      } catch (error) {
        expectNewAccount(false);
        throw error;
      }
    },
    [state],
  );
  const { submitting, errors, formProps } = useForm({ submit, errors: authErrors });
  const next = params.get("next");

  return (
    <Page title="Create an account">
      <form className={styles.form} aria-label="Create an account" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <Field label="E-mail" name="email" type="email" autoComplete="email" error={errors.fields.email} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${MIN_PASSWORD} characters.`}
            error={errors.fields.password}
          />
          <FormError>{errors.form}</FormError>
          <Button type="submit" busy={submitting} busyLabel="Creating your account…">
            Create account
          </Button>
        </fieldset>
      </form>
      <p className={styles.note}>
        Next: confirm your address from the e-mail we send, then your name and time zone.
      </p>
      <div className={styles.links}>
        <Link to={next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"}>
          Already have an account? Sign in
        </Link>
      </div>
    </Page>
  );
}
