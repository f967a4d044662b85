// Classes and teams: the groups a person leads (a coach: name, members, a class live now, and
// "New group") and those they belong to, with a class running now drawn first with Check in; and
// the invitations to groups waiting for their answer. The list comes from the API (it knows the
// memberships; the rules let nobody query them), then each group's document is followed live.
import { useCallback, useMemo, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { api, isAbort } from "../../api";
import type {
  GroupCreated,
  GroupList,
  GroupPublic,
  InvitationAccepted,
  InvitationList,
} from "../../api/types";
import { type Account, useSignedIn } from "../../auth/AuthProvider";
import { useApiGet } from "../../data/apiGet";
import { useDb } from "../../data/db";
import { useLiveGroups } from "../../data/groups";
import { formatClock, formatCount, groupKindWord } from "../../format";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormInvalid, text, useForm } from "../../ui/form";
import { Loading } from "../../ui/Loading";
import { FormError, Notice } from "../../ui/Notice";
import { Page } from "../../ui/Page";
import { isLive, receivedGroupInvitations, splitGroups } from "./classes";
import styles from "./classes.module.css";
import { CheckIn } from "./LiveClass";

export default function ClassesList() {
  const { account } = useSignedIn();
  const location = useLocation();
  const left = (location.state as { left?: unknown } | null)?.left;
  // Asked again after joining a group (an accepted invitation).
  const [asked, setAsked] = useState(0);
  const groups = useApiGet<GroupList>("/api/groups", undefined, asked);
  const [creating, setCreating] = useState(false);
  const mayCreate = account.role === "coach" || account.role === "admin";

  return (
    <Page
      title="Classes"
      actions={
        mayCreate && !creating ? (
          <Button variant="secondary" onClick={() => setCreating(true)}>
            New group
          </Button>
        ) : undefined
      }
    >
      {typeof left === "string" && <Notice tone="success">You left {left}.</Notice>}
      {creating && <NewGroup onCancel={() => setCreating(false)} />}
      <GroupInvitations account={account} onJoined={() => setAsked((n) => n + 1)} />
      {groups.status === "loading" && <Loading label="Loading your classes…" />}
      {groups.status === "error" && <Notice tone="danger">{groups.error.message}</Notice>}
      {groups.status === "ready" && <Groups groups={groups.data.groups} account={account} />}
    </Page>
  );
}

function Groups({ groups, account }: { groups: GroupPublic[]; account: Account }) {
  const db = useDb();
  const live = useLiveGroups(db, groups);
  const { leading, belonging } = splitGroups(live, account.uid);
  const liveNow = belonging.filter(isLive);
  if (groups.length === 0) {
    return (
      <p className={styles.muted}>
        {account.role === "coach"
          ? "No groups yet. Make one with New group, then invite your athletes or students to it."
          : "You are not in a class or team yet. When a coach invites you, the invitation appears here."}
      </p>
    );
  }
  return (
    <>
      {liveNow.length > 0 && (
        <section className={styles.section} aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          {liveNow.map((group) => (
            <LiveNow key={group.groupId} group={group} account={account} />
          ))}
        </section>
      )}
      {leading.length > 0 && (
        <GroupRows title="Groups you lead" groups={leading} account={account} id="leading-title" />
      )}
      {belonging.length > 0 && (
        <GroupRows
          title={leading.length ? "Groups you belong to" : "Your classes and teams"}
          groups={belonging}
          account={account}
          id="belonging-title"
        />
      )}
    </>
  );
}

/** A class running now in a group the person belongs to: the news of the screen, with Check in. */
function LiveNow({ group, account }: { group: GroupPublic; account: Account }) {
  return (
    <>
      {(group.activeSessions ?? []).map((entry) => (
        <article
          key={entry.sessionId}
          className={`${styles.card} ${styles.live}`}
          aria-labelledby={`now-${entry.sessionId}`}
          data-live-session={entry.sessionId}
        >
          <div className={styles.heading}>
            <h3 id={`now-${entry.sessionId}`}>
              <Link to={`/classes/${group.groupId}`}>{group.name}</Link>
            </h3>
            <Badge tone="info">Live now</Badge>
          </div>
          <p>
            Started {formatClock(entry.startedAt, { timeZone: account.timeZone })}
            {group.ownerName ? ` by ${group.ownerName}` : ""}
          </p>
          <CheckIn sessionId={entry.sessionId} account={account} />
        </article>
      ))}
    </>
  );
}

