// Sessionbase's reference web app: the modular Firebase JS SDK, as a production app uses it.
// Auth signs in; Firestore listeners (under firestore.rules) show sessions and statistics live;
// the REST API (/api/**, through Hosting) makes changes. Built by scripts/build_web.py.
import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  getAuth,
  onIdTokenChanged,
  signInWithEmailAndPassword,
  signOut,
} from "firebase/auth";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  getFirestore,
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
} from "firebase/firestore";
import { onEmulators, sessionCookie } from "./site.js";

/* global __LOCAL_PROJECT__ */
const LOCAL = onEmulators(location);

const main = document.getElementById("main");
const who = document.getElementById("who");
let auth;
let db;
let user = null;
let role = "athlete";
let stopViews = [];

async function firebaseConfig() {
  if (LOCAL) return { projectId: __LOCAL_PROJECT__, apiKey: "fake-api-key" };
  const reply = await fetch("/__/firebase/init.json"); // served by Firebase Hosting
  return reply.json();
}

// Served from the Hosting emulator: it knows where the other emulators run (whatever ports this
// run uses) and says so in /__/firebase/init.js?useEmulator=true, as `var firebaseEmulators`.
async function runningEmulators() {
  const script = await (await fetch("/__/firebase/init.js?useEmulator=true")).text();
  const found = script.match(/var firebaseEmulators = (\{[\s\S]*?\});/);
  return found ? JSON.parse(found[1]) : {};
}

async function start() {
  const app = initializeApp(await firebaseConfig());
  auth = getAuth(app);
  db = getFirestore(app);
  if (LOCAL) {
    const emulators = await runningEmulators();
    connectAuthEmulator(auth, `http://${emulators.auth.hostAndPort}`, { disableWarnings: true });
    connectFirestoreEmulator(db, emulators.firestore.host, emulators.firestore.port);
  }
  onIdTokenChanged(auth, async (signedIn) => {
    const before = `${user?.uid}/${role}`;
    user = signedIn;
    const token = signedIn ? await signedIn.getIdToken() : "";
    // Hosting forwards this one cookie to functions: same-site pages may rely on it (README).
    document.cookie = sessionCookie(token, signedIn ? 3600 : 0, location);
    role = signedIn ? (await signedIn.getIdTokenResult()).claims.role || "athlete" : "athlete";
    // The hourly token refresh changes neither: redrawing would cut off an upload's form.
    if (`${user?.uid}/${role}` !== before || !main.dataset.drawn) render();
    main.dataset.drawn = "yes";
  });
  window.addEventListener("hashchange", render);
}

// ---- small DOM helpers ----------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) element.append(child);
  }
  return element;
}

let fields = 0;

function field(label, name, attributes = {}) {
  fields += 1;
  const id = `f${fields}-${name}`; // unique: two forms may both ask for an e-mail
  return h(
    "label",
    { for: id },
    label,
    h("input", { id, name, ...attributes }),
    h("p", { class: "error", "data-error-for": name, id: `${id}-error`, "aria-live": "polite" }),
  );
}

function showErrors(form, body) {
  for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
  const general = form.querySelector("[data-error-for='_form']");
  const named = body.errors || [];
  for (const error of named) {
    const slot = form.querySelector(`[data-error-for='${error.field}']`);
    if (slot) slot.textContent = error.message;
    const input = form.querySelector(`[name='${error.field}']`);
    if (input) input.setAttribute("aria-invalid", "true");
  }
  if (general) general.textContent = body.detail || "";
}

async function callApi(method, path, body, key) {
  const token = await user.getIdToken();
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  if (key) headers["Idempotency-Key"] = key;
  const reply = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await reply.json().catch(() => ({ detail: `HTTP ${reply.status}` }));
  return { ok: reply.ok, status: reply.status, data };
}

// A create sent once per submit: one Idempotency-Key for a submit until it is answered, so a
// second click meanwhile (a double-click) or a resend after a lost connection is the same
// request, and the server makes one record (docs/decisions.md, "Idempotent creates").
function creator(method, path) {
  let key = null;
  return async (body) => {
    key ??= crypto.randomUUID();
    const sent = key;
    const reply = await callApi(method, path, body, sent); // a lost connection keeps the key
    if (key === sent) key = null; // answered: the next submit is a new create
    return reply;
  };
}

function stopListening() {
  for (const stop of stopViews) stop();
  stopViews = [];
}

// ---- views ------------------------------------------------------------------------------------

