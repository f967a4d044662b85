"""The real-time seed's React hook and component, unchanged, on /sdk/live-socket.js (issue 26).

tests/browser/seeds/realtime/ holds the seed's ``useCourseSessionTracking`` hook and its
``CourseComponent`` byte for byte (checked against ../shared/seeds when beside the checkout).
The only change is the bundler's: ``socket.io-client`` resolves to ``/sdk/live-socket.js``, the
module the web build publishes on the Hosting origin. rolldown (which ships with Vite) bundles
tests/browser/live_seed_page.jsx, which renders the component with what the seed leaves to its
reader (a course id, the token), with React; the bundle runs in a page of the web app on the
Hosting emulator, as the other seeds' code does (test_seed_snippets.py), after the page imported
the module from ``/sdk/live-socket.js`` (the bundler's ``socket.io-client``). A page whose HTML
the test itself handed out is not an option: Chromium counts it outside the loopback address
space and refuses its requests to the emulators (Local Network Access).

One journey in two browsers: the student's page shows Connected and no session; the teacher
starts a class in the web app; the student's page gets ``courseSessionStarted`` (the seed's
payload) and lists the session, its count moving with a check-in; the teacher ends it; the
student's page gets ``courseSessionEnded`` with the final statistics and shows no session.
Then, in the same page, ``checkActiveSessions`` and a refused token (``connect_error``).
"""

from __future__ import annotations

import re
import subprocess
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from devtools import emulators
from devtools.emulators import api, join_group
from tests.browser.app import shot
from tests.uploads import ok

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REALTIME = HERE / "seeds" / "realtime"
SEED = ROOT.parent / "shared" / "seeds" / "003_de3b96711a5c9fb7.txt"
COPIES = {
    "hooks/useCourseSessionTracking.js": "const useCourseSessionTracking",
    "CourseComponent.jsx": "const CourseComponent",
}
CODE_BLOCK = re.compile(r"```\w+\n(.*?)```", re.S)
ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")

# The bundler's one change: `socket.io-client` is the published module, which the page imported
# (an IIFE reads an external import from a global: `liveSocketModule`, below).
BUILD = """
import { build } from "rolldown";
const [input, file] = process.argv.slice(1);
await build({
  input,
  platform: "browser",
  external: ["socket.io-client"],
  transform: { define: { "process.env.NODE_ENV": '"production"' }, jsx: "react" },
  output: {
    file, format: "iife", minify: true, globals: { "socket.io-client": "liveSocketModule" },
  },
  logLevel: "warn",
});
"""
# Before the bundle: the module, and the course (what the seed leaves to its reader).
PRELUDE = """async (courseId) => {
  window.liveSocketModule = await import("/sdk/live-socket.js");
  window.seedCourseId = courseId;
}"""