function GroupRows({
  title,
  groups,
  account,
  id,
}: {
  title: string;
  groups: GroupPublic[];
  account: Account;
  id: string;
}) {
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className={styles.list} aria-labelledby={id}>
        {groups.map((group) => {
          const owns = group.ownerId === account.uid;
          const meta = [
            groupKindWord(group.kind),
            formatCount(group.memberCount ?? 0, "member"),
            owns ? "" : group.ownerName ? `led by ${group.ownerName}` : "",
          ].filter(Boolean);
          return (
            <li key={group.groupId}>
              <Link to={`/classes/${group.groupId}`} className={styles.row} data-group={group.groupId}>
                <span className={styles.title}>{group.name}</span>
                <span className={styles.meta}>{meta.join(" · ")}</span>
                {isLive(group) && (
                  <span className={styles.state}>
                    <Badge tone="info">Live now</Badge>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Create a group; the new group's page opens. */
function NewGroup({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const create = useMemo(() => api.creator<GroupCreated>("/api/groups"), []);
  const submit = useCallback(
    async (data: FormData, signal: AbortSignal) => {
      const name = text(data, "name");
      if (!name) throw new FormInvalid({ fields: { name: "Enter the group's name." } });
      return create({ name, kind: text(data, "kind") || "course" }, { signal });
    },
    [create],
  );
  const onDone = useCallback((made: GroupCreated) => navigate(`/classes/${made.groupId}`), [navigate]);
  const { submitting, errors, formProps } = useForm({ submit, onDone });
  return (
    <section className={styles.card} aria-labelledby="new-group-title">
      <h2 id="new-group-title">New group</h2>
      <form className={styles.form} aria-label="New group" {...formProps}>
        <fieldset className={styles.fieldset} disabled={submitting}>
          <Field label="Name" name="name" autoComplete="off" maxLength={200} error={errors.fields.name} />
          <div className={styles.choice}>
            <label htmlFor="new-group-kind">Kind</label>
            <select id="new-group-kind" name="kind" defaultValue="course">
              <option value="course">Course (a teacher and students)</option>
              <option value="team">Team (a coach and athletes)</option>
            </select>
          </div>
          <FormError>{errors.form ?? errors.fields.kind}</FormError>
          <div className={styles.actions}>
            <Button type="submit" busy={submitting} busyLabel="Creating…">
              Create group
            </Button>
            <Button variant="quiet" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </fieldset>
      </form>
    </section>
  );
}

/**
 * The invitations to groups this person received and has not answered: Accept makes them a
 * member. Declining one is in the invitations inbox (/invitations); one left unanswered lapses
 * after 30 days (the invitation lifetime, a parameter), and its owner may resend it.
 */
function GroupInvitations({ account, onJoined }: { account: Account; onJoined: () => void }) {
  const [asked, setAsked] = useState(0);
  const invitations = useApiGet<InvitationList>("/api/invitations", undefined, asked);
  const [joined, setJoined] = useState<{ groupId: string; name: string } | null>(null);
  const waiting =
    invitations.status === "ready" ? receivedGroupInvitations(invitations.data.invitations, account) : [];
  const done = (accepted: InvitationAccepted, name: string) => {
    setJoined({ groupId: accepted.groupId ?? "", name });
    setAsked((n) => n + 1);
    onJoined();
  };
  return (
    <>
      <div aria-live="polite" className={styles.announce}>
        {joined && (
          <Notice tone="success">
            You joined <Link to={`/classes/${joined.groupId}`}>{joined.name}</Link>.
          </Notice>
        )}
      </div>
      {waiting.length > 0 && (
        <section className={styles.section} aria-labelledby="invitations-title">
          <h2 id="invitations-title">Invitations to groups</h2>
          <ul className={styles.people} aria-labelledby="invitations-title">
            {waiting.map((invitation) => (
              <InvitationRow
                key={invitation.invitationId}
                invitationId={invitation.invitationId}
                group={invitation.groupName || "a group"}
                from={invitation.coachName || ""}
                onAccepted={done}
              />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function InvitationRow({
  invitationId,
  group,
  from,
  onAccepted,
}: {
  invitationId: string;
  group: string;
  from: string;
  onAccepted: (accepted: InvitationAccepted, name: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      onAccepted(
        await api.post<InvitationAccepted>(`/api/invitations/${encodeURIComponent(invitationId)}/accept`),
        group,
      );
    } catch (caught) {
      if (!isAbort(caught))
        setError(caught instanceof Error ? caught.message : "Could not accept. Try again.");
      setBusy(false);
    }
  };
  return (
    <li className={styles.person} data-invitation={invitationId}>
      <span className={styles.name}>
        {from ? `${from} invited you to ${group}` : `You are invited to ${group}`}
      </span>
      <Button
        onClick={accept}
        disabled={busy}
        busy={busy}
        busyLabel="Joining…"
        aria-label={`Accept the invitation to ${group}`}
      >
        Accept
      </Button>
      {error && <Notice tone="danger">{error}</Notice>}
    </li>
  );
}
