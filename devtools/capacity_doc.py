"""Render docs/capacity.md from the counted actions, the price table and the cost model.

    python -m devtools.capacity_doc            rewrite docs/capacity.md
    python -m devtools.capacity_doc --check    exit 1 if docs/capacity.md is not a fresh render

Inputs: ``docs/capacity/counts.json`` (what one unit of each action costs, written by the
meter's harness), ``docs/capacity/prices.json`` (list prices, the date they were read, their
sources) and each deployed function's memory, CPU, concurrency, instances and timeout, as
``firebase deploy`` reads them from each codebase's ``main`` (``deployed_settings``: the one place
the model learns them). The numbers come from ``devtools/capacity_model.py``. The output holds no
date but the price table's, so the same inputs always render the same file;
tests/unit/test_capacity_doc.py fails when the file on disk is not what the inputs render.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from devtools import capacity_model as model
from devtools.generated import write_or_check

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ROOT / "docs" / "capacity" / "counts.json"
PRICES = ROOT / "docs" / "capacity" / "prices.json"
DOC = ROOT / "docs" / "capacity.md"
COMMAND = "python -m devtools.capacity_doc"

# Firebase's CPU default for a gen 2 function grows with its memory (firebase_functions options:
# "Defaults to 1 for functions with <= 2GB RAM and increases for larger memory sizes").
_CPU_FOR_MEMORY = ((2048, 1.0), (8192, 2.0), (16384, 4.0), (32768, 8.0))
# ``cpu="gcf_gen1"`` (set_global_options' own default) gives gen 1's fraction of a vCPU
# (cloud.google.com/functions/1stgendocs/configuring/memory).
_GEN1_CPU = ((128, 0.083), (256, 0.167), (512, 0.333), (1024, 0.583), (2048, 1.0), (8192, 2.0))


def _cpu_for(memory_mib: int, table: tuple[tuple[int, float], ...]) -> float:
    for limit, cpu in table:
        if memory_mib <= limit:
            return cpu
    return table[-1][1]


def settings_from_endpoint(endpoint: Mapping[str, Any]) -> model.FunctionSettings:
    """A function's settings from its deploy manifest entry (``__firebase_endpoint__``'s
    fields): a number its declaration or ``set_global_options`` set, else the SDK's default."""
    declared = []

    def chosen(attribute: str, default: int) -> int:
        value = endpoint.get(attribute)
        if isinstance(value, int) and not isinstance(value, bool):
            declared.append(attribute)
            return value
        return default

    base = model.DEFAULT_SETTINGS
    memory = chosen("availableMemoryMb", base.memory_mib)
    raw_cpu = endpoint.get("cpu")
    if isinstance(raw_cpu, int | float) and not isinstance(raw_cpu, bool):
        declared.append("cpu")
        cpu = float(raw_cpu)
    elif raw_cpu == "gcf_gen1":
        declared.append("cpu")
        cpu = _cpu_for(memory, _GEN1_CPU)
    else:
        cpu = _cpu_for(memory, _CPU_FOR_MEMORY)
    concurrency = chosen("concurrency", base.concurrency if cpu >= 1 else 1)
    limits = (endpoint.get("taskQueueTrigger") or {}).get("rateLimits") or {}
    per_s, at_once = limits.get("maxDispatchesPerSecond"), limits.get("maxConcurrentDispatches")
    return model.FunctionSettings(
        memory_mib=memory,
        cpu=cpu,
        concurrency=concurrency,
        max_instances=chosen("maxInstances", base.max_instances),
        timeout_s=chosen("timeoutSeconds", base.timeout_s),
        declared=tuple(declared),
        dispatches_per_s=float(per_s) if isinstance(per_s, int | float) else None,
        dispatches_at_once=int(at_once) if isinstance(at_once, int) else None,
    )