@pytest.mark.parametrize("name", sorted(COPIES))
def test_the_copies_are_the_seeds_code_byte_for_byte(name):
    if not SEED.is_file():
        pytest.skip(f"the seeds are not beside this checkout ({SEED})")
    blocks = [b for b in CODE_BLOCK.findall(SEED.read_text()) if COPIES[name] in b]
    assert (REALTIME / name).read_text() == blocks[0]


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> str:
    """The test page's script: the seed's component and hook, bundled with React."""
    out = tmp_path_factory.mktemp("live-seed") / "page.js"
    subprocess.run(
        ["node", "--input-type=module", "-e", BUILD, str(HERE / "live_seed_page.jsx"), str(out)],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    return out.read_text()


def person(role: str, name: str) -> emulators.User:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    return emulators.sign_up(
        email, "password123", role=None if role == "athlete" else role, name=name
    )


def same_moment(seed: str, ours: str) -> bool:
    """The seed's ``2024-01-15T10:30:00.000Z`` (milliseconds) for the API's time."""
    api_time = datetime.fromisoformat(ours.replace("Z", "+00:00"))
    return bool(ISO_MS.fullmatch(seed)) and abs(
        datetime.fromisoformat(seed.replace("Z", "+00:00")) - api_time
    ) < timedelta(milliseconds=1)


def logged(messages, label: str) -> list[dict]:
    """The payloads the seed's hook logged as ``console.log(label, data)``."""
    return [m.args[1].json_value() for m in messages if m.text.startswith(label)]


def test_the_seeds_hook_and_component_follow_a_class_in_two_browsers(app, seed_page):
    teacher = person("coach", "Tess Teacher")
    student = person("athlete", "Sam Student")
    group = ok(api("POST", "/api/groups", teacher, json={"name": "Physics 101"}), 201)["groupId"]
    join_group(teacher, group, student)

    # The student, signed in through the web app, opens a page with the seed's component.
    course = app.sign_in(student, viewport="desktop")
    messages: list = []
    course.on("console", lambda message: messages.append(message))
    course.evaluate(PRELUDE, group)
    course.evaluate(f"() => {{\n{seed_page}\n}}")  # as a page's script would run it
    seed = course.locator("#seed")
    seed.locator(".status.connected").wait_for()
    assert seed.locator(".status").inner_text().endswith(" Connected")  # the seed's emoji bytes
    seed.get_by_text("No active attendance sessions").wait_for()

    # The teacher starts a class in the web app: the student's page is told, and lists it.
    teacher_page = app.sign_in(teacher, f"/classes/{group}", viewport="desktop")
    teacher_page.get_by_role("button", name="Start class").click()
    seed.get_by_text("Live Attendance Sessions (1)", exact=False).wait_for()
    [active] = ok(api("GET", f"/api/groups/{group}/active-sessions", student))["activeSessions"]
    session_id = active["sessionId"]
    seed.get_by_text(f"Session ID: {session_id}").wait_for()
    seed.get_by_text("Students: 0").wait_for()
    [started] = logged(messages, "Session started:")
    assert same_moment(started.pop("started_at"), active["startedAt"])
    assert started == {
        "course_id": group,
        "session_id": session_id,
        "teacher_id": teacher.uid,
        "teacher_name": "Tess Teacher",
        "started_by": "Tess Teacher",
    }

    # A check-in moves the count the component shows (activeSessionsData again).
    ok(api("POST", f"/api/sessions/{session_id}/check-in", student))
    seed.get_by_text("Students: 1").wait_for()
    shot(course, "seed-realtime-live")

    # The teacher ends it: the student's page gets the final statistics, and lists nothing.
    teacher_page.get_by_role("button", name="End class").click()
    seed.get_by_text("No active attendance sessions").wait_for()
    [ended] = logged(messages, "Session ended:")
    assert ISO_MS.fullmatch(ended.pop("ended_at"))
    assert ended == {
        "course_id": group,
        "session_id": session_id,
        "teacher_id": teacher.uid,
        "teacher_name": "Tess Teacher",
        "final_statistics": {"present": 1, "absent": 0, "total": 1},
        "ended_by": "Tess Teacher",
    }
    assert seed.locator(".status.connected").count() == 1  # still live
    shot(course, "seed-realtime-ended")

    # The rest of the surface, in the same page: checkActiveSessions's one-time answer, and a
    # token that is not the signed-in person's refused as socket.io refuses (connect_error).
    answers = course.evaluate(
        """async ([courseId, teacherToken]) => {
          const { io } = await import("/sdk/live-socket.js");
          const token = document.cookie.match(/__session=([^;]+)/)[1];
          const socket = io("http://localhost:4002", { auth: { token } });
          const response = new Promise((resolve) => socket.on("activeSessionsResponse", resolve));
          socket.on("connect", () => socket.emit("checkActiveSessions", { course_id: courseId }));
          const answer = await response;
          socket.disconnect();
          const other = io("http://localhost:4002", { auth: { token: teacherToken } });
          const refused = await new Promise((resolve) => other.on("connect_error", resolve));
          return { answer, connected: socket.connected, refused: refused.message };
        }""",
        [group, teacher.id_token],
    )
    assert answers["answer"] == {"course_id": group, "activeSessions": []}
    assert answers["connected"] is False
    assert "not the signed-in person's" in answers["refused"]
