// The coach's reports (Athletes): one athlete's sessions as CSV and their period report as PDF,
// or every session the coach runs as CSV (GET /api/reports/sessions, /api/reports/athlete).
import { useState } from "react";
import { SelectField } from "../sessions/records/controls";
import { type ReportSpec, Reports } from "./Reports";

export interface Person {
  uid: string;
  label: string;
}

export function CoachReports({ athletes }: { athletes: readonly Person[] }) {
  const [athleteId, setAthleteId] = useState("");
  const chosen = athletes.find((athlete) => athlete.uid === athleteId);
  const reports: ReportSpec[] = chosen
    ? [
        {
          label: "Sessions (CSV)",
          path: "/api/reports/sessions",
          query: { athleteId: chosen.uid },
          rows: "session",
        },
        {
          label: "Period report (PDF)",
          path: "/api/reports/athlete",
          query: { athleteId: chosen.uid },
          rows: "session",
        },
      ]
    : [{ label: "Sessions (CSV)", path: "/api/reports/sessions", rows: "session" }];
  return (
    <Reports
      intro="Sessions with their results as a spreadsheet (CSV), and an athlete's period report to print (PDF), with dates in your time zone."
      reports={reports}
    >
      <SelectField
        label="Whose sessions"
        name="athlete"
        value={athleteId}
        onChange={(event) => setAthleteId(event.target.value)}
      >
        <option value="">All your sessions</option>
        {athletes.map((athlete) => (
          <option key={athlete.uid} value={athlete.uid}>
            {athlete.label}
          </option>
        ))}
      </SelectField>
    </Reports>
  );
}
