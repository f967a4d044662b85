// After `vite build`: the JavaScript a first visit loads (the entry chunk, the screen's lazy
// chunk, and every chunk they import statically), raw and gzipped, and each lazy screen's own code. The goal (issue 22): first screen ≤ 250 kB gzipped, Firebase SDK included.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL(".vite/manifest.json", dist), "utf8"));
const GOAL_KB = 250;

const gz = (file) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
const raw = (file) => readFileSync(new URL(file, dist)).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

/** A chunk and everything it imports statically (what the browser fetches before it runs). */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const next of manifest[key].imports ?? []) closure(next, seen);
  return seen;
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const screen = (name) => Object.keys(manifest).find((key) => key.endsWith(`screens/${name}.tsx`));

/** What the browser fetches to show a screen on a first visit: the entry, the screen, their imports. */
function firstLoad(label, name) {
  const keys = closure(screen(name), closure(entry));
  const files = [...keys].map((key) => manifest[key].file);
  const total = files.reduce((sum, file) => sum + gz(file), 0);
  const rawTotal = files.reduce((sum, file) => sum + raw(file), 0);
  console.log(`${label}: ${files.length} JS files, ${kb(rawTotal)} raw, ${kb(total)} gzipped`);
  for (const file of files) console.log(`  ${file.padEnd(44)} ${kb(gz(file)).padStart(9)} gz`);
  return { keys, total };
}

// Signed out, the first screen is Sign in; signed in, a screen that reads Firestore (the
// sessions list stands for them all: Firestore's code comes with the first of them).
const signIn = firstLoad("First screen, signed out (sign-in)", "auth/SignIn");
const sessions = firstLoad("First screen, signed in (sessions list)", "sessions/SessionsList");
// An athlete's first screen is their Home (its chart loads on demand, after it).
const home = firstLoad("First screen, athlete (home)", "athlete/Home");
const first = new Set([...signIn.keys, ...sessions.keys, ...home.keys]);
console.log("Each screen's own code, loaded on demand (gzipped):");
for (const [key, chunk] of Object.entries(manifest)) {
  if (!chunk.isDynamicEntry) continue;
  const own = [...closure(key)].filter((k) => k === key || !first.has(k)).map((k) => manifest[k].file);
  const size = own.reduce((sum, file) => sum + gz(file), 0);
  console.log(`  ${key.replace(/^src\//, "").padEnd(44)} ${kb(size).padStart(9)}`);
}
// /sdk/live-socket.js is built apart (vite.config.ts), Firebase inside: no first screen loads it.
const sdk = "sdk/live-socket.js";
console.log(
  `/sdk/live-socket.js (its own build, loaded only by pages that import it): ${kb(gz(sdk))} gzipped`,
);
if (
  [...first].some((key) => readFileSync(new URL(manifest[key].file, dist), "utf8").includes("live-socket"))
) {
  console.error("A first screen loads /sdk/live-socket.js: no screen should import it.");
  process.exit(1);
}
const worst = Math.max(signIn.total, sessions.total, home.total);
if (worst > GOAL_KB * 1024) {
  console.error(`A first screen's JavaScript is over the ${GOAL_KB} kB gzipped goal.`);
  process.exit(1);
}
console.log(`Goal: each first screen ≤ ${GOAL_KB} kB gzipped: met (${kb(worst)} at most).`);
