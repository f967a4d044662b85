// The coach's "Athlete" filter of /sessions (?athlete=<uid>), and the "New session" action.
import { Link } from "react-router";
import { useSignedIn } from "../../auth/AuthProvider";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { athleteLabel, linkFrom, myAthletes } from "../../data/links";
import { SelectField } from "../sessions/records/controls";
import styles from "./coach.module.css";

export function AthleteFilter({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (athleteId: string) => void;
}) {
  const { account } = useSignedIn();
  const links = useQuery(myAthletes(useDb(), account.uid), linkFrom);
  const athletes =
    links.status === "ready"
      ? links.data.map((link) => ({ id: link.athleteId, label: athleteLabel(link) }))
      : [];
  athletes.sort((a, b) => a.label.localeCompare(b.label));
  // An athlete no longer linked (or not yet loaded) still shows as chosen.
  if (value && !athletes.some((a) => a.id === value)) athletes.unshift({ id: value, label: "This athlete" });
  if (athletes.length === 0) return null;
  return (
    <div className={styles.filter}>
      <SelectField
        label="Athlete"
        name="athlete"
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">All athletes</option>
        {athletes.map((athlete) => (
          <option key={athlete.id} value={athlete.id}>
            {athlete.label}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

export function NewSessionLink({ athleteId }: { athleteId: string | null }) {
  return (
    <Link
      className={styles.primaryLink}
      to={athleteId ? `/sessions/new?athlete=${encodeURIComponent(athleteId)}` : "/sessions/new"}
    >
      New session
    </Link>
  );
}
