"""The faculty seed's three code blocks (complete, upload attachment, add note), byte for byte, in
Chromium on the Hosting origin (issue 26).

tests/browser/seeds/faculty-*.js are the seed's blocks unchanged (checked against ../shared/seeds
when that folder is beside the checkout). They run in a page of the web app after the coach
signed in through it: the app's ``__session`` cookie signs their ``credentials: 'same-origin'``
fetches in. Supplied around the code, never inside it, is only what the seed leaves to its
reader: ``sessionId`` and ``completionId`` (a session of this coach), ``fileInput`` (a real
``<input type=file>`` holding a PDF, filled as a person would), and ``CRUD.post``, the form helper
a PHP app of that kind has: it posts the FormData same-origin and answers the parsed JSON,
throwing on ``success: false``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from devtools.emulators import api
from tests.browser.app import shot
from tests.uploads import linked, ok

SNIPPETS = Path(__file__).resolve().parent / "seeds"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "001_c163dd684b41b662.txt"
COPIES = ["faculty-complete.js", "faculty-upload-attachment.js", "faculty-add-note.js"]
PDF = b"%PDF-1.7\n" + b"r" * 4000
CRUD = """const CRUD = {post: async (url, formData) => {
  const reply = await fetch(url, {method: 'POST', credentials: 'same-origin', body: formData});
  const answer = await reply.json();
  if (!answer.success) throw new Error(answer.message);
  return answer;
}};"""


def snippet(name: str) -> str:
    return (SNIPPETS / name).read_text()


@pytest.mark.parametrize(("index", "name"), list(enumerate(COPIES)))
def test_the_copies_are_the_seeds_code_byte_for_byte(index, name):
    if not SEED.is_file():
        pytest.skip(f"the seeds are not beside this checkout ({SEED})")
    blocks = re.findall(r"```\w+\n(.*?)```", SEED.read_text(), re.S)
    assert snippet(name) == [b for b in blocks if "session_completion.php" in b][index]


def test_the_faculty_seeds_blocks_run_on_the_hosting_origin(make_user, app):
    coach, athlete = linked(make_user)
    planned = {"athleteId": athlete.uid, "event": "BATCH-001", "sessionType": "Training",
               "scheduledStart": "2026-12-19T09:00:00Z"}  # fmt: skip
    session_id = ok(api("POST", "/api/sessions", coach, json=planned), 201)["sessionId"]
    page = app.sign_in(coach, viewport="desktop")
    ids = f"const sessionId = {json.dumps(session_id)}; const completionId = sessionId;"
    completed = page.evaluate(
        f"async () => {{\n{ids}\n{snippet('faculty-complete.js')}\n"
        "return {status: res.status, body: await res.json()};\n}"
    )
    assert completed["status"] == 200, completed
    assert completed["body"]["data"]["completionCode"] == "BATCH-001-DEC19"
    assert completed["body"]["data"]["actualStart"].startswith("2026-12-19T09:30:00")  # UTC zone
    page.evaluate("() => { const i = document.createElement('input'); i.type = 'file';"
                  " i.id = 'seed-file'; document.body.append(i); }")  # fmt: skip
    page.set_input_files("#seed-file", {"name": "session-1.pdf", "mimeType": "application/pdf",
                                        "buffer": PDF})  # fmt: skip
    files = "const fileInput = document.getElementById('seed-file');"
    uploaded = page.evaluate(
        f"async () => {{\n{ids}\n{files}\n{snippet('faculty-upload-attachment.js')}\n"
        "return {status: res.status, body: await res.json()};\n}"
    )
    assert uploaded["status"] == 201, uploaded
    assert uploaded["body"]["data"]["description"] == "Class recording - Session 1"
    page.evaluate(f"async () => {{\n{ids}\n{CRUD}\n{snippet('faculty-add-note.js')}\n}}")
    view = ok(api("GET", f"/api/sessions/{session_id}", coach))
    assert [(n["text"], n["type"]) for n in view["sessionNotes"]] == [
        ("Great participation today!", "achievement")
    ]
    assert [a["fileName"] for a in view["attachments"]] == ["session-1.pdf"]
    assert view["notes"] == "Covered Topics 1-3, Quiz scheduled for next session"
    shot(page, "seed-faculty-blocks")
