import { describe, expect, it } from "vitest";
import { onEmulators, sessionCookie } from "./site";

const local = { hostname: "127.0.0.1", protocol: "http:" };
const deployed = { hostname: "sessionbase.web.app", protocol: "https:" };

describe("site", () => {
  it("runs against the emulators only on this machine", () => {
    expect(onEmulators(local)).toBe(true);
    expect(onEmulators({ hostname: "localhost", protocol: "http:" })).toBe(true);
    expect(onEmulators(deployed)).toBe(false);
  });

  it("keeps the session cookie strict, and secure except on the emulators' plain http", () => {
    expect(sessionCookie("t", 3600, local)).toBe("__session=t; Path=/; SameSite=Strict; Max-Age=3600");
    expect(sessionCookie("t", 0, deployed)).toBe("__session=t; Path=/; SameSite=Strict; Max-Age=0; Secure");
    // Plain http anywhere but this machine still gets Secure: the browser then keeps no cookie.
    expect(sessionCookie("t", 3600, { hostname: "sessionbase.example", protocol: "http:" })).toMatch(
      /; Secure$/,
    );
    // The emulators' host over https (a tunnel) is not "plain": Secure too.
    expect(sessionCookie("t", 3600, { hostname: "127.0.0.1", protocol: "https:" })).toMatch(/; Secure$/);
  });
});