function render() {
  stopListening();
  main.replaceChildren();
  if (!user) {
    who.textContent = "";
    main.append(signInView());
    return;
  }
  who.replaceChildren(
    `${user.email} · ${role} `,
    h("button", { class: "secondary", type: "button", onclick: () => signOut(auth) }, "Sign out"),
  );
  const match = location.hash.match(/^#\/sessions\/([A-Za-z0-9_-]+)$/);
  if (match) main.append(sessionView(match[1]));
  else main.append(...homeView());
  main.focus();
}

function signInView() {
  const form = h(
    "form",
    { "aria-labelledby": "sign-in-title" },
    h("h2", { id: "sign-in-title" }, "Sign in"),
    field("E-mail", "email", { type: "email", autocomplete: "username", required: true }),
    field("Password", "password", { type: "password", autocomplete: "current-password", required: true }),
    h("p", { class: "error", "data-error-for": "_form", "aria-live": "polite" }),
    h("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await signInWithEmailAndPassword(auth, data.get("email"), data.get("password"));
    } catch (error) {
      showErrors(form, { detail: `Sign-in failed (${error.code}).` });
    }
  });
  // The demo accounts exist only in the local emulators' seed (scripts/start.sh): a deployed
  // site never names them or their password.
  const demo = LOCAL
    ? h("p", { "data-demo": "accounts" }, "Local demo accounts: coach.ana@sessionbase.test, athlete.ben@sessionbase.test … (password sessionbase-demo; the start command prints them all).")
    : null;
  return h("section", {}, form, demo);
}

function homeView() {
  const views = [sessionsSection(), classesSection()];
  if (role === "athlete") views.push(practiceSection(), statsSection());
  if (role === "coach" || role === "admin") views.unshift(coachForms());
  return views;
}

function sessionsSection() {
  const list = h("ul", { class: "sessions", "aria-live": "polite" });
  const status = h("p", { class: "status" }, "Loading…");
  const mine = role === "coach" ? "coachId" : "athleteId";
  // Archived sessions leave the list (they stay readable by URL); firestore.indexes.json has
  // the index this query needs.
  const sessions = query(
    collection(db, "sessions"),
    where(mine, "==", user.uid),
    where("archived", "==", false),
    orderBy("createdAt", "desc"),
    limit(50),
  );
  stopViews.push(
    onSnapshot(
      sessions,
      (snapshot) => {
        status.textContent = snapshot.empty ? "No sessions yet." : `${snapshot.size} session(s)`;
        list.replaceChildren(
          ...snapshot.docs.map((session) => {
            const s = session.data();
            return h(
              "li",
              {},
              h(
                "a",
                { href: `#/sessions/${session.id}`, "data-session": session.id },
                h("strong", {}, s.event || s.sessionType || "Session"),
                ` · ${s.athleteName || s.athleteEmail || ""} `,
                h("span", { class: "badge" }, s.status || ""),
                s.analysisStatus ? h("span", { class: "badge" }, `analysis ${s.analysisStatus}`) : null,
              ),
            );
          }),
        );
      },
      (error) => {
        status.textContent = `Could not load sessions (${error.code}).`;
      },
    ),
  );
  return h("section", { "aria-labelledby": "sessions-title" }, h("h2", { id: "sessions-title" }, "My sessions"), status, list);
}

function practiceSection() {
  // The practice seed's flow: start, answer exercises (prompts are readable in Firestore; the
  // answers are not), end, and the score.
  const area = h("div", { "aria-live": "polite" });
  const startButton = h("button", { type: "button" }, "Start practice");
  const start = creator("POST", "/api/exercises/session/start");
  startButton.addEventListener("click", async () => {
    const started = await start({ session_type: "practice" });
    if (!started.ok) {
      area.replaceChildren(h("p", { class: "error" }, started.data.detail));
      return;
    }
    runPractice(area, started.data.session_id);
  });
  area.append(startButton);
  return h("section", { "aria-labelledby": "practice-title" }, h("h2", { id: "practice-title" }, "Practice"), area);
}

function runPractice(area, sessionId) {
  const list = h("ol", {});
  const endButton = h("button", { type: "button" }, "End practice");
  endButton.addEventListener("click", async () => {
    const ended = await callApi("POST", "/api/exercises/session/end", { session_id: sessionId });
    area.replaceChildren(
      ended.ok
        ? h("p", { "data-practice": "summary" },
            `Score: ${ended.data.score_percentage}% (${ended.data.correct_answers} of ${ended.data.total_exercises} right, ${ended.data.duration_seconds} s)`)
        : h("p", { class: "error" }, ended.data.detail),
    );
  });
  area.replaceChildren(list, endButton);
  const exercises = query(collection(db, "exercises"), orderBy("createdAt"), limit(20));
  stopViews.push(
    onSnapshot(exercises, (snapshot) => {
      list.replaceChildren(...snapshot.docs.map((exercise) => exerciseForm(exercise, sessionId)));
    }),
  );
}

