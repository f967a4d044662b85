// The header's bell: a link to the inbox (/notifications) with the number of unread
// notifications, live (a listener on the unread ones, data/notifications.ts). Firestore's code
// loads on demand, as the profile's time zone does, so the bell adds little to the first screen.
import { useEffect, useState } from "react";
import { NavLink } from "react-router";
import { useSignedIn } from "../auth/AuthProvider";
import { unreadBadge, unreadWords } from "./bell";
import styles from "./Layout.module.css";

/** The unread count, live; null until the first answer, or when the inbox cannot be read. */
function useUnread(): number | null {
  const { services, account } = useSignedIn();
  const uid = account.uid;
  const [unread, setUnread] = useState<{ uid: string; count: number | null } | null>(null);
  useEffect(() => {
    let stop = () => {};
    let gone = false;
    import("../data/notifications").then(
      ({ watchUnread }) => {
        if (!gone) stop = watchUnread(services, uid, (count) => setUnread({ uid, count }));
      },
      () => {}, // not loaded (offline): no number rather than a wrong one
    );
    return () => {
      gone = true;
      stop();
    };
  }, [services, uid]);
  return unread?.uid === uid ? unread.count : null;
}

export function Bell() {
  const count = useUnread();
  const words = unreadWords(count);
  const badge = unreadBadge(count);
  return (
    <NavLink to="/notifications" className={styles.bell}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24" className={styles.bellIcon}>
        <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16h15.4L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0" />
      </svg>
      <span className={styles.unseen}>Notifications{words && `, ${words}`}</span>
      {badge && (
        <span aria-hidden="true" className={styles.bellCount}>
          {badge}
        </span>
      )}
    </NavLink>
  );
}
