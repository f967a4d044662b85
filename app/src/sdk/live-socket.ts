// /sdk/live-socket.js: the real-time seed's socket.io-client surface on Firestore listeners, so a
// front end written for that seed (its useCourseSessionTracking hook, its CourseComponent) runs
// unchanged: its bundler aliases `socket.io-client` to this module (docs/migration.md).
//
//   const socket = io(url, { auth: { token } });   // url: ignored (the page's own Firebase)
//   socket.on("connect", ...); socket.emit("subscribeToCourse", { course_id });
//
// In: subscribeToCourse, unsubscribeFromCourse, checkActiveSessions ({ course_id }: a group's id).
// Out: activeSessionsData (on subscribing and after each change), courseSessionStarted,
// courseSessionEnded, activeSessionsResponse (to checkActiveSessions), activeSessionsError, and
// the socket's connect / connect_error / disconnect, all with the seed's payloads. Each event
// comes from the group document alone (groups/{id}: its activeSessions and recentlyEnded, written
// by the API's start and end), one listener per course: no read per event.
//
// Sign-in (docs/decisions.md, "The live-socket module"): the module listens as the person signed
// in to this site's Firebase Auth (the page's, shared by every page of the origin), and
// `auth.token` must be that person's Firebase ID token (what the app keeps in its `__session`
// cookie, or `user.getIdToken()`): another token (another person's, the old system's JWT) or
// nobody signed in is a `connect_error`, and the socket stays disconnected.
import { onAuthStateChanged, type User } from "firebase/auth";
import {
  connectFirestoreEmulator,
  type DocumentData,
  doc,
  type Firestore,
  getFirestore,
  onSnapshot,
  Timestamp,
} from "firebase/firestore";
import { firebase, type Services } from "../firebase";

// biome-ignore lint/suspicious/noExplicitAny: listeners receive the seed's payloads, untyped as in socket.io-client
type Handler = (...args: any[]) => void;

export interface SocketOptions {
  auth?: { token?: string } | undefined;
}

/** An active session as the seed's `activeSessions` shows it. */
export interface ActiveSessionEntry {
  sessionId: string;
  teacherId: string;
  studentCount: number;
  startedAt: string;
}

export interface ActiveSessionsData {
  course_id: string;
  activeSessions: ActiveSessionEntry[];
}

interface Course {
  stop: () => void;
  /** The last server state seen: active entries by id (null until the first snapshot). */
  active: Map<string, DocumentData> | null;
  data: ActiveSessionsData | null;
}

let firestore: Firestore | undefined;

function firestoreOf(services: Services): Firestore {
  if (!firestore) {
    firestore = getFirestore(services.app);
    const emulator = services.emulators.firestore;
    if (emulator) {
      try {
        connectFirestoreEmulator(firestore, emulator.host, emulator.port);
      } catch {
        // The page's app connected the same Firestore already (it loaded this module itself).
      }
    }
  }
  return firestore;
}

/** A Firestore Timestamp (or the API's string) as the seed's `2024-01-15T10:30:00.000Z`. */
function isoTime(value: unknown): string | null {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return null;
}

function entryOf(raw: DocumentData): ActiveSessionEntry {
  return {
    sessionId: String(raw.sessionId),
    teacherId: String(raw.teacherId),
    studentCount: Number(raw.studentCount ?? 0),
    startedAt: isoTime(raw.startedAt) ?? "",
  };
}

/** The `sub` (uid) of a JWT, read without verifying it: only to compare with the signed-in user. */
function subjectOf(token: string): string | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as { sub?: unknown; user_id?: unknown };
    const sub = claims.sub ?? claims.user_id;
    return typeof sub === "string" ? sub : null;
  } catch {
    return null;
  }
}

function courseIdOf(data: unknown): string | null {
  const id = (data as { course_id?: unknown } | null | undefined)?.course_id;
  return typeof id === "string" && id.length > 0 && !id.includes("/") ? id : null;
}