function exerciseForm(exercise, sessionId) {
  const shownAt = Date.now();
  const submit = creator("POST", "/api/exercises/submit");
  const form = h(
    "form",
    { "data-exercise": exercise.id },
    field(exercise.data().prompt, "user_answer", { type: "text", autocomplete: "off", required: true }),
    h("p", { class: "error", "data-error-for": "_form", "aria-live": "polite" }),
    h("button", { type: "submit" }, "Answer"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await submit({
      exercise_id: exercise.id,
      user_answer: new FormData(form).get("user_answer"),
      time_taken: Math.round((Date.now() - shownAt) / 1000),
      session_id: sessionId,
    });
    const verdict = form.querySelector("[data-error-for='_form']");
    if (!reply.ok) {
      showErrors(form, reply.data);
      return;
    }
    verdict.className = reply.data.is_correct ? "status" : "error";
    verdict.textContent = reply.data.is_correct ? "Right." : `Not quite: ${reply.data.correct_answer}.`;
    form.querySelector("button").disabled = true;
  });
  return h("li", {}, form);
}

// ---- classes and teams: live sessions ----------------------------------------------------------

// The groups come once from the API (it knows which ones a person belongs to); from then on
// everything is a listener: the group document's activeSessions (start and end), each live
// session's document (its count and, at the end, its final statistics) and its attendance.
function classesSection() {
  const list = h("div", { class: "classes" });
  const status = h("p", { class: "status" }, "Loading…");
  const thisRender = stopViews; // render() replaces the array: a later one means we are gone
  const failed = (detail) => {
    status.className = "error";
    status.textContent = detail;
  };
  callApi("GET", "/api/groups")
    .then((reply) => {
      if (thisRender !== stopViews) return; // the page moved on meanwhile: no listeners
      if (!reply.ok) return failed(reply.data.detail);
      status.textContent = reply.data.groups.length ? "" : "No classes or teams yet.";
      list.replaceChildren(...reply.data.groups.map(groupCard));
    })
    .catch((error) => failed(`Could not load your classes (${error.message}).`));
  return h("section", { "aria-labelledby": "classes-title" }, h("h2", { id: "classes-title" }, "Classes and teams"), status, list);
}

function groupCard(group) {
  const owns = group.ownerId === user.uid || role === "admin";
  const classes = h("div", {});
  const shown = new Set();
  const note = h("p", { class: "error", "aria-live": "polite" });
  // Hidden until the group's listener says whether a class is running.
  const startButton = h("button", { type: "button", hidden: true }, "Start class");
  const startClass = creator("POST", `/api/groups/${group.groupId}/sessions`);
  startButton.addEventListener("click", async () => {
    startButton.disabled = true; // one class per click
    const started = await startClass({});
    note.textContent = started.ok ? "" : started.data.detail;
    startButton.disabled = false;
  });
  const card = h(
    "article",
    { class: "group", "data-group": group.groupId, "aria-labelledby": `group-${group.groupId}` },
    h("h3", { id: `group-${group.groupId}` }, group.name),
    h("p", {}, `${group.memberCount} member(s)${owns ? " · you lead it" : ""}`),
    startButton,
    note,
    classes,
  );
  stopViews.push(
    onSnapshot(
      doc(db, "groups", group.groupId),
      (snapshot) => {
        const active = snapshot.data()?.activeSessions || [];
        for (const entry of active) {
          if (shown.has(entry.sessionId)) continue;
          shown.add(entry.sessionId);
          classes.prepend(liveClass(group, entry.sessionId, owns));
        }
        startButton.hidden = !owns || active.length > 0;
        card.dataset.live = "listening";
      },
      (error) => {
        note.textContent = `Could not follow this group (${error.code}).`;
      },
    ),
  );
  return card;
}

