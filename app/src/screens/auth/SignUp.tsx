// Create an account (Firebase Auth): name, e-mail, password; a verification e-mail goes out (the
// Auth emulator prints its link in the emulators' log). A new account is an athlete (DESIGN §2).
import { createUserWithEmailAndPassword, sendEmailVerification, updateProfile } from "firebase/auth";
import { useCallback } from "react";
import { Link, useSearchParams } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
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
      const values = {
        name: text(data, "name"),
        email: text(data, "email"),
        password: text(data, "password", true),
      };
      const missing = required(values, {
        name: "Enter your name.",
        email: "Enter your e-mail address.",
        password: "Choose a password.",
      });
      if (missing) throw new FormInvalid(missing);
      if (values.password.length < MIN_PASSWORD) {
        throw new FormInvalid({
          fields: { password: `Choose a longer password: at least ${MIN_PASSWORD} characters.` },
        });
      }
      const { user } = await createUserWithEmailAndPassword(
        state.services.auth,
        values.email,
        values.password,
      );
      await updateProfile(user, { displayName: values.name });
      await sendEmailVerification(user);
      await user.getIdToken(true); // the name into the account the app shows
    },
    [state],
  );
  const { submitting, errors, formProps } = useForm({ submit, errors: authErrors });
  const next = params.get("next");

  return (
    <Page title="Create an account">
      <form className={styles.form} aria-label="Create an account" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <Field label="Your name" name="name" autoComplete="name" error={errors.fields.name} />
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
      <div className={styles.links}>
        <Link to={next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"}>
          Already have an account? Sign in
        </Link>
      </div>
    </Page>
  );
}
