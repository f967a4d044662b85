// Ask for a password-reset e-mail (Firebase Auth; the Auth emulator prints the link in its log).
// The answer is the same whether or not an account has that address.

import { FirebaseError } from "firebase/app";
import { sendPasswordResetEmail } from "firebase/auth";
import { useCallback, useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./auth.module.css";
import { authErrors } from "./authErrors";

export default function ResetPassword() {
  const state = useAuth();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useCallback(
    async (data: FormData) => {
      if (state.status !== "signed-out") return null;
      const email = text(data, "email");
      if (!email) throw new FormInvalid({ fields: { email: "Enter your e-mail address." } });
      try {
        await sendPasswordResetEmail(state.services.auth, email);
      } catch (error) {
        // An unknown address is answered as a known one: nobody learns who has an account.
        if (!(error instanceof FirebaseError && error.code === "auth/user-not-found")) throw error;
      }
      return email;
    },
    [state],
  );
  const { submitting, errors, formProps } = useForm({ submit, errors: authErrors, onDone: setSentTo });

  return (
    <Page title="Reset your password">
      {sentTo ? (
        <Notice tone="success">
          If an account uses {sentTo}, an e-mail with a link to choose a new password is on its way. It can
          take a minute; look in the spam folder too.
        </Notice>
      ) : (
        <form className={styles.form} aria-label="Reset your password" {...formProps}>
          <p>Enter the e-mail you sign in with, and we will send you a link to choose a new password.</p>
          <fieldset className={styles.fieldset} disabled={submitting}>
            <Field
              label="E-mail"
              name="email"
              type="email"
              autoComplete="username"
              error={errors.fields.email}
            />
            <FormError>{errors.form}</FormError>
            <Button type="submit" busy={submitting} busyLabel="Sending…">
              Send the link
            </Button>
          </fieldset>
        </form>
      )}
      <div className={styles.links}>
        <Link to="/sign-in">Back to sign in</Link>
      </div>
    </Page>
  );
}
