// The exercises a learner practises: `exercises/{id}` (any signed-in person reads a prompt; the
// accepted answers are in `exerciseAnswers`, which athletes never read), oldest first, as the
// reference app offered them.
import {
  collection,
  type DocumentData,
  type Firestore,
  limit,
  orderBy,
  type Query,
  query,
} from "firebase/firestore";

export interface Exercise {
  exerciseId: string;
  prompt: string;
}

export const exerciseFrom = (id: string, data: DocumentData): Exercise => ({
  exerciseId: id,
  prompt: typeof data.prompt === "string" ? data.prompt : "",
});

export function practiceSet(db: Firestore, count = 20): Query {
  return query(collection(db, "exercises"), orderBy("createdAt"), limit(count));
}
