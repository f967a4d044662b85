// Who sees which screens: the navigation of each role, in order; the first is that role's home.
import type { Role } from "../api/types";

export interface NavItem {
  to: string;
  label: string;
  /** A number beside the label: the invitations waiting for the person's answer. */
  count?: "invitations";
}

export const NAVIGATION: Record<Role, readonly [NavItem, ...NavItem[]]> = {
  athlete: [
    { to: "/home", label: "Home" },
    { to: "/sessions", label: "Sessions" },
    { to: "/classes", label: "Classes" },
    { to: "/invitations", label: "Invitations", count: "invitations" },
    { to: "/profile", label: "Profile" },
  ],
  coach: [
    { to: "/athletes", label: "Athletes" },
    { to: "/statistics", label: "Statistics" },
    { to: "/sessions", label: "Sessions" },
    { to: "/classes", label: "Classes" },
    { to: "/invitations", label: "Invitations" },
  ],
  // Faculty and staff use the admin role (DESIGN §2 has no other): the faculty seed's three tabs.
  admin: [
    { to: "/upcoming", label: "Upcoming" },
    { to: "/completed", label: "Completed" },
    { to: "/history", label: "History" },
    { to: "/users", label: "Users" },
    { to: "/downloads", label: "Downloads" },
  ],
};

export function homeOf(role: Role): string {
  return NAVIGATION[role][0].to;
}

/** Where to go after signing in: the page asked for (a path on this site), else home. */
export function afterSignIn(next: string | null, role: Role): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : homeOf(role);
}
