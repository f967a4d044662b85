// Around the real-time seed's component (tests/browser/test_live_seed.py): what the seed leaves to
// its reader, nothing more. It renders in a page of the web app, the test's prelude having named
// the course (`window.seedCourseId`); the token is the Firebase ID token the app keeps in its
// `__session` cookie for the person signed in. The seed's files are imported as they are; the
// bundler maps `socket.io-client` to /sdk/live-socket.js (loaded by the prelude).
import React from "react";
import { createRoot } from "react-dom/client";
import CourseComponent from "./seeds/realtime/CourseComponent.jsx";

const authToken = document.cookie.match(/__session=([^;]+)/)?.[1];
const container = document.createElement("section");
container.id = "seed";
container.setAttribute("aria-label", "The real-time seed's component");
document.body.prepend(container);
createRoot(container).render(<CourseComponent courseId={window.seedCourseId} authToken={authToken} />);
