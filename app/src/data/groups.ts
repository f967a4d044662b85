// The group documents a class screen listens to (firestore.rules decides who may read them): the
// group (owner, members, admins), its roster (the owner's alone), a class's attendance (the whole
// roll for the owner, one's own record for a member) and the group's past classes.
import {
  collection,
  type DocumentData,
  type DocumentReference,
  doc,
  type Firestore,
  limit,
  onSnapshot,
  orderBy,
  type Query,
  query,
  where,
} from "firebase/firestore";
import { useEffect, useState } from "react";
import type { AttendanceRecord, GroupPublic, MemberPublic } from "../api/types";
import { plain } from "./firestore";

export const groupFrom = (id: string, data: DocumentData): GroupPublic =>
  ({ ...data, groupId: id }) as GroupPublic;
export const memberFrom = (id: string, data: DocumentData): MemberPublic =>
  ({ ...data, uid: id }) as MemberPublic;
export const attendanceFrom = (id: string, data: DocumentData): AttendanceRecord =>
  ({ ...data, uid: id }) as AttendanceRecord;

export function groupDoc(db: Firestore, groupId: string): DocumentReference {
  return doc(db, "groups", groupId);
}

/** The roster: the group's members (not its owner), for the owner. */
export function groupMembers(db: Firestore, groupId: string): Query {
  return query(collection(db, "groups", groupId, "members"), where("role", "==", "member"));
}

/** The whole roll of a class: who checked in (and, once it ended, who was absent). Owner only. */
export function classRoll(db: Firestore, sessionId: string): Query {
  return query(collection(db, "sessions", sessionId, "attendance"));
}

/** One member's own attendance record of a class. */
export function myAttendance(db: Firestore, sessionId: string, uid: string): DocumentReference {
  return doc(db, "sessions", sessionId, "attendance", uid);
}

/** The group's ended classes, newest first (firestore.indexes.json: groupId, status, createdAt). */
export function pastClasses(db: Firestore, groupId: string, count = 20): Query {
  return query(
    collection(db, "sessions"),
    where("groupId", "==", groupId),
    where("status", "==", "completed"),
    orderBy("createdAt", "desc"),
    limit(count),
  );
}

/** The invitations to this group its owner sent and nobody has answered yet. */
export function pendingGroupInvitations(db: Firestore, ownerId: string, groupId: string): Query {
  return query(
    collection(db, "invitations"),
    where("coachId", "==", ownerId),
    where("groupId", "==", groupId),
    where("status", "==", "pending"),
  );
}

/**
 * Several groups, live, by id: each starts as given (the API's list) and follows its document
 * (a class starting or ending, the member count). A group whose listener fails keeps what it had.
 */
export function useLiveGroups(db: Firestore, groups: readonly GroupPublic[]): GroupPublic[] {
  const [live, setLive] = useState<Record<string, GroupPublic>>({});
  const ids = groups.map((group) => group.groupId).join("/");
  useEffect(() => {
    const stops = ids
      .split("/")
      .filter(Boolean)
      .map((id) =>
        onSnapshot(
          groupDoc(db, id),
          (snapshot) => {
            const data = snapshot.data();
            if (data) setLive((before) => ({ ...before, [id]: groupFrom(id, plain(data) as DocumentData) }));
          },
          () => undefined,
        ),
      );
    return () => {
      for (const stop of stops) stop();
    };
  }, [db, ids]);
  return groups.map((group) => live[group.groupId] ?? group);
}