function liveClass(group, sessionId, owns) {
  const summary = h("p", { "data-class": "summary", "aria-live": "polite" });
  const actions = h("div", {});
  const note = h("p", { class: "error", "aria-live": "polite" });
  const roster = h("ul", { class: "roster", "aria-label": "Roster" });
  const card = h("div", { class: "live", "data-live-session": sessionId }, summary, actions, note, roster);
  let checkedIn = null;
  let ended = false;
  let drawRoster = () => {};
  // This class's listeners, also in stopViews; an ended class has nothing more to say.
  const listening = [];
  const listen = (...stops) => {
    listening.push(...stops);
    stopViews.push(...stops);
  };
  const failed = (error) => {
    note.textContent = `Could not follow this class (${error.code}).`;
  };
  const redraw = (session) => {
    ended = session.status !== "active";
    drawRoster();
    if (ended && session.finalStatistics) {
      const f = session.finalStatistics;
      summary.textContent = `Class ended: ${f.present} present, ${f.absent} absent, ${f.total} in all.`;
      for (const stop of listening) stop(); // stopping twice (on the next render) is harmless
    } else {
      summary.textContent = `Class in progress: ${session.presentCount ?? 0} checked in.`;
    }
    actions.replaceChildren();
    if (ended) return;
    if (owns) actions.append(h("button", { type: "button", onclick: endClass }, "End class"));
    else if (checkedIn) actions.append(h("p", { class: "status" }, `You are checked in (${checkedIn}).`));
    else actions.append(h("button", { type: "button", onclick: checkIn }, "Check in"));
  };
  let latest = null;
  const checkIn = async () => {
    const reply = await callApi("POST", `/api/sessions/${sessionId}/check-in`);
    note.textContent = reply.ok ? "" : reply.data.detail;
  };
  const endClass = async () => {
    const reply = await callApi("POST", `/api/sessions/${sessionId}/end`);
    note.textContent = reply.ok ? "" : reply.data.detail;
  };
  listen(
    onSnapshot(
      doc(db, "sessions", sessionId),
      (snapshot) => {
        latest = snapshot.data();
        if (latest) redraw(latest);
      },
      failed,
    ),
  );
  if (owns) {
    // The owner's roster: the members (readable by the owner) and who has checked in.
    const names = new Map();
    const attended = new Map();
    drawRoster = () =>
      roster.replaceChildren(
        ...[...names].map(([uid, name]) =>
          h("li", { "data-member": uid }, `${name}: ${attended.get(uid) || (ended ? "absent" : "not checked in")}`),
        ),
      );
    const members = query(collection(db, "groups", group.groupId, "members"), where("role", "==", "member"));
    listen(
      onSnapshot(members, (snapshot) => {
        names.clear();
        for (const member of snapshot.docs) names.set(member.id, member.data().displayName || member.data().email || member.id);
        drawRoster();
      }, failed),
      onSnapshot(collection(db, "sessions", sessionId, "attendance"), (snapshot) => {
        attended.clear();
        for (const entry of snapshot.docs) attended.set(entry.id, entry.data().status);
        drawRoster();
      }, failed),
    );
  } else {
    listen(
      onSnapshot(doc(db, "sessions", sessionId, "attendance", user.uid), (snapshot) => {
        checkedIn = snapshot.exists() ? snapshot.data().status : null;
        if (latest) redraw(latest);
      }, failed),
    );
  }
  return card;
}

const FIGURES = [
  ["totalSessions", "Sessions"],
  ["completedSessions", "Completed"],
  ["sessionsThisWeek", "This week"],
  ["currentStreak", "Current streak (days)"],
  ["mindfulMinutes", "Mindful minutes"],
  ["averageScore", "Average score"],
  ["averageAccuracy", "Average accuracy"],
];

function statsSection() {
  // The figures are computed by the API from the counters in athleteStats/{uid} (streaks and
  // "this week" depend on today); a listener on that document says when to ask again.
  const figures = h("dl", { class: "figures", "aria-live": "polite" });
  const byEvent = h("ul", {});
  const refresh = async () => {
    const reply = await callApi("GET", "/api/sessions/stats");
    if (!reply.ok) {
      figures.replaceChildren(h("p", { class: "error" }, reply.data.detail));
      return;
    }
    const stats = reply.data.stats;
    figures.replaceChildren(
      ...FIGURES.map(([key, label]) =>
        h("div", { "data-figure": key }, h("dt", {}, label), h("dd", {}, stats[key] ?? "–")),
      ),
    );
    byEvent.replaceChildren(
      ...Object.entries(stats.byEvent || {}).map(([name, count]) => h("li", {}, `${name}: ${count}`)),
    );
  };
  stopViews.push(onSnapshot(doc(db, "athleteStats", user.uid), refresh, refresh));
  return h(
    "section",
    { "aria-labelledby": "stats-title" },
    h("h2", { id: "stats-title" }, "My statistics"),
    figures,
    h("h3", {}, "By event"),
    byEvent,
  );
}

