// An athlete's sessions for an admin (the review's "Compare with…"), apart from data/sessions.ts,
// which every first screen loads.
import { collection, type Firestore, limit, orderBy, type Query, query, where } from "firebase/firestore";

/**
 * An athlete's sessions, newest first, as an admin reads them (the rules let an admin run any
 * query on sessions); the same index as the athlete's own list (mySessions).
 */
export function athleteSessions(db: Firestore, athleteId: string, count = 50): Query {
  return query(
    collection(db, "sessions"),
    where("athleteId", "==", athleteId),
    where("archived", "==", false),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}
