import { describe, expect, it } from "vitest";
import { unreadBadge, unreadWords } from "./bell";

describe("the bell's number", () => {
  it("is empty with nothing unread or while unknown", () => {
    expect(unreadBadge(0)).toBe("");
    expect(unreadBadge(null)).toBe("");
  });
  it("counts up to 99, then says 99+", () => {
    expect(unreadBadge(1)).toBe("1");
    expect(unreadBadge(99)).toBe("99");
    expect(unreadBadge(100)).toBe("99+");
  });
});

describe("the bell's words", () => {
  it("says how many are unread, or that all are read", () => {
    expect(unreadWords(3)).toBe("3 unread");
    expect(unreadWords(100)).toBe("99+ unread");
    expect(unreadWords(0)).toBe("all read");
  });
  it("says nothing while the count is unknown", () => {
    expect(unreadWords(null)).toBe("");
  });
});