# Loads a codebase's ``main`` as ``firebase deploy`` discovers it (global options first, then
# every declaration) and prints each function's manifest fields.
_PROBE = """
import json, main
fields = ("availableMemoryMb", "cpu", "concurrency", "maxInstances", "timeoutSeconds",
          "taskQueueTrigger")
found = {}
for name, handler in vars(main).items():
    endpoint = getattr(handler, "__firebase_endpoint__", None)
    if endpoint is not None:
        found[name] = {f: getattr(endpoint, f, None) for f in fields}
print(json.dumps(found, default=lambda value: repr(value)))
"""
# Discovered with an analysis backend configured, so ``analysis_callback`` is deployed too.
_DISCOVERY_ENV = {"SESSIONBASE_ANALYSIS_BACKEND_URL": "https://backend.example/analyze"}


def _python_of(codebase: Path) -> str:
    own = codebase / "venv" / "bin" / "python"  # the pose codebase's venv (protobuf 4)
    return str(own) if codebase.name == "functions_pose" and own.exists() else sys.executable


def deployed_settings() -> dict[str, model.FunctionSettings]:
    """Every deployed function's settings, by function name: each codebase's ``main`` loaded in
    a fresh interpreter as ``firebase deploy`` discovers it (the one place they are set)."""
    environ = {k: v for k, v in os.environ.items() if k != "FUNCTION_TARGET"}
    found: dict[str, model.FunctionSettings] = {}
    for codebase in (ROOT / "functions", ROOT / "functions_pose"):
        done = subprocess.run(
            [_python_of(codebase), "-c", _PROBE],
            cwd=codebase,
            env={**environ, **_DISCOVERY_ENV},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"loading {codebase.name}/main.py failed:\n{done.stderr[-2000:]}")
        manifest = json.loads(done.stdout.strip().splitlines()[-1])
        for name, endpoint in manifest.items():
            found[name] = settings_from_endpoint(endpoint)
    return dict(sorted(found.items()))


# --- formatting --------------------------------------------------------------------------------


def _money(x: float) -> str:
    return f"${x:,.2f}"


def _n(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) < 10:
        return f"{x:,.2f}"
    return f"{x:,.0f}"


def _figure(x: float) -> str:
    text = f"{x:,.7f}".rstrip("0").rstrip(".")
    return text if text else "0"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bytes(x: float) -> str:
    for unit, size in (("GB", model.GB), ("MB", 1000**2), ("kB", 1000)):
        if x >= size:
            return f"{x / size:,.1f} {unit}"
    return f"{x:,.0f} B"


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- sections ----------------------------------------------------------------------------------

COUNT_TITLES = {
    "firestore_reads": "reads",
    "firestore_writes": "writes",
    "firestore_deletes": "deletes",
    "index_entries": "index entries",
    "listener_deliveries": "listener deliveries",
    "auth_lookups": "Auth lookups",
    "tasks_enqueued": "tasks",
    "storage_operations": "Storage ops",
    "storage_bytes_written": "bytes written",
    "storage_bytes_read": "bytes read",
    "function_invocations": "invocations",
}


