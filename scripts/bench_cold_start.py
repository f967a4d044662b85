"""Cold-start benchmark: import time of functions/main.py against the bare SDK modules it uses.

It measures the REST function's instance, as deployed: ``FUNCTION_TARGET=api``, so main loads
only that handler (sessionbase/handlers/exports.py); the other instances load theirs. With
``--codebase pose`` it measures the pose codebase instead: functions_pose/main.py in
``functions_pose/venv`` (``FUNCTION_TARGET=pose_api``) against the SDK modules that one uses.

Every sample is a fresh ``functions/venv/bin/python`` process (the runtime the emulator and deploy
use) that times one import statement in-process, so interpreter start-up is left out. The variants
run interleaved, round after round, so load on the machine affects both alike. Byte-code caching is
on for both (pip installed the SDK compiled; a warm-up run compiles ours), so the figures compare
import work, not compilation. Prints the median and minimum of each and the ratio main / bare
(target <= 1.15); asserts nothing.

Then ``-X importtime`` runs (the minimum of five per module) list what ``main`` imports beyond the
bare set: our own modules (the candidates to make lazy) and any third-party module the bare set
lacks.

    python scripts/bench_cold_start.py [-n 15] [--codebase api|pose]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
TARGET = 1.15

# What functions/main.py imports from third parties at import time (found with
# `python -X importtime -c "import main"`): the SDK modules and names themselves, nothing of ours.
# Keep it in step with the code: the report below lists third-party modules main loads beyond it.
BARE = """\
import firebase_admin
import firebase_admin.auth
from firebase_functions import https_fn, params
from flask import Request, Response
from werkzeug.routing import Map, Rule
from pydantic import (
    AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator,
    StringConstraints, ValidationError, ValidationInfo, field_validator, model_validator,
)
from pydantic_core import PydanticCustomError
"""
MAIN = "import main\n"
# A deployed instance imports main with FUNCTION_TARGET set to its own name and loads only its
# handler (sessionbase/handlers/exports.py): the REST function is the one users wait for.
TARGET_ENV = {"FUNCTION_TARGET": "api"}

# PYTHONDONTWRITEBYTECODE would make every sample compile our modules from source again; a
# PYTHONPATH (scripts/bench_pose.py runs with one) is not what a deployed instance has.
ENV = {
    k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
} | TARGET_ENV

# The pose codebase's pose_api (handlers/pose.py) at import: the SDK, Flask and werkzeug names it
# uses, in its own venv (the folder's `sessionbase` is a symbolic link to functions/sessionbase).
POSE_BARE = """\
import firebase_admin
from firebase_functions import https_fn
from flask import Request, Response
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.formparser import FormDataParser
from werkzeug.routing import Map, Rule
"""


@dataclass(frozen=True, kw_only=True)
class Codebase:
    """One functions codebase: its folder (main.py), its venv's Python, the instance measured."""

    folder: Path
    bare: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        return self.folder / "venv" / "bin" / "python"


CODEBASES = {
    "api": Codebase(folder=FUNCTIONS, bare=BARE, env=ENV),
    "pose": Codebase(
        folder=ROOT / "functions_pose",
        bare=POSE_BARE,
        env=ENV | {"FUNCTION_TARGET": "pose_api"},
    ),
}
API = CODEBASES["api"]
TIMER = """\
import time
_t0 = time.perf_counter()
{code}
print(time.perf_counter() - _t0)
"""


