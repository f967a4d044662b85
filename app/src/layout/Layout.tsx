// The frame of every signed-in screen: a skip link, a one-line header (the app's name, the
// navigation of the person's role, the notifications bell, their account menu), the offline notice, the screen. On a
// phone the navigation moves to a bar at the bottom, so the header stays one line.
import { Suspense } from "react";
import { Link, NavLink, Outlet } from "react-router";
import { useSignedIn } from "../auth/AuthProvider";
import { Loading } from "../ui/Loading";
import { AccountMenu } from "./AccountMenu";
import { Bell } from "./Bell";
import styles from "./Layout.module.css";
import { homeOf, NAVIGATION } from "./navigation";
import { usePendingInvitations } from "./pendingInvitations";
import { useOnline } from "./useOnline";

export function Layout() {
  const { account } = useSignedIn();
  const online = useOnline();
  const items = NAVIGATION[account.role];
  const waiting = usePendingInvitations(items.some((i) => i.count === "invitations"));
  return (
    <div className={styles.frame}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <Link to={homeOf(account.role)} className={styles.brand}>
          Sessionbase
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <ul className={styles.navList}>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={styles.navLink}>
                  {item.label}
                  {item.count === "invitations" && waiting > 0 && (
                    <span className={styles.count}>
                      {waiting}
                      <span className={styles.unseen}> waiting</span>
                    </span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <Bell />
        <AccountMenu />
      </header>
      <div role="status" className={styles.offline}>
        {online ? null : (
          <p className={styles.offlineText}>
            You are offline. What you see may be out of date, and changes cannot be saved until the connection
            is back.
          </p>
        )}
      </div>
      <main id="main" tabIndex={-1} className={styles.main}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
