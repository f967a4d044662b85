// The frame of the signed-out screens: the app's name and one card.
import { Suspense } from "react";
import { Outlet } from "react-router";
import { Loading } from "../../ui/Loading";
import styles from "./auth.module.css";

export function AuthFrame() {
  return (
    <div className={styles.frame}>
      <header className={styles.brand}>
        <img src="/icon.svg" alt="" width="40" height="40" />
        <span>Sessionbase</span>
      </header>
      <main id="main" className={styles.card}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
