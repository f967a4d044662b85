// Every screen is a <Page>: it names the screen in the tab's title and in its one <h1>, and after
// a navigation inside the app it moves focus to that heading, so keyboard and screen-reader users
// start at the new content (the first load leaves focus where the browser puts it).
import { type ReactNode, useEffect, useRef } from "react";
import styles from "./Page.module.css";

let navigated = false;

interface PageProps {
  title: string;
  /** Shown above the heading, e.g. a link back to the list. */
  back?: ReactNode;
  /** Beside the heading: the screen's main action. */
  actions?: ReactNode;
  children: ReactNode;
}

export function Page({ title, back, actions, children }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Sessionbase`;
  }, [title]);
  useEffect(() => {
    if (navigated) heading.current?.focus();
    navigated = true;
  }, []);
  return (
    <div className={styles.page}>
      {back}
      <div className={styles.top}>
        <h1 ref={heading} tabIndex={-1} className={styles.title}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </div>
  );
}
