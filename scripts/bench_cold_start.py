"""Cold-start benchmark: import time of functions/main.py against the bare SDK modules it uses.

It measures the REST function's instance, as deployed: ``FUNCTION_TARGET=api``, so main loads
only that handler (sessionbase/handlers/exports.py); the other instances load theirs.

Every sample is a fresh ``functions/venv/bin/python`` process (the runtime the emulator and deploy
use) that times one import statement in-process, so interpreter start-up is left out. The variants
run interleaved, round after round, so load on the machine affects both alike. Byte-code caching is
on for both (pip installed the SDK compiled; a warm-up run compiles ours), so the figures compare
import work, not compilation. Prints the median and minimum of each and the ratio main / bare
(target <= 1.15); asserts nothing.

Then ``-X importtime`` runs (the minimum of five per module) list what ``main`` imports beyond the
bare set: our own modules (the candidates to make lazy) and any third-party module the bare set
lacks.

    python scripts/bench_cold_start.py [-n 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
PYTHON = FUNCTIONS / "venv" / "bin" / "python"
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
VARIANTS = {"main": MAIN, "bare SDK": BARE}

# PYTHONDONTWRITEBYTECODE would make every sample compile our modules from source again.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | TARGET_ENV
TIMER = """\
import time
_t0 = time.perf_counter()
{code}
print(time.perf_counter() - _t0)
"""


def sample(code: str) -> float:
    """Seconds one fresh interpreter spends running ``code`` (imports), measured inside it."""
    done = subprocess.run(
        [str(PYTHON), "-c", TIMER.format(code=code)],
        cwd=FUNCTIONS,
        env=ENV,
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


def import_tree(code: str, runs: int = 5) -> dict[str, Imported]:
    """Every module ``code`` imports, with its least times over ``runs`` fresh interpreters."""
    best: dict[str, Imported] = {}
    for _ in range(runs):
        for name, m in _import_tree_once(code).items():
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


def _import_tree_once(code: str) -> dict[str, Imported]:
    done = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-c", code],
        cwd=FUNCTIONS,
        env=ENV,
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


def explain() -> None:
    """Print what ``main`` imports beyond the bare set, costliest first."""
    main, bare = import_tree(MAIN), import_tree(BARE)
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
    rounds = parser.parse_args().rounds
    if not PYTHON.exists():
        sys.exit(f"{PYTHON} is missing: run scripts/setup.sh first.")
    for code in VARIANTS.values():
        sample(code)  # warm-up: byte-code caches written, files in the page cache
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    order = list(VARIANTS)
    for n in range(rounds):
        for name in order if n % 2 == 0 else reversed(order):
            times[name].append(sample(VARIANTS[name]))
    print(f"Import time, {rounds} fresh {PYTHON.relative_to(ROOT)} processes each, interleaved:")
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
    explain()


if __name__ == "__main__":
    main()
