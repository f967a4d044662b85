import { describe, expect, it } from "vitest";
import type { GroupPublic, InvitationPublic, MemberPublic } from "../../api/types";
import { attendanceState, attendanceSummary, formatClock, formatCount } from "../../format";
import { cameFirst, memberName, receivedGroupInvitations, rosterRows, splitGroups } from "./classes";

const member = (uid: string, displayName: string | null, email = `${uid}@example.com`): MemberPublic => ({
  uid,
  role: "member",
  displayName,
  email,
  joinedAt: "2026-03-01T09:00:00Z",
});

const invitation = (fields: Partial<InvitationPublic>): InvitationPublic => ({
  invitationId: "i1",
  kind: "group",
  status: "pending",
  coachId: "coach",
  athleteEmail: "ben@example.com",
  groupId: "g1",
  groupName: "Gymnastics 101",
  createdAt: "2026-03-01T09:00:00Z",
  expiresAt: "2026-03-08T09:00:00Z",
  ...fields,
});

describe("rosterRows", () => {
  it("gives every member their record, by name, and no record as not checked in", () => {
    const rows = rosterRows(
      [member("u2", "Mia"), member("u1", "Ben"), member("u3", null, "leo@example.com")],
      [{ uid: "u2", status: "late", at: "2026-03-01T09:12:00Z" }],
    );
    expect(rows).toEqual([
      { uid: "u1", name: "Ben", status: null },
      { uid: "u3", name: "leo@example.com", status: null },
      { uid: "u2", name: "Mia", status: "late" },
    ]);
  });

  it("keeps the record of someone who is no longer a member", () => {
    const rows = rosterRows(
      [member("u1", "Ben")],
      [{ uid: "gone", status: "present", at: "2026-03-01T09:00:00Z" }],
    );
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ["A former member", "present"],
      ["Ben", null],
    ]);
  });

  it("lists who came first", () => {
    const rows = cameFirst([
      { uid: "a", name: "Ada", status: "absent" },
      { uid: "b", name: "Ben", status: "late" },
      { uid: "c", name: "Cy", status: null },
      { uid: "d", name: "Dee", status: "present" },
    ]);
    expect(rows.map((row) => row.uid)).toEqual(["b", "d", "a", "c"]);
  });
});

describe("memberName", () => {
  it("is the name, else the address, never empty", () => {
    expect(memberName({ displayName: " Ben ", email: "b@x.test" })).toBe("Ben");
    expect(memberName({ displayName: "", email: "b@x.test" })).toBe("b@x.test");
    expect(memberName({ displayName: null, email: null })).toBe("A member");
  });
});

describe("receivedGroupInvitations", () => {
  const ben = { uid: "ben", email: "Ben@Example.com" };
  it("keeps pending group invitations to this person, by address or by account", () => {
    const mine = [
      invitation({ invitationId: "a" }),
      invitation({ invitationId: "b", athleteEmail: null, inviteeId: "ben" }),
    ];
    expect(receivedGroupInvitations(mine, ben).map((i) => i.invitationId)).toEqual(["a", "b"]);
  });

  it("drops a coach's invitation, answered or lapsed ones, others' and those the person sent", () => {
    const others = [
      invitation({ kind: "coach" }),
      invitation({ status: "accepted" }),
      invitation({ status: "expired" }),
      invitation({ athleteEmail: "mia@example.com" }),
      invitation({ coachId: "ben" }),
    ];
    expect(receivedGroupInvitations(others, ben)).toEqual([]);
  });
});

describe("splitGroups", () => {
  const group = (groupId: string, name: string, ownerId: string) =>
    ({ groupId, name, ownerId, kind: "course", createdAt: "", updatedAt: "" }) as GroupPublic;
  it("separates the groups a person leads from those they belong to, by name", () => {
    const { leading, belonging } = splitGroups(
      [group("1", "Vault", "me"), group("2", "Beam", "ana"), group("3", "Floor", "me")],
      "me",
    );
    expect(leading.map((g) => g.name)).toEqual(["Floor", "Vault"]);
    expect(belonging.map((g) => g.name)).toEqual(["Beam"]);
  });
});

describe("class words", () => {
  it("says attendance, counts and a class's summary", () => {
    expect(attendanceState("late")).toEqual({ label: "Late", tone: "warning" });
    expect(attendanceState(null).label).toBe("Not checked in");
    expect(formatCount(1, "member", undefined, "en")).toBe("1 member");
    expect(formatCount(1200, "member", undefined, "en")).toBe("1,200 members");
    expect(attendanceSummary({ present: 2, absent: 1, total: 3 }, "en")).toBe("2 present, 1 absent");
    expect(attendanceSummary({ present: 3, absent: 0, total: 3 }, "en")).toBe("3 present");
  });
});

describe("formatClock", () => {
  const now = new Date("2026-03-12T15:00:00Z");
  it("says a time of today as the time, another day's with its day", () => {
    expect(formatClock("2026-03-12T14:02:00Z", { timeZone: "UTC", locale: "en-GB", now })).toBe("14:02");
    expect(formatClock("2026-03-11T14:02:00Z", { timeZone: "UTC", locale: "en-GB", now })).toBe(
      "Yesterday, 14:02",
    );
  });
});
