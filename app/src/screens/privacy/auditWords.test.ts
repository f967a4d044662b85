import { describe, expect, it } from "vitest";
import {
  actorFallback,
  asChange,
  changeWords,
  documentLink,
  operationWords,
  sessionPart,
  valueWords,
} from "./auditWords";

describe("the audit trail in words", () => {
  it("says an operation in words, not camelCase", () => {
    expect(operationWords("createSession")).toBe("Create session");
    expect(operationWords("setCompletionCode")).toBe("Set completion code");
    expect(operationWords("some_trigger_name")).toBe("Some trigger name");
    expect(operationWords("exportMyData")).toBe("Asked for a copy of their data");
    expect(operationWords("")).toBe("Unnamed operation");
  });

  it("names the system and deleted accounts, and leaves people to their profile", () => {
    expect(actorFallback(null)).toBe("System");
    expect(actorFallback("deleted-0123456789abcdef0123")).toBe("A deleted account");
    expect(actorFallback("u1")).toBeNull();
  });

  it("writes a change as field: before → after", () => {
    const change = asChange({
      document: "sessions/s1",
      field: "completionCode",
      before: null,
      after: "4821",
    });
    expect(change).not.toBeNull();
    if (!change) return;
    expect(changeWords(change)).toBe("Completion code: none → 4821");
    // A document the request had not read: only the value written.
    expect(changeWords({ document: "users/u1", field: "role", after: "coach" })).toBe("Role: coach");
    expect(changeWords({ document: "sessions/s1", field: "motionIQ", before: 71.2345, after: 80 })).toBe(
      "Motion IQ: 71.23 → 80",
    );
    expect(asChange({ field: "role" })).toBeNull();
    // An increment is recorded by its name, not its amount.
    expect(
      changeWords({ document: "sessions/s1", field: "correctCount", before: 1, after: "Increment" }),
    ).toBe("Correct answers: 1 → counted up");
  });

  it("says times in the person's zone and shortens long values", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const options = { timeZone: "Asia/Tokyo", locale: "en-GB", now };
    // 23:30 UTC on 9 March is 08:30 on 10 March in Tokyo: today there.
    expect(valueWords("2026-03-09T23:30:00Z", options)).toMatch(/^Today, 08:30$/i);
    expect(valueWords({ a: "x".repeat(100) }).length).toBeLessThanOrEqual(60);
    expect(valueWords(true)).toBe("yes");
    expect(valueWords(undefined)).toBe("none");
  });

  it("links a session's documents to the session", () => {
    expect(documentLink("sessions/s1")).toBe("/sessions/s1");
    expect(documentLink("sessions/s1/notes/n1")).toBe("/sessions/s1");
    expect(documentLink("users/u1")).toBeNull();
    expect(sessionPart("sessions/s1/items/i1")).toEqual(["sessions/s1", "/items/i1"]);
    expect(sessionPart("sessions/s1")).toEqual(["sessions/s1", ""]);
    expect(sessionPart("users/u1")).toEqual([null, "users/u1"]);
  });
});
