"""The scripts that start the emulator suite start it alike: each preloads
scripts/emulator_no_keepalive.cjs into firebase-tools, so that the Functions emulator's requests
to its Python workers never reuse a socket gunicorn is closing (a 500 "socket hang up" that kills
the worker), and scripts/emulator_worker_ports.cjs, so that no two workers are handed one port;
and a benchmark measures the stack that the tests and `scripts/start.sh` run."""

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
        assert "scripts/emulator_worker_ports.cjs" in command, script


def test_workers_started_at_once_get_ports_of_their_own_range(tmp_path):
    """Two workers asked for at once from the same start are handed two ports, in the suite's
    range; ports outside firebase-tools' worker range are looked up as before."""
    import json
    import os
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH (scripts/setup.sh installs the emulators' Node)")
    root = SCRIPTS.parent
    probe = (
        f"require({json.dumps(str(SCRIPTS / 'emulator_worker_ports.cjs'))});"
        "const pf = require(require.resolve('portfinder', "
        f"{{paths: [{json.dumps(str(root / 'node_modules' / 'firebase-tools' / 'lib'))}]}}));"
        "Promise.all([pf.getPortPromise({port: 8086}), pf.getPortPromise({port: 8086}),"
        " pf.getPortPromise({port: 9229})]).then((p) => console.log(JSON.stringify(p)));"
    )
    env = {**os.environ, "SESSIONBASE_WORKER_PORTS": "21000"}
    done = subprocess.run(
        [node, "-e", probe], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    )
    first, second, inspector = json.loads(done.stdout)
    assert first != second
    assert 21005 <= first < 23000
    assert 21005 <= second < 23000
    assert inspector >= 9229