function coachForms() {
  const invite = h(
    "form",
    { "aria-labelledby": "invite-title", "data-form": "invite" },
    h("h2", { id: "invite-title" }, "Invite an athlete"),
    field("Athlete's e-mail", "athleteEmail", { type: "text", required: true, autocomplete: "off" }),
    h("p", { class: "error", "data-error-for": "_form", "aria-live": "polite" }),
    h("button", { type: "submit" }, "Send invitation"),
  );
  const sendInvitation = creator("POST", "/api/invitations");
  invite.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = await sendInvitation({ athleteEmail: new FormData(invite).get("athleteEmail") });
    showErrors(invite, reply.ok ? { detail: "" } : reply.data);
    if (reply.ok) invite.querySelector("[data-error-for='_form']").textContent = "Invitation sent.";
  });
  const create = h(
    "form",
    { "aria-labelledby": "create-title", "data-form": "create" },
    h("h2", { id: "create-title" }, "New session"),
    field("Athlete's e-mail", "athleteEmail", { type: "text", required: true, autocomplete: "off" }),
    field("Event", "event", { type: "text" }),
    h("p", { class: "error", "data-error-for": "_form", "aria-live": "polite" }),
    h("button", { type: "submit" }, "Create session"),
  );
  const createSession = creator("POST", "/api/sessions");
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(create);
    const reply = await createSession({
      athleteEmail: data.get("athleteEmail"),
      event: data.get("event"),
    });
    showErrors(create, reply.ok ? { detail: "" } : reply.data);
  });
  return h("section", {}, invite, create);
}

function sessionView(sessionId) {
  const details = h("div", { "aria-live": "polite" }, h("p", {}, "Loading…"));
  // The video form stays out of the listener's redraws, so an upload's progress survives them.
  const upload = h("div", {});
  stopViews.push(
    onSnapshot(
      doc(db, "sessions", sessionId),
      (snapshot) => {
        if (!snapshot.exists()) {
          details.replaceChildren(h("p", { class: "error", role: "alert" }, "Session not found."));
          return;
        }
        const s = snapshot.data();
        const progress = s.analysisProgress ?? 0;
        const manages = role === "admin" || s.coachId === user.uid; // as policy.py decides
        if (manages && !s.archived && !upload.firstChild) upload.append(videoForm(sessionId));
        if (s.archived) upload.replaceChildren(); // read-only until restored
        const mayArchive = role === "admin" || (role === "coach" && (s.coachId === user.uid || s.createdBy === user.uid));
        const parts = [
          h("h2", {}, s.event || s.sessionType || "Session"),
          h(
            "dl",
            { class: "figures" },
            h("div", {}, h("dt", {}, "Status"), h("dd", { "data-field": "status" }, s.status || "–")),
            h("div", {}, h("dt", {}, "Athlete"), h("dd", {}, s.athleteName || s.athleteEmail || "–")),
            h("div", {}, h("dt", {}, "Analysis"), h("dd", { "data-field": "analysisStatus" }, s.analysisStatus || "–")),
          ),
          s.analysisStatus
            ? h("label", {}, "Analysis progress", h("progress", { max: 100, value: progress }, `${progress}%`))
            : null,
          s.archived ? h("p", { class: "badge", "data-field": "archived" }, "Archived: read-only until restored") : null,
          mayArchive ? archiveButton(sessionId, s.archived === true) : null,
          s.analysisError ? h("p", { class: "error" }, s.analysisError) : null,
          s.metrics
            ? h("dl", { class: "figures" }, ...Object.entries(s.metrics).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", { "data-metric": k }, String(v)))))
            : null,
        ];
        details.replaceChildren(...parts.filter((part) => part !== null)); // a null would print "null"
      },
      // A session the rules do not let this user read does not exist for them.
      () => details.replaceChildren(h("p", { class: "error", role: "alert" }, "Session not found.")),
    ),
  );
  return h("section", {}, h("p", {}, h("a", { href: "#/" }, "← All sessions")), details, upload);
}

// Archive or restore: the API decides; the listener redraws the page with the new state.
function archiveButton(sessionId, archived) {
  const action = archived ? "restore" : "archive";
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "button" }, archived ? "Restore session" : "Archive session");
  button.addEventListener("click", async () => {
    button.disabled = true;
    const reply = await callApi("POST", `/api/sessions/${sessionId}/${action}`);
    if (!reply.ok) {
      error.textContent = reply.data.detail || `Could not ${action} the session.`;
      button.disabled = false;
    }
  });
  return h("div", {}, button, error);
}

