// The notifications in words: each kind as what happens to the person ("Someone invites you"),
// for the preferences on the Profile page and the inbox; the preferences table as rows, and the
// form's checkboxes back into the table PUT /api/users/me takes.
import {
  type ChannelPreference,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationPreferences,
} from "../../api/types";

const KIND: Record<NotificationKind, string> = {
  invitationReceived: "Someone invites you",
  invitationAccepted: "Someone accepts your invitation",
  invitationDeclined: "Someone declines your invitation",
  analysisCompleted: "Your analysis is ready",
  analysisFailed: "An analysis could not be done",
  commentAdded: "Someone comments on your session",
  sessionCompleted: "Your session is completed",
  classStarted: "A class of yours starts",
  markedAbsent: "You are marked absent",
  roleChanged: "Your role changes",
};

/** The backend's defaults (the contract), for a kind an answer leaves out. */
const EMAIL_OFF: ReadonlySet<string> = new Set<NotificationKind>(["classStarted", "commentAdded"]);

function isKind(kind: string): kind is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

/** A kind in words; one this app does not know yet, from its name ("somethingNew" → "Something new"). */
export function kindWord(kind: string): string {
  if (isKind(kind)) return KIND[kind];
  const words = kind.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface PreferenceRow extends ChannelPreference {
  kind: NotificationKind;
  label: string;
}

/** One row per kind, in the app's order, each with both channels (a missing one: the default). */
export function preferenceRows(table: NotificationPreferences): PreferenceRow[] {
  return NOTIFICATION_KINDS.map((kind) => ({
    kind,
    label: KIND[kind],
    email: table[kind]?.email ?? !EMAIL_OFF.has(kind),
    push: table[kind]?.push ?? true,
  }));
}

/** The checkboxes (`<kind>.email`, `<kind>.push`) as the whole table: an unticked box is off. */
export function changedPreferences(data: FormData): Record<NotificationKind, ChannelPreference> {
  return Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [
      kind,
      { email: data.has(`${kind}.email`), push: data.has(`${kind}.push`) },
    ]),
  ) as Record<NotificationKind, ChannelPreference>;
}

/** Where a notification leads: a path of this app ("/sessions/…"), else nowhere (null). */
export function notificationTarget(link: string | null | undefined): string | null {
  return link && /^\/(?![/\\])/.test(link) ? link : null;
}
