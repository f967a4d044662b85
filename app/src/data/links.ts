// A coach's athletes: the links their accepted invitations made (`links/{coachId}_{athleteId}`),
// which firestore.rules lets the coach read with `where coachId == me`.
import {
  collection,
  type DocumentData,
  type Firestore,
  limit,
  type Query,
  query,
  where,
} from "firebase/firestore";
import type { LinkPublic } from "../api/types";

export const linkFrom = (id: string, data: DocumentData): LinkPublic => ({
  ...(data as Omit<LinkPublic, "linkId">),
  linkId: id,
});

/** The coach's linked athletes (at most `count`; the screen sorts them by name). */
export function myAthletes(db: Firestore, coachId: string, count = 200): Query {
  return query(collection(db, "links"), where("coachId", "==", coachId), limit(count));
}

/** What the app calls a linked athlete: the name they accepted with, else their address. */
export function athleteLabel(link: LinkPublic, fallback?: string | null): string {
  return link.athleteName?.trim() || fallback?.trim() || link.athleteEmail || "Athlete";
}
