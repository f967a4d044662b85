// A message in a coloured box. `alert` for errors that need attention now (announced at once),
// otherwise a polite status. Forms put their form-wide error in one of these.
import type { ReactNode } from "react";
import styles from "./Notice.module.css";

interface NoticeProps {
  tone?: "info" | "success" | "warning" | "danger";
  children: ReactNode;
}

export function Notice({ tone = "info", children }: NoticeProps) {
  return (
    <div className={`${styles.notice} ${styles[tone]}`} role={tone === "danger" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** A live region that is always in the page, so screen readers hear what later appears in it. */
export function FormError({ children }: { children?: ReactNode }) {
  return (
    <div aria-live="assertive">
      {children ? <div className={`${styles.notice} ${styles.danger}`}>{children}</div> : null}
    </div>
  );
}
