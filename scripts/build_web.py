"""Build the reference web app (web/src) into Hosting's public directory with esbuild.

    python scripts/build_web.py

One build serves both: on 127.0.0.1 or localhost the app uses the project demo-sessionbase and
asks the Hosting emulator where the other emulators run; anywhere else it reads the project's
web configuration from Hosting's /__/firebase/init.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


LOCAL_PROJECT = "demo-sessionbase"


def main() -> int:
    command = [
        str(ROOT / "node_modules" / ".bin" / "esbuild"),
        str(ROOT / "web" / "src" / "main.js"),
        "--bundle",
        "--format=esm",
        "--target=es2022",
        "--minify",
        f"--define:__LOCAL_PROJECT__={json.dumps(LOCAL_PROJECT)}",
        f"--outfile={ROOT / 'public' / 'app.js'}",
        "--log-level=warning",
    ]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
