// The session documents a screen listens to (firestore.rules decides who may read them).
import {
  collection,
  type DocumentData,
  type DocumentReference,
  doc,
  type Firestore,
  limit,
  orderBy,
  type Query,
  query,
  where,
} from "firebase/firestore";
import type { SessionPublic } from "../api/types";
import type { Account } from "../auth/AuthProvider";

export const sessionFrom = (id: string, data: DocumentData): SessionPublic => ({ ...data, sessionId: id });

/**
 * The person's own sessions, newest first: a coach's by coachId, anyone else's by athleteId.
 * Archived ones leave the list (they stay readable by URL); firestore.indexes.json has the index.
 */
export function mySessions(db: Firestore, account: Account, count = 50): Query {
  const mine = account.role === "coach" ? "coachId" : "athleteId";
  return query(
    collection(db, "sessions"),
    where(mine, "==", account.uid),
    where("archived", "==", false),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}

/**
 * A coach's sessions with one of their athletes, newest first (the athlete filter of /sessions).
 * Served by merging the coachId and athleteId indexes (equalities, the same order), so it needs
 * no index of its own; the rules allow it as a query of the coach's own sessions.
 */
export function coachSessionsWith(db: Firestore, coachId: string, athleteId: string, count = 50): Query {
  return query(
    collection(db, "sessions"),
    where("coachId", "==", coachId),
    where("athleteId", "==", athleteId),
    where("archived", "==", false),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}

export function sessionDoc(db: Firestore, sessionId: string): DocumentReference {
  return doc(db, "sessions", sessionId);
}