// ---- uploads ----------------------------------------------------------------------------------

// A resumable upload goes in chunks (a multiple of 256 KiB, as Cloud Storage requires); the bar
// moves with the bytes the browser has sent. Each PUT says `Content-Range: bytes a-b/size`; 308
// answers "kept so far" (its Range header says up to which byte, where CORS lets the page read it;
// else the whole chunk counts as kept), 200/201 "complete". A lost connection, 429 or 5xx sends
// the chunk again from its start, after a pause that doubles, RETRIES times at most: Cloud
// Storage ignores bytes it already has. (The status query `Content-Range: bytes */size` is not
// used: the offline stand-in for Storage, fake-gcs-server, takes it as an empty last chunk and
// completes the object.)
const CHUNK = 4 * 256 * 1024;
const RETRIES = 4;

function videoForm(sessionId) {
  const bar = h("progress", { max: 100, value: 0 }, "0%");
  const form = h(
    "form",
    { "aria-labelledby": "video-title", "data-form": "video" },
    h("h3", { id: "video-title" }, "Upload a video"),
    field("Video file", "fileName", { type: "file", accept: "video/*", required: true }),
    // What the API may say about the chosen file, beside it.
    h("p", { class: "error", "data-error-for": "contentType", "aria-live": "polite" }),
    h("p", { class: "error", "data-error-for": "size", "aria-live": "polite" }),
    h("label", {}, "Upload progress", bar),
    h("p", { class: "error", "data-error-for": "_form", "aria-live": "polite" }),
    h("button", { type: "submit" }, "Upload"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("input[type='file']").files[0];
    const note = form.querySelector("[data-error-for='_form']");
    const button = form.querySelector("button");
    note.className = "error"; // until the upload is under way
    // The API checks the type and size before any byte is sent, and answers by field.
    const target = await callApi("POST", `/api/sessions/${sessionId}/upload`, {
      fileName: file.name,
      contentType: file.type || "application/octet-stream",
      size: file.size,
      kind: "video",
    });
    showErrors(form, target.ok ? { detail: "" } : target.data);
    if (!target.ok) return;
    button.disabled = true;
    note.className = "status";
    try {
      await uploadInChunks(target.data.uploadUrl, file, (sent) => {
        const percent = Math.floor((sent * 100) / file.size);
        bar.value = percent;
        bar.textContent = `${percent}%`;
        note.textContent = `Uploading… ${percent}%`;
      });
      note.textContent = "Uploaded: the analysis starts on its own.";
    } catch (error) {
      note.className = "error";
      note.textContent = `The upload stopped (${error.message}); choose the file again to retry.`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

async function uploadInChunks(url, file, onProgress) {
  let start = 0;
  let failures = 0;
  while (start < file.size) {
    const end = Math.min(start + CHUNK, file.size);
    const from = start;
    const answer = await putChunk(url, file, start, end, (loaded) => onProgress(from + loaded));
    if (answer.status === 200 || answer.status === 201) {
      onProgress(file.size);
      return;
    }
    if (answer.status === 308) {
      const kept = answer.range?.match(/^bytes=0-(\d+)$/);
      start = kept ? Number(kept[1]) + 1 : end;
      failures = 0;
      continue;
    }
    const transient = answer.status === 0 || answer.status === 429 || answer.status >= 500;
    failures += 1;
    if (!transient || failures > RETRIES) throw new Error(answer.status ? `HTTP ${answer.status}` : "network error");
    await new Promise((wake) => setTimeout(wake, 250 * 2 ** failures));
  }
  throw new Error("the storage kept every byte but did not complete the file");
}

function putChunk(url, file, start, end, onLoaded) {
  // XMLHttpRequest, not fetch: only it reports the bytes of a request body as they are sent.
  // Resolves {status, range}; status 0 is a lost connection.
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.setRequestHeader("Content-Range", `bytes ${start}-${end - 1}/${file.size}`);
    request.upload.onprogress = (event) => onLoaded(event.loaded);
    request.onload = () => resolve({ status: request.status, range: request.getResponseHeader("Range") });
    request.onerror = () => resolve({ status: 0, range: null });
    request.send(file.slice(start, end));
  });
}

start();
