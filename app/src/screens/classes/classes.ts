// What the class screens compute from what they read: a member's name, the roster of a class
// (members and the roll together), the group invitations a person received, the groups' order.
import type {
  AttendanceRecord,
  AttendanceStatus,
  GroupPublic,
  InvitationPublic,
  MemberPublic,
} from "../../api/types";
import type { Account } from "../../auth/AuthProvider";

/** A member as people call them: their name, else their address (the owner typed it). */
export function memberName(member: Pick<MemberPublic, "displayName" | "email">): string {
  return member.displayName?.trim() || member.email || "A member";
}

export interface RosterRow {
  uid: string;
  name: string;
  /** Null: no record (not checked in yet). */
  status: AttendanceStatus | null;
}

/**
 * The roster of a class: every member with their record of the roll, by name; a record of
 * someone no longer a member (removed, or left, after the class) stays, as "A former member".
 */
export function rosterRows(members: readonly MemberPublic[], roll: readonly AttendanceRecord[]): RosterRow[] {
  const status = new Map(roll.map((record) => [record.uid, record.status]));
  const rows: RosterRow[] = members.map((member) => ({
    uid: member.uid,
    name: memberName(member),
    status: status.get(member.uid) ?? null,
  }));
  const known = new Set(members.map((member) => member.uid));
  for (const record of roll) {
    if (!known.has(record.uid))
      rows.push({ uid: record.uid, name: "A former member", status: record.status });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** Who came to a class: checked in (present or late) first, then the rest. */
export function cameFirst(rows: RosterRow[]): RosterRow[] {
  const came = (row: RosterRow) => row.status === "present" || row.status === "late";
  return [...rows.filter(came), ...rows.filter((row) => !came(row))];
}

/** The group invitations this person received and can still accept (not those they sent). */
export function receivedGroupInvitations(
  invitations: readonly InvitationPublic[],
  account: Pick<Account, "uid" | "email">,
): InvitationPublic[] {
  const email = account.email.toLowerCase();
  return invitations.filter(
    (invitation) =>
      invitation.kind === "group" &&
      invitation.status === "pending" &&
      invitation.coachId !== account.uid &&
      (invitation.inviteeId === account.uid || invitation.athleteEmail?.toLowerCase() === email),
  );
}

/** Is a class of this group running now? */
export function isLive(group: Pick<GroupPublic, "activeSessions">): boolean {
  return (group.activeSessions?.length ?? 0) > 0;
}

/** The groups a person leads and those they belong to, each by name. */
export function splitGroups(
  groups: readonly GroupPublic[],
  uid: string,
): { leading: GroupPublic[]; belonging: GroupPublic[] } {
  const byName = [...groups].sort((a, b) => a.name.localeCompare(b.name));
  return {
    leading: byName.filter((group) => group.ownerId === uid),
    belonging: byName.filter((group) => group.ownerId !== uid),
  };
}
