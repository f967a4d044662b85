"""web/src/site.js, run in node: the ``__session`` cookie's attributes and where the app counts
as running on the emulators, asked about a deployed origin and the emulators' own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "web" / "src" / "site.js"
PROBE = """
const site = await import(process.argv[1]);
const places = JSON.parse(process.argv[2]);
const answers = places.map((p) => [site.onEmulators(p), site.sessionCookie("t", 3600, p)]);
console.log(JSON.stringify(answers));
"""


def ask(*places: str) -> list[tuple[bool, str]]:
    if not shutil.which("node"):
        pytest.skip("needs node (scripts/setup.sh)")
    parts = [{"protocol": p.split("//")[0], "hostname": p.split("//")[1]} for p in places]
    done = subprocess.run(
        ["node", "--input-type=module", "-e", PROBE, SITE.as_uri(), json.dumps(parts)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(answer) for answer in json.loads(done.stdout)]


def test_the_session_cookie_is_strict_and_secure_except_on_the_emulators_plain_http():
    deployed, emulated = ask("https://demo-sessionbase.web.app", "http://127.0.0.1")
    assert deployed == (False, "__session=t; Path=/; SameSite=Strict; Max-Age=3600; Secure")
    assert emulated == (True, "__session=t; Path=/; SameSite=Strict; Max-Age=3600")
    assert ask("http://sessionbase.example")[0][1].endswith("; Secure")
