// Where this page runs, and the cookie it keeps (ported from web/src/site.js): pure functions of
// the page's location, so tests can ask them about a deployed origin.

type Place = Pick<Location, "hostname" | "protocol">;

/** The app runs against the local emulators when served from this machine (scripts/start.sh). */
export function onEmulators(place: Place): boolean {
  return place.hostname === "127.0.0.1" || place.hostname === "localhost";
}

/**
 * The `__session` cookie Hosting forwards to functions: never sent by another site's pages
 * (SameSite=Strict) and, everywhere but the emulators' plain-http origin, only over https.
 */
export function sessionCookie(token: string, maxAge: number, place: Place): string {
  const plain = onEmulators(place) && place.protocol === "http:";
  return `__session=${token}; Path=/; SameSite=Strict; Max-Age=${maxAge}${plain ? "" : "; Secure"}`;
}

/** Keep the `__session` cookie: the ID token for an hour, or gone (an empty token, 0 s). */
export function keepSessionCookie(token: string, maxAge: number): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Firefox and Safari
  document.cookie = sessionCookie(token, maxAge, window.location);
}