def sample(code: str, codebase: Codebase = API) -> float:
    """Seconds one fresh interpreter spends running ``code`` (imports), measured inside it."""
    done = subprocess.run(
        [str(codebase.python), "-c", TIMER.format(code=code)],
        cwd=codebase.folder,
        env=codebase.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the import failed:\n{done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True, kw_only=True)
class Imported:
    """One line of ``-X importtime``: a module, its own and cumulative time, who imported it."""

    name: str
    self_us: int
    cumulative_us: int
    parent: str | None


def import_tree(code: str, runs: int = 5, codebase: Codebase = API) -> dict[str, Imported]:
    """Every module ``code`` imports, with its least times over ``runs`` fresh interpreters."""
    best: dict[str, Imported] = {}
    for _ in range(runs):
        for name, m in _import_tree_once(code, codebase).items():
            seen = best.get(name)
            if seen is not None:
                m = Imported(
                    name=name,
                    self_us=min(m.self_us, seen.self_us),
                    cumulative_us=min(m.cumulative_us, seen.cumulative_us),
                    parent=m.parent,
                )
            best[name] = m
    return best


def _import_tree_once(code: str, codebase: Codebase) -> dict[str, Imported]:
    done = subprocess.run(
        [str(codebase.python), "-X", "importtime", "-c", code],
        cwd=codebase.folder,
        env=codebase.env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        head, cumulative_us, name = line.split("|", 2)
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((depth, name.strip(), int(head.split(":")[1]), int(cumulative_us)))
    modules = {}
    # importtime prints a module after everything it imported: its parent is the next shallower row.
    for i, (depth, name, self_us, cumulative_us) in enumerate(rows):
        parent = next((r[1] for r in rows[i + 1 :] if r[0] < depth), None)
        modules[name] = Imported(
            name=name, self_us=self_us, cumulative_us=cumulative_us, parent=parent
        )
    return modules


def ours(name: str) -> bool:
    """True for modules of this repository (functions/main.py and the sessionbase package)."""
    return name == "main" or name == "sessionbase" or name.startswith("sessionbase.")


def explain(codebase: Codebase = API) -> None:
    """Print what ``main`` imports beyond the bare set, costliest first."""
    main = import_tree(MAIN, codebase=codebase)
    bare = import_tree(codebase.bare, codebase=codebase)
    extra = {name: m for name, m in main.items() if name not in bare}
    print("\nModules main imports that the bare set does not (-X importtime, least of 5 runs, ms):")
    own = sorted((m for m in extra.values() if ours(m.name)), key=lambda m: -m.self_us)
    print("  our modules, by own time (module body: model classes, decorators, constants):")
    for m in own[:10]:
        print(f"    {m.self_us / 1000:7.1f}  {m.name}")
    # Third-party subtrees: report only the top of each (its importer is ours or shared).
    roots = [
        m
        for m in extra.values()
        if not ours(m.name) and (m.parent is None or m.parent not in extra or ours(m.parent))
    ]
    roots.sort(key=lambda m: -m.cumulative_us)
    print("  third-party subtrees, by cumulative time (importer in brackets):")
    for m in roots[:10]:
        print(f"    {m.cumulative_us / 1000:7.1f}  {m.name}  [{m.parent}]")
    if not roots:
        print("    none")


def main() -> None:
    """Run the interleaved rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=15, help="samples per variant")
    parser.add_argument("--codebase", choices=sorted(CODEBASES), default="api")
    arguments = parser.parse_args()
    rounds, codebase = arguments.rounds, CODEBASES[arguments.codebase]
    if not codebase.python.exists():
        sys.exit(f"{codebase.python} is missing: run scripts/setup.sh first.")
    variants = {"main": MAIN, "bare SDK": codebase.bare}
    for code in variants.values():
        sample(code, codebase)  # warm-up: byte-code caches written, files in the page cache
    times: dict[str, list[float]] = {name: [] for name in variants}
    order = list(variants)
    for n in range(rounds):
        for name in order if n % 2 == 0 else reversed(order):
            times[name].append(sample(variants[name], codebase))
    where = codebase.python.relative_to(ROOT)
    print(f"Import time, {rounds} fresh {where} processes each, interleaved:")
    print(f"  {'':10} {'median ms':>10} {'min ms':>8}")
    for name, values in times.items():
        print(f"  {name:10} {statistics.median(values) * 1000:10.1f} {min(values) * 1000:8.1f}")
    by_median = statistics.median(times["main"]) / statistics.median(times["bare SDK"])
    by_min = min(times["main"]) / min(times["bare SDK"])
    verdict = "within" if by_median <= TARGET else "ABOVE"
    print(
        f"  ratio main/bare: {by_median:.3f} (medians), {by_min:.3f} (minima); "
        f"target <= {TARGET}: {verdict}"
    )
    explain(codebase)


if __name__ == "__main__":
    main()
