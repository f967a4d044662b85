"""Print the Firestore emulator binary firebase-tools should run (empty: let it download).

Resolution order:
1. an existing ``FIRESTORE_EMULATOR_BINARY_PATH``;
2. firebase-tools' own cache (``~/.cache/firebase/emulators``), the jar it would download;
3. the machine's Debian-packaged ``google-cloud-cli-firestore-emulator`` jar, wrapped in a
   manifest-only jar, because that jar has no ``Main-Class`` and firebase-tools runs ``java -jar``;
4. nothing: firebase-tools downloads its jar (needs internet).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / ".cache" / "firestore-emulator-wrapper.jar"
MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore"
DEBIAN_PACKAGE = "google-cloud-cli-firestore-emulator"
DEBIAN_DEFAULT = Path(
    "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"
)


def cached_download() -> Path | None:
    """The jar firebase-tools would download, if it is already in its cache."""
    info_file = ROOT / "node_modules/firebase-tools/lib/emulator/downloadableEmulatorInfo.json"
    try:
        relative = json.loads(info_file.read_text())["firestore"]["downloadPathRelativeToCacheDir"]
    except (OSError, KeyError, ValueError):
        return None
    candidate = Path.home() / ".cache" / "firebase" / "emulators" / relative
    return candidate if candidate.is_file() else None


def debian_jar() -> Path | None:
    """The jar shipped by Google's Debian package, if installed."""
    try:
        listing = subprocess.run(
            ["dpkg", "-L", DEBIAN_PACKAGE], capture_output=True, text=True, check=False
        ).stdout
    except OSError:
        listing = ""
    for line in listing.splitlines():
        if line.endswith("/cloud-firestore-emulator.jar") and Path(line).is_file():
            return Path(line)
    return DEBIAN_DEFAULT if DEBIAN_DEFAULT.is_file() else None


def wrap(jar: Path) -> Path:
    """Write (once) a manifest-only jar whose Main-Class runs the Debian jar."""
    manifest = (
        f"Manifest-Version: 1.0\r\nMain-Class: {MAIN_CLASS}\r\nClass-Path: {jar.as_uri()}\r\n\r\n"
    )
    if WRAPPER.is_file():
        with zipfile.ZipFile(WRAPPER) as existing:
            if existing.read("META-INF/MANIFEST.MF").decode() == manifest:
                return WRAPPER
    WRAPPER.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(WRAPPER, "w") as out:
        out.writestr("META-INF/MANIFEST.MF", manifest)
    return WRAPPER


def main() -> int:
    """Print the resolved binary path, or nothing when firebase-tools should download it."""
    override = os.environ.get("FIRESTORE_EMULATOR_BINARY_PATH")
    if override and Path(override).is_file():
        print(override)
        return 0
    cached = cached_download()
    if cached:
        print(cached)
        return 0
    packaged = debian_jar()
    if packaged:
        print(wrap(packaged))
        return 0
    print(
        "[setup] no local Firestore emulator jar: firebase-tools will download it, which needs "
        f"internet. Offline, install the Debian package {DEBIAN_PACKAGE} or set "
        "FIRESTORE_EMULATOR_BINARY_PATH.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
