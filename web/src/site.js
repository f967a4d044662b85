// Where this page runs, and the cookie it keeps: pure functions of the page's location, so a
// test can ask them about a deployed origin (tests/unit/test_web_site.py runs them in node).

// The app runs against the local emulators when served from this machine (scripts/start.sh).
export function onEmulators(place) {
  return ["127.0.0.1", "localhost"].includes(place.hostname);
}

// The `__session` cookie Hosting forwards to functions: never sent by another site's pages
// (SameSite=Strict) and, everywhere but the emulators' plain-http origin, only over https.
export function sessionCookie(token, maxAge, place) {
  const plain = onEmulators(place) && place.protocol === "http:";
  return `__session=${token}; Path=/; SameSite=Strict; Max-Age=${maxAge}${plain ? "" : "; Secure"}`;
}
