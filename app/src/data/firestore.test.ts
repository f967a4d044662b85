import { afterEach, describe, expect, it, vi } from "vitest";
import { settled } from "./firestore";

describe("settled", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("waits for the server's answer while online", () => {
    vi.stubGlobal("navigator", { onLine: true });
    expect(settled({ metadata: { fromCache: true } })).toBe(false);
    expect(settled({ metadata: { fromCache: false } })).toBe(true);
  });

  it("shows what the cache holds while offline", () => {
    vi.stubGlobal("navigator", { onLine: false });
    expect(settled({ metadata: { fromCache: true } })).toBe(true);
  });
});
