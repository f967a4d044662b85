// How many invitations wait for the signed-in athlete's answer (GET /api/invitations?for=me), for
// the count beside "Invitations" in the navigation. Asked when the frame opens, when the tab comes
// back into view, and when the inbox accepts or declines one (invitationsChanged).
import { useEffect, useState } from "react";
import { api, isAbort } from "../api";
import type { InvitationList } from "../api/types";

const CHANGED = "sessionbase:invitations-changed";

/** The inbox answered one: the navigation's count asks again. */
export function invitationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** The number of pending invitations to the caller, 0 while unknown or when `ask` is false. */
export function usePendingInvitations(ask: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!ask) return;
    let controller = new AbortController();
    const load = () => {
      controller.abort();
      controller = new AbortController();
      api.get<InvitationList>("/api/invitations", { signal: controller.signal, query: { for: "me" } }).then(
        (list) => setCount(list.invitations.filter((i) => i.status === "pending").length),
        (error: unknown) => {
          if (!isAbort(error)) setCount(0); // unknown: no count rather than a wrong one
        },
      );
    };
    const visible = () => document.visibilityState === "visible" && load();
    load();
    window.addEventListener(CHANGED, load);
    document.addEventListener("visibilitychange", visible);
    return () => {
      controller.abort();
      window.removeEventListener(CHANGED, load);
      document.removeEventListener("visibilitychange", visible);
    };
  }, [ask]);
  return ask ? count : 0;
}
