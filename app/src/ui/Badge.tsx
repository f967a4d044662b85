import type { Tone } from "../format";
import styles from "./Badge.module.css";

/** A short state word ("Analysed") in its colour; the word carries the meaning, not the colour. */
export function Badge({ tone = "neutral", children }: { tone?: Tone; children: string }) {
  return <span className={`${styles.badge} ${styles[tone]}`}>{children}</span>;
}
