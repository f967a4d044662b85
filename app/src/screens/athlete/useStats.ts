// The person's statistics (GET /api/sessions/stats), asked again each time their stats document
// changes (a session counted, completed, cancelled): the figures follow a practice just ended.
// (An unreadable document still lets the figures load: its error counts as read.)
import type { DocumentData } from "firebase/firestore";
import { useMemo } from "react";
import type { SessionStats } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { type Answer, useApiGet } from "../../data/apiGet";
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { athleteStatsDoc } from "../../data/stats";

const asIs = (_id: string, data: DocumentData) => data;

export function useStats(): Answer<SessionStats> {
  const { account } = useSignedIn();
  const counted = useDocument(athleteStatsDoc(useDb(), account.uid), asIs);
  // Asked once the document is read, then again on each of its changes (a new snapshot) and when
  // the profile's time zone changes (the figures' days follow it).
  const again = useMemo(() => ({ counted, zone: account.timeZone }), [counted, account.timeZone]);
  return useApiGet<SessionStats>(
    counted.status === "loading" ? null : "/api/sessions/stats",
    undefined,
    again,
  );
}
