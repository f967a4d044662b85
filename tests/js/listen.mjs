// Attach the web app's Firestore listeners (Firebase JS SDK `onSnapshot`) as one signed-in user.
//
// Used by tests/emulator/test_web_listeners.py. Reads a JSON spec on stdin:
//   {"auth": "host:port", "firestore": "host:port", "projectId": "...", "email": "...",
//    "password": "...", "timeoutMs": 30000,
//    "targets": [{"name": "...", "doc": "sessions/<id>", "snapshots": 1},
//                {"name": "...", "collection": "sessions", "where": {"athleteId": "<uid>"},
//                 "orderBy": "createdAt", "limit": 20, "snapshots": 1}]}
// A collection target is queried as the app queries it: `where(field, "==", value)` for each entry,
// then `orderBy(<orderBy>, "desc")` when given (the SDK adds `__name__ desc` itself); `orderBy` may
// instead be a list of [field, "asc" | "desc"] pairs, applied in order (a session's comments).
//
// Prints one JSON line per snapshot and per error, as soon as it arrives:
//   {"target": name, "n": 1, "ok": true, "fromCache": false, "ids": [...],
//    "docs": [{"id": ..., "data": {...}}]}            (timestamps as fixed-width ISO strings)
//   {"target": name, "ok": false, "code": "permission-denied", "message": "..."}
// A target is answered after `snapshots` (default 1) snapshots from the server, or after its first
// error (Firestore closes a listener on error). Snapshots from the local cache (fromCache true, "n"
// 0) are printed but not counted: a listener whose documents another listener already cached gets
// them from the cache first. Listeners use includeMetadataChanges, because the server's
// confirmation of such cached data (fromCache true -> false) is otherwise not raised; a server
// snapshot equal to the previous one (a metadata-only change) is neither printed nor counted. Exits 0 when every target is answered; after timeoutMs prints
// {"timeout": true, "pending": [...]} and exits 2; on any other failure prints {"fatal": ...}, exits 1.
import { readFileSync, writeSync } from "node:fs";

import { initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import {
  Timestamp,
  collection,
  connectFirestoreEmulator,
  doc,
  getFirestore,
  limit,
  onSnapshot,
  orderBy,
  query,
  setLogLevel,
  where,
} from "firebase/firestore";

function emit(record) {
  // `at`: when it arrived (ms since the epoch), for latency measured against the caller's clock.
  const line = JSON.stringify({ ...record, at: Date.now() });
  writeSync(1, line + "\n"); // synchronous: nothing is lost at process.exit
}

function plain(value) {
  if (value instanceof Timestamp) {
    const whole = new Date(value.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "");
    return `${whole}.${String(value.nanoseconds).padStart(9, "0")}Z`;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  if (value && typeof value === "object") return String(value); // references, GeoPoints, bytes
  return value;
}

function hostPort(origin) {
  const [host, port] = origin.replace(/^https?:\/\//, "").split(":");
  return [host, Number(port)];
}

async function main() {
  const spec = JSON.parse(readFileSync(0, "utf8"));
  setLogLevel("silent");
  const app = initializeApp({ projectId: spec.projectId, apiKey: "fake-api-key" });
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${spec.auth.replace(/^https?:\/\//, "")}`, {
    disableWarnings: true,
  });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, ...hostPort(spec.firestore));

  const credential = await signInWithEmailAndPassword(auth, spec.email, spec.password);
  emit({ signedIn: credential.user.uid });

  const pending = new Set(spec.targets.map((t) => t.name));
  const finish = (code) => {
    if (code === 2) emit({ timeout: true, pending: [...pending] });
    process.exit(code);
  };
  const timer = setTimeout(() => finish(2), spec.timeoutMs ?? 30000);
  const answered = (name, unsubscribe) => {
    unsubscribe?.();
    pending.delete(name);
    if (pending.size === 0) {
      clearTimeout(timer);
      finish(0);
    }
  };

  for (const target of spec.targets) {
    let ref;
    if (target.doc) {
      ref = doc(db, target.doc);
    } else {
      const constraints = Object.entries(target.where ?? {}).map(([f, v]) => where(f, "==", v));
      // A field name: descending (the session lists); a list of [field, direction]: as given.
      const orders = Array.isArray(target.orderBy) ? target.orderBy : [];
      if (typeof target.orderBy === "string") constraints.push(orderBy(target.orderBy, "desc"));
      for (const [field, direction] of orders) constraints.push(orderBy(field, direction));
      if (target.limit) constraints.push(limit(target.limit));
      ref = query(collection(db, target.collection), ...constraints);
    }
    const wanted = target.snapshots ?? 1;
    let counted = 0;
    let last = null; // the previous counted snapshot's documents, as JSON
    let unsubscribe = null;
    let done = false;
    unsubscribe = onSnapshot(
      ref,
      { includeMetadataChanges: true },
      (snapshot) => {
        if (done) return;
        const fromCache = snapshot.metadata.fromCache;
        const docs = target.doc ? (snapshot.exists() ? [snapshot] : []) : snapshot.docs;
        const found = docs.map((d) => ({ id: d.id, data: plain(d.data()) }));
        if (!fromCache) {
          const now = JSON.stringify(found);
          if (now === last) return; // metadata only
          last = now;
          counted += 1;
        }
        emit({
          target: target.name,
          n: fromCache ? 0 : counted,
          ok: true,
          fromCache,
          ids: docs.map((d) => d.id),
          docs: found,
        });
        if (counted >= wanted) {
          done = true;
          // onSnapshot may call back before it has returned the unsubscribe function.
          queueMicrotask(() => answered(target.name, unsubscribe));
        }
      },
      (error) => {
        if (done) return;
        done = true;
        emit({ target: target.name, ok: false, code: error.code, message: error.message });
        answered(target.name, null);
      },
    );
  }
}

main().catch((error) => {
  emit({ fatal: String(error?.stack ?? error), code: error?.code ?? null });
  process.exit(1);
});
