"""The scripts that start the emulator suite start it alike: each preloads
scripts/emulator_no_keepalive.cjs into firebase-tools, so that the Functions emulator's requests
to its Python workers never reuse a socket gunicorn is closing (a 500 "socket hang up" that kills
the worker), and a benchmark measures the stack that the tests and `scripts/start.sh` run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


@pytest.mark.parametrize("script", ["test.sh", "start.sh", "bench.sh"])
def test_every_script_that_starts_the_emulators_preloads_the_socket_agent(script):
    text = (SCRIPTS / script).read_text()
    starts = [m.start() for m in re.finditer(r"setsid firebase ", text)]
    assert starts, f"{script} starts no emulator suite"
    for start in starts:
        # The command that starts firebase-tools: its continuation lines just before it.
        command = text[text.rfind("\n\n", 0, start) : start]
        assert "NODE_OPTIONS=" in command, f"{script}: firebase-tools starts without NODE_OPTIONS"
        assert "scripts/emulator_no_keepalive.cjs" in command, script