export class LiveSocket {
  connected = false;
  disconnected = true;
  id: string | undefined = undefined;
  readonly auth: { token?: string };

  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly courses = new Map<string, Course>();
  private readonly buffered: [string, unknown][] = [];
  private services: Services | null = null;
  private user: User | null = null;
  private stopAuth: (() => void) | null = null;
  private closed = false;

  constructor(options: SocketOptions = {}) {
    this.auth = { ...(options.auth ?? {}) };
    this.connect();
  }

  on(event: string, handler: Handler): this {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapped: Handler = (...args) => {
      this.off(event, wrapped);
      handler(...args);
    };
    return this.on(event, wrapped);
  }

  off(event?: string, handler?: Handler): this {
    if (event === undefined) this.handlers.clear();
    else if (handler === undefined) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(handler);
    return this;
  }

  /** Send an event "to the server": the three the seed's server knows; others are ignored. */
  emit(event: string, data?: unknown): this {
    if (!this.connected) {
      this.buffered.push([event, data]); // socket.io sends what was emitted once it connects
      return this;
    }
    if (event === "subscribeToCourse") this.subscribe(data);
    else if (event === "unsubscribeFromCourse") this.unsubscribe(data);
    else if (event === "checkActiveSessions") void this.check(data);
    return this;
  }

  /** Connect (again, after `disconnect()`): done by `io()` itself. */
  connect(): this {
    if (this.connected || this.stopAuth) return this;
    this.closed = false;
    void this.open();
    return this;
  }

  disconnect(): this {
    this.closed = true;
    this.buffered.length = 0;
    this.stopAuth?.();
    this.stopAuth = null;
    this.drop("io client disconnect");
    return this;
  }

  close(): this {
    return this.disconnect();
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(...args);
  }

  private async open(): Promise<void> {
    let services: Services;
    try {
      services = await firebase();
      await services.auth.authStateReady();
    } catch (caught) {
      this.fire("connect_error", caught instanceof Error ? caught : new Error(String(caught)));
      return;
    }
    if (this.closed) return;
    this.services = services;
    // Follow the page's sign-in: signed out (or another person) is the server closing the socket.
    this.stopAuth = onAuthStateChanged(services.auth, (user) => {
      if (this.connected && user?.uid !== this.user?.uid) this.drop("io server disconnect");
      else if (!this.connected) this.admit(user);
    });
  }

  private admit(user: User | null): void {
    const token = this.auth.token;
    let refusal: string | null = null;
    if (!user) refusal = "Sign in to this site first: the live socket listens as its signed-in person.";
    else if (!token || subjectOf(token) !== user.uid)
      refusal = "auth.token is not the signed-in person's Firebase ID token.";
    if (refusal || !user) {
      this.fire("connect_error", new Error(refusal ?? "Not signed in."));
      return;
    }
    this.user = user;
    this.connected = true;
    this.disconnected = false;
    this.id = crypto.randomUUID();
    this.fire("connect");
    for (const [event, data] of this.buffered.splice(0)) this.emit(event, data);
  }

  private drop(reason: string): void {
    for (const course of this.courses.values()) course.stop();
    this.courses.clear();
    const was = this.connected;
    this.connected = false;
    this.disconnected = true;
    this.id = undefined;
    this.user = null;
    if (was) this.fire("disconnect", reason);
  }

  private error(message: string): void {
    this.fire("activeSessionsError", { message });
  }

