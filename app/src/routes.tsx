// Every screen and its URL. Each screen is its own chunk (lazy), loaded when first visited.
// Screens marked PLANNED are route entries only, for the screens still to be built.
import { lazy } from "react";
import { Navigate, Route, Routes } from "react-router";
import { useAuth, useSignedIn } from "./auth/AuthProvider";
import { RequireRole, RequireSignIn, SignedOutOnly } from "./auth/guards";
import { Layout } from "./layout/Layout";
import { homeOf } from "./layout/navigation";
import { AuthFrame } from "./screens/auth/AuthFrame";

const SignIn = lazy(() => import("./screens/auth/SignIn"));
const SignUp = lazy(() => import("./screens/auth/SignUp"));
const ResetPassword = lazy(() => import("./screens/auth/ResetPassword"));
const SessionsList = lazy(() => import("./screens/sessions/SessionsList"));
const SessionDetail = lazy(() => import("./screens/sessions/SessionDetail"));
const Review = lazy(() => import("./screens/review/Review"));
const Compare = lazy(() => import("./screens/review/Compare"));
const ClassesList = lazy(() => import("./screens/classes/ClassesList"));
const GroupDetail = lazy(() => import("./screens/classes/GroupDetail"));
const AthleteHome = lazy(() => import("./screens/athlete/Home"));
const Practice = lazy(() => import("./screens/athlete/Practice"));
const Profile = lazy(() => import("./screens/athlete/Profile"));
const PoseCheck = lazy(() => import("./screens/athlete/PoseCheck"));
const Upcoming = lazy(() => import("./screens/admin/Upcoming"));
const Completed = lazy(() => import("./screens/admin/Completed"));
const History = lazy(() => import("./screens/admin/History"));
const Users = lazy(() => import("./screens/admin/Users"));
const Athletes = lazy(() => import("./screens/coach/Athletes"));
const Invitations = lazy(() => import("./screens/coach/Invitations"));
const NewSession = lazy(() => import("./screens/coach/NewSession"));
const Statistics = lazy(() => import("./screens/coach/Statistics"));
const Downloads = lazy(() => import("./screens/admin/Downloads"));
const Audit = lazy(() => import("./screens/privacy/Audit"));
const AccountDeleted = lazy(() => import("./screens/privacy/AccountDeleted"));
const Welcome = lazy(() => import("./screens/people/Welcome"));
const SetUp = lazy(() => import("./screens/people/SetUp"));
const Inbox = lazy(() => import("./screens/people/Inbox"));
const Notifications = lazy(() => import("./screens/people/Notifications"));
const NotFound = lazy(() => import("./screens/NotFound"));

/** /invitations: the athlete's inbox (received), the coach's list (sent). */
function InvitationsOf() {
  return useSignedIn().account.role === "athlete" ? <Inbox /> : <Invitations />;
}

function Home() {
  const state = useAuth();
  return <Navigate replace to={state.status === "signed-in" ? homeOf(state.account.role) : "/sign-in"} />;
}

export function AppRoutes() {
  return (
    <Routes>
      {/* After "Delete my account": the person is signed out by then. */}
      <Route element={<AuthFrame />}>
        <Route path="/account-deleted" element={<AccountDeleted />} />
      </Route>
      <Route element={<SignedOutOnly />}>
        <Route element={<AuthFrame />}>
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/sign-up" element={<SignUp />} />
          <Route path="/reset-password" element={<ResetPassword />} />
        </Route>
      </Route>
      <Route element={<RequireSignIn />}>
        {/* After sign-up: verify the address, then name and time zone (screens/people). */}
        <Route element={<AuthFrame />}>
          <Route path="/welcome" element={<Welcome />} />
          <Route path="/welcome/profile" element={<SetUp />} />
        </Route>
        <Route element={<Layout />}>
          <Route index element={<Home />} />
          <Route element={<RequireRole roles={["athlete", "coach"]} />}>
            <Route path="/sessions" element={<SessionsList />} />
            <Route path="/classes" element={<ClassesList />} />
            <Route path="/classes/:groupId" element={<GroupDetail />} />
            <Route path="/invitations" element={<InvitationsOf />} />
          </Route>
          <Route path="/profile" element={<Profile />} />
          <Route path="/notifications" element={<Notifications />} />
          {/* Admins open any session, from Upcoming, Completed and History. */}
          <Route path="/sessions/:sessionId" element={<SessionDetail />} />
          <Route path="/sessions/:sessionId/review" element={<Review />} />
          <Route path="/compare" element={<Compare />} />
          <Route element={<RequireRole roles={["athlete"]} />}>
            <Route path="/home" element={<AthleteHome />} />
            <Route path="/practice" element={<Practice />} />
            <Route path="/practice/pose" element={<PoseCheck />} />
          </Route>
          <Route element={<RequireRole roles={["coach"]} />}>
            <Route path="/athletes" element={<Athletes />} />
            <Route path="/sessions/new" element={<NewSession />} />
            <Route path="/statistics" element={<Statistics />} />
          </Route>
          <Route element={<RequireRole roles={["admin"]} />}>
            <Route path="/upcoming" element={<Upcoming />} />
            <Route path="/completed" element={<Completed />} />
            <Route path="/history" element={<History />} />
            <Route path="/users" element={<Users />} />
            <Route path="/downloads" element={<Downloads />} />
            <Route path="/admin/audit" element={<Audit />} />
          </Route>
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}
