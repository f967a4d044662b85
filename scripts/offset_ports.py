"""Print firebase.json with every emulator port shifted, so two suites can run side by side.

Used by scripts/test.sh when SESSIONBASE_PORT_OFFSET is set (e.g. a developer running the suite
while another emulator suite is up). Ports left to defaults in firebase.json are pinned first.
"""

import json
import sys
from pathlib import Path

DEFAULTS = {"tasks": 9499, "eventarc": 9299, "hub": 4400, "logging": 4500}


def main() -> None:
    offset = int(sys.argv[1])
    config = json.loads((Path(__file__).resolve().parent.parent / "firebase.json").read_text())
    emulators = config["emulators"]
    for name, default in DEFAULTS.items():
        emulators.setdefault(name, {"host": "127.0.0.1"}).setdefault("port", default)
    for settings in emulators.values():
        if isinstance(settings, dict) and "port" in settings:
            settings["port"] += offset
    json.dump(config, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
