import { describe, expect, it } from "vitest";
import type { InvitationPublic, SessionPublic } from "../../api/types";
import { invitationState } from "../../format";
import { videoProblem, videoType } from "../sessions/VideoUpload";
import { latestByAthlete } from "./Athletes";
import { invitationWhen, sentToAthletes } from "./Invitations";
import { sessionBody } from "./NewSession";

const session = (fields: Partial<SessionPublic>): SessionPublic => ({ sessionId: "s", ...fields });
const invitation = (fields: Partial<InvitationPublic>): InvitationPublic => ({
  invitationId: "i",
  coachId: "coach",
  status: "pending",
  createdAt: "2026-03-10T09:00:00Z",
  expiresAt: "2026-03-17T09:00:00Z",
  ...fields,
});

describe("the coach's athletes", () => {
  it("takes each athlete's latest session and a name from it", () => {
    const latest = latestByAthlete(
      [
        session({ athleteId: "ben", createdAt: "2026-03-01T10:00:00Z", athleteName: "Ben" }),
        session({ athleteId: "ben", scheduledStart: "2026-03-05T10:00:00Z" }),
        session({ athleteId: "ben", scheduledStart: "2026-03-20T10:00:00Z" }),
        session({ athleteId: "ben", scheduledStart: "2026-03-12T10:00:00Z" }),
        session({ athleteId: "mia", createdAt: "2026-02-01T10:00:00Z" }),
        session({ athleteId: "mia", sessionType: "Class", createdAt: "2026-04-01T10:00:00Z" }),
        session({ athleteEmail: "pending@example.com", createdAt: "2026-04-01T10:00:00Z" }),
      ],
      new Date("2026-03-10T00:00:00Z"),
    );
    expect(latest.get("ben")).toEqual({
      last: "2026-03-05T10:00:00Z",
      next: "2026-03-12T10:00:00Z",
      name: "Ben",
    });
    expect(latest.get("mia")).toEqual({ last: "2026-02-01T10:00:00Z", next: null, name: null });
    expect(latest.size).toBe(2);
  });
});

describe("sent invitations", () => {
  it("lists the coach's own invitations to athletes, not group ones", () => {
    const all = [
      invitation({ invitationId: "a" }),
      invitation({ invitationId: "b", kind: "coach" }),
      invitation({ invitationId: "c", kind: "group", groupName: "Juniors" }),
      invitation({ invitationId: "d", coachId: "someone-else" }),
    ];
    expect(sentToAthletes(all, "coach").map((i) => i.invitationId)).toEqual(["a", "b"]);
  });

  it("says states and dates in words", () => {
    const now = new Date("2026-03-11T12:00:00Z");
    expect(invitationState("pending").label).toBe("Waiting for an answer");
    expect(invitationState("revoked").label).toBe("Withdrawn");
    expect(invitationWhen(invitation({}), "UTC", now)).toMatch(/^Sent yesterday, .+ · open until Tuesday, /);
    expect(
      invitationWhen(invitation({ status: "accepted", acceptedAt: "2026-03-11T08:00:00Z" }), "UTC", now),
    ).toMatch(/· accepted today, /);
  });
});

describe("a new session's body", () => {
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    return data;
  };

  it("reads the time in the coach's zone and ends it after the length", () => {
    const made = sessionBody(
      form({
        athleteId: "ben",
        sessionType: "Competition",
        event: " Vault ",
        scheduledStart: "2026-07-01T09:30",
        minutes: "90",
      }),
      "Europe/Paris",
    );
    expect(made.body).toEqual({
      athleteId: "ben",
      sessionType: "Competition",
      event: "Vault",
      notes: "",
      scheduledStart: "2026-07-01T07:30:00Z",
      scheduledEnd: "2026-07-01T09:00:00Z",
    });
  });

  it("names each missing or wrong field", () => {
    expect(sessionBody(form({ minutes: "0" }), "UTC").errors?.fields).toEqual({
      athleteId: "Choose the athlete.",
      scheduledStart: "Choose the day and time.",
      minutes: "Enter whole minutes, from 1 to 1440.",
    });
  });
});

describe("a session's video", () => {
  it("takes a video by its type or its extension, not empty and not over 2 GB", () => {
    expect(videoType({ name: "a.bin", type: "video/mp4" })).toBe("video/mp4");
    expect(videoType({ name: "clip.MOV", type: "" })).toBe("video/quicktime");
    expect(videoProblem({ name: "notes.pdf", type: "application/pdf", size: 10 })).toMatch(/not a video/);
    expect(videoProblem({ name: "a.mp4", type: "video/mp4", size: 0 })).toBe("This file is empty.");
    expect(videoProblem({ name: "a.mp4", type: "video/mp4", size: 3 * 1024 ** 3 })).toMatch(/2 GB/);
    expect(videoProblem({ name: "a.mp4", type: "video/mp4", size: 1000 })).toBeNull();
  });
});
