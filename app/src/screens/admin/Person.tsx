// A person an admin reads about by uid (a download, a completion): their profile's name, else
// the address the record holds, else a plain phrase. Admins may read `users/{uid}`.
import { useDb } from "../../data/db";
import { useDocument } from "../../data/firestore";
import { profileDoc, profileFrom } from "../../data/profile";

export function usePersonName(uid: string | null | undefined, email?: string | null): string {
  const db = useDb();
  const profile = useDocument(uid ? profileDoc(db, uid) : null, profileFrom);
  const data = profile.status === "ready" ? profile.data : null;
  const name = typeof data?.displayName === "string" ? data.displayName.trim() : "";
  const address = email || (typeof data?.email === "string" ? data.email : "");
  return name || address || "Someone with no name on record";
}

export function PersonName({ uid, email }: { uid: string; email?: string | null }) {
  return <>{usePersonName(uid, email)}</>;
}
