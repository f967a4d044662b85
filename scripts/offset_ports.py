"""Print firebase.json with every emulator port shifted, so two suites can run side by side.

Used by scripts/test.sh, scripts/start.sh and scripts/bench.sh when SESSIONBASE_PORT_OFFSET is
set. Ports left to defaults in firebase.json are pinned first. Node's fetch (so firebase-tools
itself) and browsers refuse the Fetch standard's "bad ports": firebase-tools crashes on a rules hot
reload when Firestore sits on 10080, and Hosting on 6000 is unreachable from a browser. Such a port
moves up to the next one not otherwise in use. The local origins Hosting's Content-Security-Policy
lets the page connect to (``http://127.0.0.1:<port>``) follow their emulators; another port (the
GCS-compatible server's) moves by the offset.

    python scripts/offset_ports.py OFFSET [PUBLIC]

PUBLIC, when given, replaces Hosting's public directory (scripts/test.sh serves a copy of the
built app, so a rebuild during the run cannot take files from under the pages being tested).
"""

import json
import re
import sys
from pathlib import Path

DEFAULTS = {"tasks": 9499, "eventarc": 9299, "hub": 4400, "logging": 4500}
BLOCKED = {1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667}
BLOCKED |= {6668, 6669, 6679, 6697, 10080}


def main() -> None:
    offset = int(sys.argv[1])
    config = json.loads((Path(__file__).resolve().parent.parent / "firebase.json").read_text())
    emulators = config["emulators"]
    for name, default in DEFAULTS.items():
        emulators.setdefault(name, {"host": "127.0.0.1"}).setdefault("port", default)
    ported = [s for s in emulators.values() if isinstance(s, dict) and "port" in s]
    for settings in ported:
        settings["port"] += offset
    taken = {s["port"] for s in ported}
    before = [s["port"] - offset for s in ported]
    for settings in ported:
        was = port = settings["port"]
        while port in BLOCKED or (port != was and port in taken):
            port += 1
        if port != was:
            print(f"port {was} is refused by fetch: using {port}", file=sys.stderr)
            taken.add(port)
            settings["port"] = port
    moved = {old: s["port"] for old, s in zip(before, ported, strict=True)}
    local = re.compile(r"http://127\.0\.0\.1:(\d+)")
    for rule in config.get("hosting", {}).get("headers", []):
        for header in rule["headers"]:
            header["value"] = local.sub(
                lambda m: f"http://127.0.0.1:{moved.get(int(m[1]), int(m[1]) + offset)}",
                header["value"],
            )
    if len(sys.argv) > 2:
        config["hosting"]["public"] = sys.argv[2]
    json.dump(config, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