  private subscribe(data: unknown): void {
    const courseId = courseIdOf(data);
    if (!courseId || !this.services) {
      this.error("subscribeToCourse needs a course_id.");
      return;
    }
    const known = this.courses.get(courseId);
    if (known) {
      if (known.data) this.fire("activeSessionsData", known.data);
      return;
    }
    const course: Course = { stop: () => undefined, active: null, data: null };
    this.courses.set(courseId, course);
    course.stop = onSnapshot(
      doc(firestoreOf(this.services), "groups", courseId),
      { includeMetadataChanges: true },
      (snapshot) => {
        if (snapshot.metadata.fromCache) return; // the server's state only
        this.follow(courseId, course, snapshot.data() ?? null);
      },
      (failure) => {
        this.courses.delete(courseId);
        // Not a member (or no such course: the rules answer both alike).
        this.error(
          failure.code === "permission-denied"
            ? `You may not follow course ${courseId} (permission-denied).`
            : `Following course ${courseId} failed: ${failure.message}`,
        );
      },
    );
  }

  /** One snapshot of the group: what started and ended since the last, then the active list. */
  private follow(courseId: string, course: Course, group: DocumentData | null): void {
    if (!group) {
      this.error(`No course ${courseId}.`);
      return;
    }
    const entries: DocumentData[] = Array.isArray(group.activeSessions) ? group.activeSessions : [];
    const active = new Map(entries.map((entry) => [String(entry.sessionId), entry]));
    const before = course.active;
    course.active = active;
    const teacherName = typeof group.ownerName === "string" ? group.ownerName : null;
    if (before) {
      for (const [id, entry] of active) {
        if (before.has(id)) continue;
        this.fire("courseSessionStarted", {
          course_id: courseId,
          session_id: id,
          teacher_id: String(entry.teacherId),
          teacher_name: teacherName,
          started_by: entry.startedByName ?? teacherName,
          started_at: isoTime(entry.startedAt),
        });
      }
      const ended: DocumentData[] = Array.isArray(group.recentlyEnded) ? group.recentlyEnded : [];
      for (const [id, entry] of before) {
        if (active.has(id)) continue;
        const how = ended.find((end) => end.sessionId === id);
        this.fire("courseSessionEnded", {
          course_id: courseId,
          session_id: id,
          teacher_id: String(how?.teacherId ?? entry.teacherId),
          teacher_name: teacherName,
          final_statistics: how?.finalStatistics ?? null,
          ended_by: how ? (how.endedByName ?? null) : null,
          ended_at: isoTime(how?.endedAt),
        });
      }
    }
    const data: ActiveSessionsData = { course_id: courseId, activeSessions: entries.map(entryOf) };
    if (JSON.stringify(data) === JSON.stringify(course.data)) return; // nothing the seed shows moved
    course.data = data;
    this.fire("activeSessionsData", data);
  }

  private unsubscribe(data: unknown): void {
    const courseId = courseIdOf(data);
    if (!courseId) return;
    this.courses.get(courseId)?.stop();
    this.courses.delete(courseId);
  }

  /** `checkActiveSessions`: a one-time read through the API (GET /api/groups/{id}/active-sessions). */
  private async check(data: unknown): Promise<void> {
    const courseId = courseIdOf(data);
    const user = this.user;
    if (!courseId || !user) {
      this.error("checkActiveSessions needs a course_id.");
      return;
    }
    try {
      const reply = await fetch(`/api/groups/${encodeURIComponent(courseId)}/active-sessions`, {
        headers: { Authorization: `Bearer ${await user.getIdToken()}` },
      });
      const body = (await reply.json()) as ActiveSessionsData & { message?: string };
      if (!reply.ok) {
        this.error(body.message ?? `checkActiveSessions: the API answered ${reply.status}.`);
        return;
      }
      this.fire("activeSessionsResponse", {
        course_id: body.course_id,
        activeSessions: body.activeSessions.map((entry) => entryOf(entry as unknown as DocumentData)),
      });
    } catch (caught) {
      this.error(caught instanceof Error ? caught.message : String(caught));
    }
  }
}

/** socket.io-client's `io(url, options)`: the URL is not used (this site's Firebase is the server). */
export function io(_url?: string | SocketOptions, options?: SocketOptions): LiveSocket {
  return new LiveSocket(typeof _url === "object" ? _url : options);
}

export default io;
