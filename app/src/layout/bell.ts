// The words of the header's bell (Bell.tsx): the number on it and its name for screen readers.
// Kept apart from the component so they are tested without Firestore.

/** The number on the bell: nothing at 0 or while unknown, "99+" above 99 (the listener counts 100). */
export function unreadBadge(count: number | null): string {
  if (!count || count < 0) return "";
  return count > 99 ? "99+" : String(count);
}

/** What the bell says after "Notifications": "3 unread", "all read", nothing while unknown. */
export function unreadWords(count: number | null): string {
  if (count === null) return "";
  return count > 0 ? `${unreadBadge(count)} unread` : "all read";
}
