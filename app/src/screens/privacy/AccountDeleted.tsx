// After "Delete my account": the person is signed out and told what happens now. Open to anyone
// (the route has no guard): by the time it shows, the account is disabled and signed out.
import { Link } from "react-router";
import { Page } from "../../ui/Page";
import styles from "./privacy.module.css";

export default function AccountDeleted() {
  return (
    <Page title="Your account is being deleted">
      <div className={styles.section}>
        <p>
          You are signed out, and your account can no longer sign in. Sessionbase is deleting what is yours
          now; for an account with many sessions this takes a few minutes. Sessions you shared with someone
          else stay for them, without your name or e-mail.
        </p>
        <p className={styles.muted}>
          Nothing more is needed from you. To use Sessionbase again,{" "}
          <Link to="/sign-up">create a new account</Link>.
        </p>
      </div>
    </Page>
  );
}
