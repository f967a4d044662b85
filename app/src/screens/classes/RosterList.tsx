// A class's people, one line each: the name and their state on the roll (the live class's roster,
// a past class's roll).
import { attendanceState } from "../../format";
import { Badge } from "../../ui/Badge";
import type { RosterRow } from "./classes";
import styles from "./classes.module.css";

export function RosterList({ rows, label }: { rows: readonly RosterRow[]; label: string }) {
  return (
    <ul className={styles.people} aria-label={label}>
      {rows.map((row) => {
        const state = attendanceState(row.status);
        return (
          <li key={row.uid} className={styles.person} data-member={row.uid}>
            <span className={styles.name}>{row.name}</span>
            <Badge tone={state.tone}>{state.label}</Badge>
          </li>
        );
      })}
    </ul>
  );
}
