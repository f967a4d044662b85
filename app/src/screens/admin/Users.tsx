// Users (admin): the people whose access is recorded in `users/{uid}` — everyone an admin (or the
// grant command) gave a role, with their role and whether their account is disabled — and a
// role change for each (POST /api/users/{uid}/role), which also ends their sign-ins, and a link to
// the changes they made (the audit trail, /admin/audit?actor=uid). The API has
// no list of every account and no look-up by e-mail: someone who signed up and was never given a
// role is an athlete and is not listed here (docs/decisions.md, "Faculty and admin screens").
import { useCallback, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api";
import type { Role, RoleChanged } from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { profileFrom, profiles, type UserProfile } from "../../data/admin";
import { useDb } from "../../data/db";
import { useQuery } from "../../data/firestore";
import { formatWhen, ROLES, roleWord } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { text, useForm } from "../../ui/form";
import { Loading } from "../../ui/Loading";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { SelectField } from "../sessions/records/controls";
import styles from "./admin.module.css";

export default function Users() {
  const { account } = useSignedIn();
  const db = useDb();
  const people = useQuery(profiles(db), profileFrom);
  return (
    <Page title="Users">
      <p className={styles.intro}>
        People who were given a role. Someone who signed up and was never given one is an athlete, and is not
        listed: Sessionbase has no list of every account yet.
      </p>
      {people.status === "loading" && <Loading label="Loading the users…" />}
      {people.status === "error" && (
        <Notice tone="danger">
          The users could not be loaded. Check your connection and reload the page.
        </Notice>
      )}
      {people.status === "ready" && people.data.length === 0 && (
        <p className={styles.empty}>Nobody has been given a role yet.</p>
      )}
      {people.status === "ready" && people.data.length > 0 && (
        <ul className={styles.people} aria-label="Users">
          {people.data.map((person) => (
            <Person key={person.uid} person={person} account={account} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function Person({ person, account }: { person: UserProfile; account: Account }) {
  const name = person.displayName?.trim() || person.email || "Unnamed account";
  const role = person.role ?? "athlete";
  return (
    <li className={styles.person}>
      <div className={styles.who}>
        <span className={styles.name}>{name}</span>
        {person.displayName && person.email && <span className={styles.note}>{person.email}</span>}
        <span className={styles.badges}>
          <Badge tone={role === "admin" ? "info" : "neutral"}>{roleWord(role)}</Badge>
          {person.disabled && <Badge tone="danger">Disabled</Badge>}
          {person.roleChangedAt && (
            <span className={styles.note}>
              Role set {formatWhen(person.roleChangedAt, { timeZone: account.timeZone }).toLowerCase()}
            </span>
          )}
          <Link
            className={styles.auditLink}
            to={`/admin/audit?actor=${encodeURIComponent(person.uid)}`}
            aria-label={`Audit trail of ${name}`}
          >
            Audit
          </Link>
        </span>
      </div>
      {person.uid === account.uid ? (
        <p className={styles.note}>This is you: another admin changes your role.</p>
      ) : (
        <RoleForm person={person} name={name} role={role} />
      )}
    </li>
  );
}

function RoleForm({ person, name, role }: { person: UserProfile; name: string; role: Role }) {
  const [done, setDone] = useState<string | null>(null);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      setDone(null);
      const chosen = text(data, "role") as Role;
      return api.post<RoleChanged>(
        `/api/users/${encodeURIComponent(person.uid)}/role`,
        { role: chosen },
        { signal },
      );
    },
    [person.uid],
  );
  const onDone = useCallback(
    (changed: RoleChanged) =>
      setDone(`${name} is now ${roleWord(changed.role).toLowerCase()}; they sign in again.`),
    [name],
  );
  const { submitting, errors, formProps } = useForm({ submit, onDone });
  return (
    <form className={styles.roleForm} aria-label={`Role of ${name}`} {...formProps}>
      <fieldset className={styles.fieldset} disabled={submitting}>
        <SelectField label="Role" name="role" defaultValue={role} error={errors.fields.role}>
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {roleWord(value)}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary" busy={submitting} busyLabel="Changing…">
          Change role
        </Button>
      </fieldset>
      <FormError>{errors.form}</FormError>
      <div aria-live="polite">{done && <p className={styles.note}>{done}</p>}</div>
    </form>
  );
}