def section_counts(actions: Mapping[str, model.Action], method: str) -> list[str]:
    """Each action's counts, per unit, and how they were counted."""
    out = ["## What each action costs", ""]
    out += [
        "Counted against the emulators by the meter's harness, per unit of each action (a request, "
        "a minute of video, a practice of 20 answers, a class of 30 check-ins), trigger fan-out "
        "included. Written to `docs/capacity/counts.json`; this file is rendered from it.",
        "",
        "### How it counts",
        "",
        method
        or "The harness's docstring says how each count is taken; `counts.json` carries no "
        "`method` text yet.",
        "",
    ]
    out += _table(
        ["action", "unit", *COUNT_TITLES.values()],
        (
            [f"`{a.id}` {a.title}", a.unit, *(f"{a.count(k):,}" for k in COUNT_TITLES)]
            for a in actions.values()
        ),
    )
    derived = [f"`{a.id}`" for a in actions.values() if a.derived]
    if derived:
        out += [
            "",
            f"Derived by the meter from other actions, not run as such: {', '.join(derived)}. "
            "The cost model counts each function of a derived action that has a median time as "
            "invoked at least once (a linear extrapolation can round its calls to 0).",
        ]
    out += ["", "### Function invocations and median seconds per unit", ""]
    out += _table(
        ["action", "invocations (median seconds each)"],
        (
            [
                f"`{a.id}`",
                ", ".join(
                    f"`{name}` ×{calls} ({a.seconds.get(name, 0.0) * 1000:,.0f} ms)"
                    for name, calls in sorted(a.invocations.items())
                )
                or "none",
            ]
            for a in actions.values()
        ),
    )
    out += ["", "### Documents written per unit", ""]
    out += _table(
        ["action", "documents written (pattern ×writes)"],
        (
            [
                f"`{a.id}`",
                ", ".join(f"`{pattern}` ×{n}" for pattern, n in sorted(a.documents_written.items()))
                or "none",
            ]
            for a in actions.values()
        ),
    )
    return out + [""]


def section_deployment(d: model.Deployment, actions: Mapping[str, model.Action]) -> list[str]:
    """The reference deployment, its assumptions and its monthly volumes per scale."""
    out = ["## The reference deployment", ""]
    out += [
        f"×1 is {d.athletes:,} athletes and {d.coaches:,} coaches ({d.people:,} people who sign "
        f"in); ×10, ×100 and ×1,000 multiply the people and the classes, and keep each person's "
        f"habits. Every figure below is an assumption of `devtools/capacity_model.py: "
        f"Deployment`, not a measurement; change it there.",
        "",
    ]
    rows = [
        (
            "coached sessions",
            f"{d.sessions_per_athlete_week:g} per athlete a week, created by "
            f"the coach, {d.video_minutes_per_session:g} minutes of video each",
        ),
        (
            "session views and edits",
            f"{d.gets_per_session:g} gets and "
            f"{d.updates_per_session:g} update per session, {d.comments_per_session:g} comments",
        ),
        ("practices", f"{d.practices_per_athlete_week:g} per athlete a week, 20 answers each"),
        ("classes", f"{d.classes_per_week:g} a week of {d.class_size}"),
        (
            "sign-ins (home screen)",
            f"athletes {d.athlete_sign_ins_per_day:g} a day, coaches {d.coach_sign_ins_per_day:g}",
        ),
        (
            "session lists beyond the home screen",
            f"athletes {d.athlete_lists_per_day:g} a day, coaches {d.coach_lists_per_day:g}",
        ),
        (
            "statistics reads",
            f"athletes {d.athlete_stats_per_day:g} a day, coaches {d.coach_stats_per_day:g}",
        ),
        ("invitations", f"{d.invitations_per_coach_month:g} per coach a month"),
        ("exports", f"{d.exports_per_person_month:g} per person a month"),
        ("busiest hour", f"{d.peak_factor:g}× the month's average hour"),
        (
            "video",
            f"{_bytes(d.video_bytes_per_minute)} a minute (phone 1080p), played "
            f"{d.plays_per_video_minute:g} times in {d.gets_per_play} ranged GETs each; kept "
            f"(retention off), so storage is the {d.horizon_months}th month's",
        ),
        (
            "web",
            f"API answers {_bytes(d.response_bytes)}, the app "
            f"{_bytes(d.app_bytes_per_person_week)} per person a week, "
            f"{_bytes(d.hosting_stored_bytes)} of releases kept",
        ),
        (
            "Firestore storage",
            f"{d.stored_bytes_per_write} bytes kept per write (half create a "
            f"~1 KiB document), {d.horizon_months} months",
        ),
        (
            "Auth cache (after)",
            f"{d.auth_cache_window_s:g} s per instance, visits of {d.visit_s:g} s",
        ),
    ]
    out += _table(["assumption", "value"], rows)
    out += ["", "The busiest group and coach grow with the deployment (bigger venues, clubs):", ""]
    out += _table(
        [
            "scale",
            "busiest class",
            "checking in within",
            "busiest coach's roster",
            "a session each within",
        ],
        (
            [
                f"×{s:,}",
                str(c),
                f"{d.check_in_window_s:g} s",
                str(r),
                f"{d.coach_window_s / 60:g} min",
            ]
            for s, (c, r) in sorted(model.BUSY_SIZES.items())
        ),
    )
    out += ["", "### Units of each action a month", ""]
    per_scale = {s: model.monthly_units(model.at_scale(d, s)) for s in model.SCALES}
    ids = list(per_scale[1])
    out += _table(
        ["action", "unit", *(f"×{s:,}" for s in model.SCALES)],
        (
            [
                f"`{i}`",
                actions[i].unit if i in actions else "(not counted)",
                *(_n(per_scale[s][i]) for s in model.SCALES),
            ]
            for i in ids
        ),
    )
    missing = [i for i in ids if i not in actions]
    if missing:
        out += [
            "",
            "Not in counts.json, so costing nothing here: "
            + ", ".join(f"`{i}`" for i in missing)
            + ".",
        ]
    return out + [""]


