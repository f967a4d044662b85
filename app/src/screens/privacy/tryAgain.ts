// An API error as the sentence a person reads; a rate limit (429 with Retry-After) says when to
// try again ("in 12 minutes", "after 14:00") instead of only "too many".
import { ApiError } from "../../api/client";

/** "in 40 seconds", "in 12 minutes", "in about 3 hours". */
export function waitWords(seconds: number): string {
  if (seconds < 60)
    return `in ${Math.max(1, Math.ceil(seconds))} second${Math.ceil(seconds) === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return `in about ${hours} hour${hours === 1 ? "" : "s"}`;
}

/** What to say for a failed call: the API's sentence, and when to try again if it said. */
export function errorWords(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.status === 429) {
    return error.retryAfter
      ? `${error.message} Try again ${waitWords(error.retryAfter)}.`
      : `${error.message} Try again later.`;
  }
  return error.message || fallback;
}
