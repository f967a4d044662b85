// The coach's filters of /sessions beyond the athlete: type, event, first and last day. They live
// in the URL (sessionFilter.ts), so the back button, a reload and a shared link keep them.
import type { ChangeEvent, ReactNode } from "react";
import { useSearchParams } from "react-router";
import type { SessionPublic } from "../../api/types";
import { sessionTypeWord } from "../../format";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { SelectField } from "../sessions/records/controls";
import {
  eventsOf,
  FILTER_KEYS,
  filterFrom,
  isFiltered,
  LISTED_TYPES,
  matches,
  type SessionFilter,
} from "../sessions/sessionFilter";
import styles from "./coach.module.css";

/** The filters, then the sessions that pass them (`children`), from the sessions read. */
export default function SessionFilters({
  sessions,
  timeZone,
  more,
  children,
}: {
  sessions: SessionPublic[];
  timeZone: string;
  /** The list read as many as it asked for: there may be older ones. */
  more: boolean;
  children: (shown: SessionPublic[], filtered: boolean) => ReactNode;
}) {
  const [params, setParams] = useSearchParams();
  const filter = filterFrom(params);
  const filtered = isFiltered(filter);
  const events = eventsOf(sessions);
  const set = (name: keyof SessionFilter) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const next = new URLSearchParams(params);
    if (event.target.value) next.set(name, event.target.value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const clear = () => {
    const next = new URLSearchParams(params);
    for (const key of FILTER_KEYS) next.delete(key);
    setParams(next, { replace: true });
  };
  // A chosen event no session read has (a shared link) still shows as chosen.
  const options = filter.event && !events.includes(filter.event) ? [filter.event, ...events] : events;
  return (
    <>
      <search aria-label="Filter the sessions" className={styles.filters}>
        <SelectField label="Type" name="type" value={filter.type} onChange={set("type")}>
          <option value="">All types</option>
          {LISTED_TYPES.map((type) => (
            <option key={type} value={type}>
              {sessionTypeWord(type)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Event" name="event" value={filter.event} onChange={set("event")}>
          <option value="">All events</option>
          {options.map((event) => (
            <option key={event} value={event}>
              {event}
            </option>
          ))}
        </SelectField>
        <Field label="From" name="from" type="date" value={filter.from} onChange={set("from")} />
        <Field label="To" name="to" type="date" value={filter.to} onChange={set("to")} />
        {filtered && (
          <div className={styles.clear}>
            <Button variant="quiet" onClick={clear}>
              Clear filters
            </Button>
          </div>
        )}
      </search>
      {children(
        sessions.filter((session) => matches(session, filter, timeZone)),
        filtered,
      )}
      {filtered && more && (
        <p className={styles.empty}>Filtered among your {sessions.length} newest sessions.</p>
      )}
    </>
  );
}