_OPTIONS = {
    "availableMemoryMb": "memory",
    "cpu": "CPU",
    "concurrency": "concurrency",
    "maxInstances": "max instances",
    "timeoutSeconds": "timeout",
}


def _declared(s: model.FunctionSettings) -> str:
    defaults = [title for option, title in _OPTIONS.items() if option not in s.declared]
    queue = (
        f"; queue {s.dispatches_per_s:g}/s, {s.dispatches_at_once} at once"
        if s.dispatches_per_s is not None
        else ""
    )
    return ("all" if not defaults else "SDK default: " + ", ".join(defaults)) + queue


def section_settings(
    totals: model.Totals, settings: Mapping[str, model.FunctionSettings]
) -> list[str]:
    """The settings of every function the counted actions invoke."""
    out = ["## Function settings used", ""]
    out += [
        "As `firebase deploy` reads them from each codebase's `main` (its global options, then "
        "each declaration's own; docs/decisions.md, 'Function settings'); an option nothing sets "
        "is the firebase_functions default (256 MiB, 1 vCPU up to 2 GiB, concurrency 80, timeout "
        "60 s) and gen 2's default of 100 instances.",
        "",
    ]

    def shape(s: model.FunctionSettings) -> tuple[object, ...]:
        return (s.memory_mib, s.cpu, s.concurrency, s.max_instances, s.timeout_s)

    shapes = [shape(s) for _, s in sorted(settings.items())]
    common = max(sorted(set(shapes), key=str), key=shapes.count) if shapes else None
    others = sorted(
        n for n, s in settings.items() if n not in totals.invocations and shape(s) == common
    )
    names = sorted((set(totals.invocations) | set(settings)) - set(others))
    rows = []
    for name in names:
        s = model.settings_for(name, settings)
        rows.append(
            [
                f"`{name}`",
                f"{s.memory_mib}",
                f"{s.cpu:g}",
                str(s.concurrency),
                str(s.max_instances),
                str(s.timeout_s),
                _declared(s) if name in settings else "not deployed: defaults",
                _n(totals.invocations.get(name, 0.0)),
                _n(totals.seconds.get(name, 0.0) * 1000),
            ]
        )
    out += _table(
        [
            "function",
            "MiB",
            "vCPU",
            "concurrency",
            "max instances",
            "timeout s",
            "set in code",
            "invocations a month ×1",
            "median ms",
        ],
        rows,
    )
    if others and common is not None:
        memory, cpu, concurrency, most, timeout = common
        out += [
            "",
            f"The {len(others)} other functions, none invoked by a counted action, run with "
            f"{memory} MiB, {cpu:g} vCPU, {concurrency} at once, at most {most} instances, "
            f"{timeout} s: " + ", ".join(f"`{n}`" for n in others) + ".",
        ]
    return out + [""]


