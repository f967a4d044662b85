import { Link } from "react-router";
import { useSignedIn } from "../auth/AuthProvider";
import { homeOf } from "../layout/navigation";
import { Page } from "../ui/Page";

export default function NotFound() {
  const { account } = useSignedIn();
  return (
    <Page title="Page not found">
      <p>
        There is no page at this address. <Link to={homeOf(account.role)}>Go to your start page</Link>.
      </p>
    </Page>
  );
}
