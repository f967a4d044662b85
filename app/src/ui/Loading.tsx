import styles from "./Loading.module.css";

/** What a screen shows while its data or code arrives: a polite status, not a blank page. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className={styles.loading}>
      {label}
    </p>
  );
}