def section_cost(
    d: model.Deployment,
    actions: Mapping[str, model.Action],
    prices: model.Prices,
    settings: Mapping[str, model.FunctionSettings],
) -> list[str]:
    """The monthly cost per product per scale, and the lines behind it."""
    costs = {
        s: model.monthly_cost(model.at_scale(d, s), actions, prices, settings) for s in model.SCALES
    }
    out = ["## Cost a month", ""]
    out += [
        f"List prices read {prices.read}, {prices.region}, in USD, after each product's free "
        f"tier; the {d.horizon_months}th month (stored video has grown). A * marks a product "
        "whose cost rests on a figure not confirmed on the provider's own page (see the price "
        "table below).",
        "",
    ]
    products = [p.product for p in costs[1]]
    rows = []
    for i, product in enumerate(products):
        cells = []
        for s in model.SCALES:
            p = costs[s][i]
            cells.append(_money(p.cost) + (" *" if p.unconfirmed else ""))
        rows.append([product, *cells])
    rows.append(
        ["**total**", *(f"**{_money(sum(p.cost for p in costs[s]))}**" for s in model.SCALES)]
    )
    out += _table(["product", *(f"×{s:,}" for s in model.SCALES)], rows)
    total_1 = sum(p.cost for p in costs[1])
    out += [
        "",
        f"Per person a month at ×1: {_money(total_1 / d.people)}; at ×1,000: "
        f"{_money(sum(p.cost for p in costs[1000]) / model.at_scale(d, 1000).people)}.",
        "",
        "### The lines behind it",
        "",
    ]
    line_rows = []
    for i, product in enumerate(products):
        for j, line in enumerate(costs[1][i].lines):
            line_rows.append(
                [
                    product,
                    line.what + (" *" if line.unconfirmed else ""),
                    line.unit,
                    *(
                        f"{_n(costs[s][i].lines[j].quantity)} → {_money(costs[s][i].lines[j].cost)}"
                        for s in model.SCALES
                    ),
                ]
            )
    out += _table(
        ["product", "quantity", "unit", *(f"×{s:,} (quantity → cost)" for s in model.SCALES)],
        line_rows,
    )
    notes = [f"{p.product}: {p.note}." for p in costs[1] if p.note]
    out += ["", *(f"- {note}" for note in notes)]
    return out + [""]


def section_prices(prices: model.Prices) -> list[str]:
    """Every figure of the price table, with its source and whether it was confirmed."""
    out = ["## The price table", ""]
    out += [
        f"`docs/capacity/prices.json`, read {prices.read} from the stored copies of the pages "
        f"(no live web here). Region: {prices.region}.",
        "",
    ]
    rows = []
    for product, section, name, f in prices.figures():
        value = "none found" if f.value is None else _figure(f.value)
        rows.append(
            [
                product,
                f"{section}.{name}",
                value,
                "yes" if f.confirmed else "**no**",
                f.source,
                f.note,
            ]
        )
    out += _table(["product", "figure", "value", "confirmed", "source", "note"], rows)
    return out + [""]


