// Firebase Auth's error codes in words. Sign-in never says whether an account exists: a wrong
// password, an unknown address and a disabled account read the same.
import { FirebaseError } from "firebase/app";
import type { FormErrors } from "../../ui/form";

const WRONG = "The e-mail or the password is not right. Check both, or reset your password.";

export function authErrors(error: unknown): FormErrors {
  const code = error instanceof FirebaseError ? error.code : "";
  switch (code) {
    case "auth/invalid-email":
      return { fields: { email: "Enter an e-mail address such as name@example.com." } };
    case "auth/missing-password":
      return { fields: { password: "Enter your password." } };
    case "auth/weak-password":
      return { fields: { password: "Choose a longer password: at least 8 characters." } };
    case "auth/invalid-credential":
    case "auth/invalid-login-credentials":
    case "auth/wrong-password":
    case "auth/user-not-found":
    case "auth/user-disabled":
      return { form: WRONG, fields: {} };
    case "auth/email-already-in-use":
      return {
        form: "An account cannot be made with this e-mail. If it is yours, sign in or reset your password.",
        fields: {},
      };
    case "auth/too-many-requests":
      return { form: "Too many tries. Wait a few minutes, or reset your password.", fields: {} };
    case "auth/network-request-failed":
      return { form: "No connection to Sessionbase. Check your network and try again.", fields: {} };
    default:
      return { form: "Something went wrong. Try again.", fields: {} };
  }
}

/** The checks the browser would make, said beside each field (the forms are noValidate). */
export function required(
  values: Record<string, string>,
  messages: Record<string, string>,
): FormErrors | null {
  const fields: Record<string, string> = {};
  for (const [name, message] of Object.entries(messages)) {
    if (!values[name]) fields[name] = message;
  }
  return Object.keys(fields).length ? { fields } : null;
}
