"""Combine and report the coverage of functions/sessionbase that scripts/test.sh collected.

``python scripts/coverage_gate.py DIR [--enforce]``. DIR holds the data files of one run:
``fast.*`` from the pytest process (the unit tier runs there) and ``emulator.*``
from the Functions emulator's Python workers (the code the emulator tier reaches over HTTP). It
combines each tier, then both, prints the three figures against their floors and the combined
table of what no test reaches, and writes an HTML report to DIR/html. With ``--enforce`` (a run of
the whole suite) it exits 1 when a figure is under its floor.

Figures count statements and branches (``branch = true`` in pyproject.toml's [tool.coverage]).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import coverage
from coverage.exceptions import NoDataError

# The floors, a few points under the figures measured when they were set (README, "Coverage"):
# fast 68.5%, emulator 86.1%, combined 89.2% on the suite of 2026-11-23 (1507 tests).
FLOORS = {"fast": 70.0, "emulator": 88.0, "combined": 92.0}
LABELS = {
    "fast": "unit tier (pytest process)",
    "emulator": "emulator tier (API workers)",
    "combined": "combined",
}


def combine(target: Path, sources: list[Path], *, keep: bool) -> coverage.Coverage | None:
    """Combine ``sources`` into the data file ``target`` (None when there is no data).

    Without sources, an existing ``target`` is reported as it is, so the gate can be run again on
    a finished run's directory.
    """
    cov = coverage.Coverage(data_file=str(target))
    if sources:
        cov.combine([str(s) for s in sources], keep=keep)
        cov.save()
    elif not target.exists():
        return None
    cov.load()
    return cov


def percent(cov: coverage.Coverage | None) -> float | None:
    """The total percentage of ``cov``'s data (None when no file of the package was measured)."""
    if cov is None:
        return None
    try:
        return cov.report(file=io.StringIO())
    except NoDataError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--enforce", action="store_true", help="exit 1 under a floor")
    args = parser.parse_args()
    out: Path = args.dir

    tiers = {
        tier: combine(out / tier, sorted(out.glob(f"{tier}.*")), keep=False)
        for tier in ("fast", "emulator")
    }
    combined = combine(
        out / "combined", [out / t for t, cov in tiers.items() if cov is not None], keep=True
    )
    figures = {**{t: percent(cov) for t, cov in tiers.items()}, "combined": percent(combined)}

    if combined is not None and figures["combined"] is not None:
        combined.report(file=sys.stdout)
        combined.html_report(directory=str(out / "html"))
    print("\nCoverage of functions/sessionbase (statements and branches):")
    under = []
    for key, value in figures.items():
        floor = FLOORS[key]
        shown = "no data" if value is None else f"{value:5.1f}%"
        print(f"  {LABELS[key]:<30} {shown:>8}   floor {floor:.0f}%")
        if value is None or value < floor:
            under.append(key)
    print(f"  HTML report: {out / 'html' / 'index.html'}")
    if args.enforce and under:
        print(f"Coverage under its floor: {', '.join(LABELS[k] for k in under)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