def section_bends(
    d: model.Deployment,
    actions: Mapping[str, model.Action],
    settings: Mapping[str, model.FunctionSettings],
) -> list[str]:
    """Per scale: every limit against the busiest moment, the first to bend and the answer."""
    out = ["## Where it bends", ""]
    out += [
        "Each scale's busiest hour, busiest class and busiest coach against the documented "
        "limits. A figure at or past its limit (share ≥ 100%) bends; the first to bend is the "
        "steady-state one furthest past (a launch's ramp-up is shown, not ranked). Limits marked "
        "* were not confirmed on the provider's page.",
        "",
    ]
    hot_100: list[model.Check] = []
    for scale in model.SCALES:
        at = model.at_scale(d, scale)
        checks = model.bends(at, actions, settings)
        first = model.first_bend(checks)
        out += [f"### ×{scale:,} ({at.people:,} people)", ""]
        if first is None:
            nearest = max(checks, key=lambda c: c.ratio) if checks else None
            out.append(
                "Nothing bends."
                + (
                    f" Nearest: {nearest.subject}, {nearest.ratio:.0%} of its limit."
                    if nearest
                    else ""
                )
            )
        else:
            out.append(
                f"**First to bend**: {first.subject}: {_n(first.value)} {first.limit.unit} "
                f"against {_n(first.limit.value)} ({first.ratio:.0%}). The design's answer: "
                f"{first.answer}."
            )
        out.append("")
        out += _table(
            ["figure", "value", "limit", "share", "source"],
            (
                [
                    c.subject,
                    f"{_n(c.value)} {c.limit.unit}",
                    f"{_n(c.limit.value)} ({c.limit.name}){'' if c.limit.confirmed else ' *'}"
                    + (" (at launch)" if c.at_launch else ""),
                    f"{c.ratio:.0%}" + (" **bends**" if c.bends else ""),
                    c.limit.source,
                ]
                for c in checks
            ),
        )
        out.append("")
        if scale == 100:
            hot_100 = model.hot_documents(checks)
    out += ["### Documents written more than once per second at ×100", ""]
    if hot_100:
        out += [f"- {c.subject}: {_n(c.value)} writes/s. {_sentence(c.answer)}." for c in hot_100]
    else:
        out.append(
            "None of the shared documents the counts show is written more than once a second."
        )
    return out + [""]


Sections = Callable[[], list[str]]


def render(
    counts: Mapping[str, Any],
    prices_data: Mapping[str, Any],
    settings: Mapping[str, model.FunctionSettings],
    deployment: model.Deployment = model.REFERENCE,
) -> str:
    """docs/capacity.md for these inputs."""
    actions = model.actions_from(counts)
    prices = model.Prices(prices_data)
    totals = model.monthly_totals(actions, model.monthly_units(deployment))
    method = str(counts.get("method", "")).strip()
    out = [
        "# Capacity and cost",
        "",
        f"<!-- Generated by `{COMMAND}` from docs/capacity/counts.json, "
        "docs/capacity/prices.json and devtools/capacity_model.py. Do not edit by hand. -->",
        "",
        "What each user action costs (counted), what a deployment costs a month at list prices "
        f"(read {prices.read}, {prices.region}), and which documented limit it meets first at "
        "×1, ×10, ×100 and ×1,000. docs/decisions.md, 'Capacity and cost', says what is estimated "
        "and why.",
        "",
    ]
    out += section_counts(actions, method)
    out += section_deployment(deployment, actions)
    out += section_settings(totals, settings)
    out += section_cost(deployment, actions, prices, settings)
    out += section_bends(deployment, actions, settings)
    out += section_prices(prices)
    return "\n".join(out).rstrip() + "\n"


def rendered_from_disk(settings: Mapping[str, model.FunctionSettings] | None = None) -> str:
    """docs/capacity.md as the files on disk and the deployed functions render it."""
    if not COUNTS.exists():
        raise SystemExit(f"{COUNTS.relative_to(ROOT)} is missing: the meter's harness writes it")
    counts = json.loads(COUNTS.read_text())
    prices = json.loads(PRICES.read_text())
    return render(counts, prices, deployed_settings() if settings is None else settings)


def main(argv: list[str] | None = None) -> int:
    """Rewrite docs/capacity.md, or with ``--check`` report whether it is current."""
    args = sys.argv[1:] if argv is None else argv
    return write_or_check(DOC, rendered_from_disk(), check="--check" in args, command=COMMAND)


if __name__ == "__main__":
    raise SystemExit(main())
