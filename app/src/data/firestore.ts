// Firestore listeners, wrapped once: a component asks for a document or a query and gets its
// latest state; the listener starts on mount, follows a changed reference, and stops on unmount.
// Timestamps become RFC 3339 strings, so a listener's data has the API's shapes (api/types.ts).
import {
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type FirestoreError,
  onSnapshot,
  type Query,
  type QuerySnapshot,
  queryEqual,
  refEqual,
  Timestamp,
} from "firebase/firestore";
import { useEffect, useRef, useState } from "react";

export type Live<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "error"; error: FirestoreError };

/** A document's fields with every Timestamp (at any depth) as an ISO string. */
export function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

// Snapshots also when only their metadata changes: the server's first answer then arrives even
// when the cache already held the same documents.
const METADATA = { includeMetadataChanges: true } as const;

/** Whether a listener's first snapshot is worth showing: the server's answer, or the cache while
 * offline. The SDK first answers from its cache, which may hold part of a list (or nothing), so a
 * list briefly showed too few rows or its "nothing here" message before the real answer. */
export function settled(snapshot: { metadata: { fromCache: boolean } }): boolean {
  return !snapshot.metadata.fromCache || (typeof navigator !== "undefined" && !navigator.onLine);
}

/** How a document becomes the app's type; pass a module-level function (it is not a dependency). */
export type FromDocument<T> = (id: string, data: DocumentData) => T;

/** The same reference across renders while it points at the same thing (refEqual / queryEqual). */
function useStable<R>(next: R | null, same: (a: R, b: R) => boolean): R | null {
  const kept = useRef(next);
  if (next === null || kept.current === null || !same(kept.current, next)) kept.current = next;
  return kept.current;
}

/** A snapshot listener: starts on ``target``, returns its stop. */
type Listen<R, S> = (
  target: R,
  next: (snapshot: S) => void,
  error: (error: FirestoreError) => void,
) => () => void;

const listenDocument: Listen<DocumentReference, DocumentSnapshot> = (ref, next, error) =>
  onSnapshot(ref, METADATA, next, error);
const listenQuery: Listen<Query, QuerySnapshot> = (query, next, error) =>
  onSnapshot(query, METADATA, next, error);

/** The listener both hooks are: on the stable ``target``, every snapshot from the server's first
 * answer on, as ``read`` makes it the app's data. */
function useLive<R, S extends { metadata: { fromCache: boolean } }, V>(
  target: R | null,
  same: (a: R, b: R) => boolean,
  listen: Listen<R, S>,
  read: (snapshot: S) => V,
): Live<V> {
  const stable = useStable(target, same);
  const [state, setState] = useState<Live<V>>({ status: "loading" });
  const convert = useRef(read);
  convert.current = read;
  useEffect(() => {
    if (!stable) return;
    setState({ status: "loading" });
    let answered = false; // once the server answered, every later snapshot is shown
    return listen(
      stable,
      (snapshot) => {
        if (!answered && !settled(snapshot)) return;
        answered = true;
        setState({ status: "ready", data: convert.current(snapshot) });
      },
      (error) => setState({ status: "error", error }),
    );
  }, [stable, listen]);
  return state;
}

/** One document, live: `data` is null when it does not exist. Pass null to listen to nothing. */
export function useDocument<T>(ref: DocumentReference | null, from: FromDocument<T>): Live<T | null> {
  return useLive(ref, refEqual, listenDocument, (snapshot) => {
    const data = snapshot.data();
    return data ? from(snapshot.id, plain(data) as DocumentData) : null;
  });
}

/** A query's documents, live, in the query's order. Pass null to listen to nothing. */
export function useQuery<T>(query: Query | null, from: FromDocument<T>): Live<T[]> {
  return useLive(query, queryEqual, listenQuery, (snapshot) =>
    snapshot.docs.map((doc) => from(doc.id, plain(doc.data()) as DocumentData)),
  );
}
