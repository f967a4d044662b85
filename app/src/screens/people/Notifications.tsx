// The person's notifications (`users/{uid}/notifications`, live, newest first): what happened, in
// a sentence, and when (in their time zone); the unread ones marked. Opening one marks it read
// (POST /api/notifications/read {ids}) and goes where it points; "Mark all as read" sends {all}.
// The header's bell counts the unread ones from its own listener, so both follow the same data.
import { useState } from "react";
import { Link } from "react-router";
import { api, isAbort } from "../../api";
import type { NotificationPublic, NotificationsRead, NotificationsReadBody } from "../../api/types";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { myNotifications, notificationFrom } from "../../data/notifications";
import { formatWhen } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Loading } from "../../ui/Loading";
import { Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import styles from "./notifications.module.css";
import { kindWord, notificationTarget } from "./notificationWords";

/** How many the screen lists, newest first (older ones stay until pruned; the bell counts them). */
const SHOWN = 50;

function markRead(body: NotificationsReadBody): Promise<NotificationsRead> {
  return api.post<NotificationsRead>("/api/notifications/read", body);
}

export default function Notifications() {
  const { account } = useSignedIn();
  const notifications = useQuery(myNotifications(useDb(), account.uid, SHOWN), notificationFrom);
  const [marking, setMarking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unread = notifications.status === "ready" ? notifications.data.filter((n) => !n.readAt).length : 0;

  const markAll = async () => {
    setMarking(true);
    setError(null);
    try {
      await markRead({ all: true }); // the listener then shows them read
    } catch (caught) {
      if (!isAbort(caught)) setError("They could not be marked as read. Try again.");
    } finally {
      setMarking(false);
    }
  };
  const open = (notification: NotificationPublic) => {
    if (notification.readAt) return;
    // The screen it leads to does not wait for this; a failure leaves it unread, nothing worse.
    markRead({ ids: [notification.id] }).catch(() => {});
  };

  return (
    <Page
      title="Notifications"
      actions={
        unread > 0 ? (
          <Button
            variant="secondary"
            onClick={markAll}
            busy={marking}
            busyLabel="Marking…"
            disabled={marking}
          >
            Mark all as read
          </Button>
        ) : undefined
      }
    >
      {error && <Notice tone="danger">{error}</Notice>}
      {notifications.status === "loading" && <Loading label="Loading your notifications…" />}
      {notifications.status === "error" && (
        <Notice tone="danger">
          Your notifications could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {notifications.status === "ready" &&
        (notifications.data.length === 0 ? (
          <p className={styles.empty}>
            No notifications yet. When someone invites you, answers your invitation, or your analysis is
            ready, you will find it here.
          </p>
        ) : (
          <>
            <p className={styles.summary}>
              {unread === 0
                ? "All read."
                : // Only the newest are listed: when every one of them is unread, there may be more.
                  `${unread}${unread === SHOWN ? " or more" : ""} unread.`}
            </p>
            <ul className={styles.list} aria-label="Your notifications">
              {notifications.data.map((notification) => (
                <Row
                  key={notification.id}
                  notification={notification}
                  timeZone={account.timeZone}
                  onOpen={open}
                />
              ))}
            </ul>
          </>
        ))}
    </Page>
  );
}

function Row({
  notification,
  timeZone,
  onOpen,
}: {
  notification: NotificationPublic;
  timeZone: string;
  onOpen: (notification: NotificationPublic) => void;
}) {
  const unread = !notification.readAt;
  const to = notificationTarget(notification.link);
  const content = (
    <>
      <span className={styles.title}>{notification.title || kindWord(notification.kind)}</span>
      {notification.body && <span className={styles.body}>{notification.body}</span>}
      <span className={styles.meta}>{formatWhen(notification.createdAt, { timeZone })}</span>
      {unread && (
        <span className={styles.state}>
          <Badge tone="info">Unread</Badge>
        </span>
      )}
    </>
  );
  const className = `${styles.row} ${unread ? styles.unread : ""}`;
  return (
    <li data-notification={notification.id}>
      {to ? (
        <Link to={to} className={className} onClick={() => onOpen(notification)}>
          {content}
        </Link>
      ) : (
        <button type="button" className={className} onClick={() => onOpen(notification)} disabled={!unread}>
          {content}
        </button>
      )}
    </li>
  );
}
