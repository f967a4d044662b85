"""``python -m devtools.strip_download_tokens``: the one-off command that removes the Firebase
download tokens already minted on session objects (issue 21, item 4), against the emulators'
Storage (the GCS-compatible server)."""

from __future__ import annotations

import time

from devtools import strip_download_tokens
from devtools.emulators import bucket
from tests.uploads import linked, new_session, session_of, upload

TOKENS = "firebaseStorageDownloadTokens"


def test_the_command_strips_the_tokens_already_minted_and_only_those(make_user, capsys):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    pdf = b"%PDF-1.7\n" + b"0" * 500
    minted = upload(coach, session_id, pdf, name="minted.pdf", kind="attachment")["path"]
    clean = upload(coach, session_id, pdf, name="clean.pdf", kind="attachment")["path"]
    deadline = time.monotonic() + 30
    while len(session_of(coach, session_id)["attachments"]) < 2:
        assert time.monotonic() < deadline, "the attachments were not registered"
        time.sleep(0.2)
    # A token minted before the trigger stripped them (a metadata patch: no new generation, so
    # no finalize event and no trigger).
    blob = bucket().get_blob(minted)
    generation = blob.generation
    blob.metadata = {TOKENS: "minted-long-ago"}
    blob.patch()

    assert strip_download_tokens.main(["--dry-run"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert minted in printed
    assert clean not in printed
    assert printed[-1].endswith("object(s) with download tokens (dry run)")
    assert bucket().get_blob(minted).metadata[TOKENS] == "minted-long-ago"  # nothing changed

    stripped = strip_download_tokens.strip(_objects())
    assert minted in stripped
    assert clean not in stripped
    after = bucket().get_blob(minted)
    assert not (after.metadata or {}).get(TOKENS)  # Cloud Storage drops it; this server empties it
    assert after.generation == generation  # the same object, only its metadata patched
    assert after.download_as_bytes() == pdf
    # Run again: nothing left to strip (it can be stopped and run again).
    assert minted not in strip_download_tokens.strip(_objects())
    assert {a["fileName"] for a in session_of(coach, session_id)["attachments"]} == {
        "minted.pdf",
        "clean.pdf",
    }


def _objects():
    from sessionbase.store.storage import default_objects

    return default_objects()
