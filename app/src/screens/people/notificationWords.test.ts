import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type NotificationPreferences } from "../../api/types";
import { changedPreferences, kindWord, notificationTarget, preferenceRows } from "./notificationWords";

describe("the kinds in words", () => {
  it("names every kind as something that happens to the person", () => {
    expect(kindWord("invitationReceived")).toBe("Someone invites you");
    expect(kindWord("analysisCompleted")).toBe("Your analysis is ready");
    for (const kind of NOTIFICATION_KINDS) expect(kindWord(kind)).toMatch(/^[A-Z][^A-Z]*\S$/);
  });
  it("words a kind it does not know from its name", () => {
    expect(kindWord("somethingNew")).toBe("Something new");
  });
});

describe("the preferences table", () => {
  const table: NotificationPreferences = Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [kind, { email: kind !== "classStarted", push: true }]),
  );
  it("has one row per kind, in the app's order, with both channels", () => {
    const rows = preferenceRows(table);
    expect(rows.map((r) => r.kind)).toEqual([...NOTIFICATION_KINDS]);
    expect(rows.find((r) => r.kind === "classStarted")).toMatchObject({ email: false, push: true });
  });
  it("fills a kind the answer left out with the contract's defaults", () => {
    const rows = preferenceRows({});
    expect(rows.find((r) => r.kind === "commentAdded")).toMatchObject({ email: false, push: true });
    expect(rows.find((r) => r.kind === "roleChanged")).toMatchObject({ email: true, push: true });
  });
  it("reads the form's checkboxes into the whole table (an unticked box is false)", () => {
    const data = new FormData();
    data.set("invitationReceived.email", "on");
    data.set("analysisCompleted.push", "on");
    const sent = changedPreferences(data);
    expect(Object.keys(sent)).toEqual([...NOTIFICATION_KINDS]);
    expect(sent.invitationReceived).toEqual({ email: true, push: false });
    expect(sent.analysisCompleted).toEqual({ email: false, push: true });
    expect(sent.roleChanged).toEqual({ email: false, push: false });
  });
});

describe("where a notification leads", () => {
  it("follows a path of this app", () => {
    expect(notificationTarget("/sessions/abc/review")).toBe("/sessions/abc/review");
  });
  it("follows nothing else: another site, a scheme, nothing", () => {
    expect(notificationTarget("//evil.example/x")).toBeNull();
    expect(notificationTarget("https://evil.example/")).toBeNull();
    expect(notificationTarget("javascript:alert(1)")).toBeNull();
    expect(notificationTarget("/\\evil.example")).toBeNull();
    expect(notificationTarget(null)).toBeNull();
    expect(notificationTarget("")).toBeNull();
  });
});
