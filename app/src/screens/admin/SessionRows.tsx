// The rows of the faculty lists (Upcoming, Completed, History): what, with whom (the athlete's
// and the coach's names), when in the person's zone, and its state; each row opens the session.
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { SessionPublic } from "../../api/types";
import type { Account } from "../../auth/AuthProvider";
import { formatWhen, sessionTitle, type Tone } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import styles from "./admin.module.css";

/** "Ben Athlete with Ana Coach": the people of a session, by name. */
export function people(session: SessionPublic): string {
  const athlete = session.athleteName?.trim() || "";
  const coach = session.coachName?.trim() || "";
  if (athlete && coach) return `${athlete} with ${coach}`;
  if (athlete) return athlete;
  if (coach) return `With ${coach}`;
  return session.groupId ? "A class" : "";
}

export interface Row {
  session: SessionPublic;
  /** The instant the row is dated by (scheduled, actual, or a bare day). */
  when: string | null | undefined;
  /** The state word beside the title (none where every row has the same one). */
  state?: { label: string; tone: Tone } | undefined;
  /** More facts on the second line, after the date ("Code K7QM-3XHP", "1 h 05 min"). */
  extra?: string[];
  /** A second link beside the row (Upcoming's "Complete"). */
  action?: ReactNode;
}

export function SessionRows({ rows, account, label }: { rows: Row[]; account: Account; label: string }) {
  return (
    <ul className={styles.list} aria-label={label}>
      {rows.map(({ session, when, state, extra = [], action }) => {
        const meta = [people(session), formatWhen(when, { timeZone: account.timeZone }), ...extra].filter(
          Boolean,
        );
        return (
          <li key={session.sessionId} className={styles.item}>
            <Link to={`/sessions/${encodeURIComponent(session.sessionId)}`} className={styles.row}>
              <span className={styles.title}>{sessionTitle(session)}</span>
              <span className={styles.meta}>{meta.join(" · ")}</span>
              {state && (
                <span className={styles.state}>
                  <Badge tone={state.tone}>{state.label}</Badge>
                </span>
              )}
            </Link>
            {action}
          </li>
        );
      })}
    </ul>
  );
}

/** "Show more" under a list that may have more than it read. */
export function ShowMore({ shown, onMore }: { shown: boolean; onMore: () => void }) {
  if (!shown) return null;
  return (
    <div className={styles.more}>
      <Button variant="secondary" onClick={onMore}>
        Show more
      </Button>
    </div>
  );
}
