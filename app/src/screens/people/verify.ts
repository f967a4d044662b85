// The verification e-mail (Firebase Auth): sent after sign-up, and again from the welcome step
// or the inbox; its link comes back to the app (the welcome step) after verifying.
import { FirebaseError } from "firebase/app";
import { sendEmailVerification, type User } from "firebase/auth";

export function sendLink(user: User): Promise<void> {
  return sendEmailVerification(user, { url: `${window.location.origin}/welcome` });
}

export function linkError(error: unknown): string {
  const code = error instanceof FirebaseError ? error.code : "";
  if (code === "auth/too-many-requests")
    return "A link was sent a moment ago. Wait a minute before asking again.";
  if (code === "auth/network-request-failed") return "No connection. Check your network and try again.";
  return "The e-mail could not be sent. Try again.";
}
