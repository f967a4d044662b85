// The person's name in the header, opening a small disclosure with who they are and "Sign out".
import { useEffect, useRef } from "react";
import { Link, useLocation } from "react-router";
import { leave, useSignedIn } from "../auth/AuthProvider";
import { Button } from "../ui/Button";
import styles from "./Layout.module.css";

const ROLE_WORD = { athlete: "Athlete", coach: "Coach", admin: "Admin" } as const;

function initials(name: string): string {
  const letters = name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

export function AccountMenu() {
  const { account, services } = useSignedIn();
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();

  // Close on navigation, on Escape, and on a click elsewhere.
  useEffect(() => {
    menu.current?.removeAttribute("open");
  }, [location]);
  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        details.open = false;
        details.querySelector("summary")?.focus();
      } else if (!details.contains(event.target as Node)) {
        details.open = false;
      }
    };
    document.addEventListener("keydown", close);
    document.addEventListener("click", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("click", close);
    };
  }, []);

  return (
    <details ref={menu} className={styles.account}>
      {/* Named by its text, not aria-label: a label that leaves out the visible initials fails
          WCAG 2.5.3 (axe: label-content-name-mismatch). On a phone the name is there, unseen. */}
      <summary className={styles.accountButton}>
        <span aria-hidden="true" className={styles.avatar}>
          {initials(account.name)}
        </span>
        <span className={styles.accountName}>
          <span className={styles.unseen}>Account: </span>
          {account.name}
        </span>
      </summary>
      <div className={styles.accountPanel}>
        <p className={styles.accountWho}>{account.name}</p>
        <p className={styles.accountEmail}>{account.email}</p>
        <p className={styles.accountRole}>{ROLE_WORD[account.role]}</p>
        <Link to="/profile" className={styles.accountLink}>
          Your profile
        </Link>
        <Button variant="secondary" onClick={() => leave(services.auth)}>
          Sign out
        </Button>
      </div>
    </details>
  );
}
