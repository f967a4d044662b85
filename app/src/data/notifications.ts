// The person's in-app inbox, `users/{uid}/notifications/{id}` (firestore.rules: the owner reads
// it, nobody writes it from a client; readAt is null while unread). The header's bell loads this
// module on demand (watchUnread), so the sign-in screen still does not fetch Firestore.
import {
  collection,
  type DocumentData,
  type Firestore,
  limit,
  onSnapshot,
  orderBy,
  type Query,
  query,
  where,
} from "firebase/firestore";
import type { NotificationPublic } from "../api/types";
import type { Services } from "../firebase";
import { firestoreOf } from "./db";
import { settled } from "./firestore";

/** How many unread the bell counts at most: it says "99+" past 99. */
export const UNREAD_COUNTED = 100;

function inbox(db: Firestore, uid: string) {
  return collection(db, "users", uid, "notifications");
}

/** The newest notifications first, read or not (the /notifications screen). */
export function myNotifications(db: Firestore, uid: string, count = 50): Query {
  return query(inbox(db, uid), orderBy("createdAt", "desc"), limit(count));
}

/** The unread ones (readAt null), up to UNREAD_COUNTED: the bell counts them. */
export function myUnread(db: Firestore, uid: string): Query {
  return query(inbox(db, uid), where("readAt", "==", null), limit(UNREAD_COUNTED));
}

export const notificationFrom = (id: string, data: DocumentData): NotificationPublic => ({
  kind: "",
  title: "",
  body: "",
  link: null,
  createdAt: null,
  readAt: null,
  ...data,
  id,
});

/**
 * Follows how many are unread (at most UNREAD_COUNTED), from the server's first answer on (or
 * the cache while offline); null when the inbox cannot be read. Returns the stop.
 */
export function watchUnread(services: Services, uid: string, change: (count: number | null) => void) {
  let answered = false; // once the server answered, every later snapshot counts
  return onSnapshot(
    myUnread(firestoreOf(services), uid),
    { includeMetadataChanges: true },
    (snapshot) => {
      if (!answered && !settled(snapshot)) return;
      answered = true;
      change(snapshot.size);
    },
    () => change(null),
  );
}
