"""What a deployment of Sessionbase costs a month, and where it bends, from counted actions.

Pure functions, no I/O: ``devtools/capacity_doc.py`` reads the inputs (the meter's
``docs/capacity/counts.json``, the price table ``docs/capacity/prices.json``, each deployed
function's settings from its decorator) and renders ``docs/capacity.md`` from what this module
computes.

- **The reference deployment** (``REFERENCE``) says who uses it and how often; ``monthly_units``
  turns it into units of each counted action a month (a "minute of video", a "practice of 20
  answers", a "class of 30 check-ins", a request).
- **Cost**: units × the counts of one unit × the list prices, per product (``monthly_cost``),
  after each product's free tier.
- **Where it bends**: the deployment's busiest hour and its busiest group and coach against the
  providers' documented limits (``LIMITS``, each with its source), per scale (``bends``).

Every figure that is assumed rather than counted or read is a field of ``Deployment`` or a
constant here, with its reason beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sessionbase.settings import CHECK_IN_COUNT_DEFAULT
from sessionbase.store.sessions import GATE_SHARDS

SCALES = (1, 10, 100, 1000)
DAYS_PER_MONTH = 365 / 12
WEEKS_PER_MONTH = 52 / 12
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400
MIB = 1024**2
GIB = 1024**3
GB = 1000**3

COUNT_KEYS = (
    "firestore_reads",
    "firestore_writes",
    "firestore_deletes",
    "index_entries",
    "listener_deliveries",
    "auth_lookups",
    "tasks_enqueued",
    "storage_operations",
    "storage_bytes_written",
    "storage_bytes_read",
    "function_invocations",
)


# --- what one action costs (the meter's counts.json) -------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Action:
    """One user action as the meter counted it, per ``unit`` (``counts.json``'s shape)."""

    id: str
    title: str
    unit: str
    counts: Mapping[str, int]
    invocations: Mapping[str, int] = field(default_factory=dict)
    seconds: Mapping[str, float] = field(default_factory=dict)  # median per invocation
    documents_written: Mapping[str, int] = field(default_factory=dict)
    derived: bool = False  # extrapolated by the meter from other actions, not run as such

    def count(self, key: str) -> int:
        """One of ``COUNT_KEYS`` (0 when the meter did not count it)."""
        return int(self.counts.get(key, 0))


def actions_from(data: Mapping[str, Any]) -> dict[str, Action]:
    """The actions of a parsed ``counts.json``, by id."""
    actions: dict[str, Action] = {}
    for action_id, raw in sorted(data.get("actions", {}).items()):
        actions[action_id] = Action(
            id=action_id,
            title=str(raw.get("title", action_id)),
            unit=str(raw.get("unit", "request")),
            counts={k: int(v) for k, v in raw.get("counts", {}).items()},
            invocations=_invocations(raw),
            seconds={k: float(v) for k, v in raw.get("seconds", {}).items()},
            documents_written={k: int(v) for k, v in raw.get("documents_written", {}).items()},
            derived=bool(raw.get("derived", False)),
        )
    return actions


def _invocations(raw: Mapping[str, Any]) -> dict[str, int]:
    """An action's invocations per function. A derived action (the meter's per-minute video,
    extrapolated from two uploads) can round a function that ran in both to 0 calls; one that
    has a median time ran at least once."""
    calls = {k: int(v) for k, v in raw.get("invocations", {}).items()}
    if raw.get("derived"):
        for name, seconds in raw.get("seconds", {}).items():
            if float(seconds) > 0 and calls.get(name, 0) < 1:
                calls[name] = 1
    return calls


def pattern_key(pattern: str) -> str:
    """A collection pattern with its variables unnamed, so ``groups/{groupId}`` and
    ``groups/{id}`` are the same pattern."""
    return re.sub(r"\{[^}]*\}", "{}", pattern.strip("/"))


def collection_of(pattern: str) -> str:
    """The collection a document pattern is in: ``sessions/{}/items/{}`` is in
    ``sessions/{}/items``."""
    parts = pattern_key(pattern).split("/")
    return "/".join(parts[:-1]) if len(parts) % 2 == 0 else "/".join(parts)


# --- the deployed functions' settings ----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FunctionSettings:
    """What a deployed function runs with. ``declared`` names the options its decorator sets;
    the others are the defaults below."""

    memory_mib: int
    cpu: float
    concurrency: int
    max_instances: int
    timeout_s: int
    declared: tuple[str, ...] = ()
    # A task queue function's queue: dispatches a second and at once (None: not a task queue).
    dispatches_per_s: float | None = None
    dispatches_at_once: int | None = None


# The firebase_functions SDK's documented defaults for a gen 2 function that sets nothing
# (options.py: 256 MB; "cpu defaults to 1 for functions with <= 2GB RAM"; concurrency "80 when
# CPU >= 1, 1 otherwise"; timeout 60 s) and Cloud Functions gen 2's default maximum of 100
# instances (cloud.google.com/functions/docs/configuring/max-instances). No
# ``set_global_options`` call changes them in this project.
DEFAULT_SETTINGS = FunctionSettings(
    memory_mib=256, cpu=1.0, concurrency=80, max_instances=100, timeout_s=60
)


def settings_for(name: str, settings: Mapping[str, FunctionSettings]) -> FunctionSettings:
    """``name``'s settings, or the defaults for a function the table does not know."""
    return settings.get(name, DEFAULT_SETTINGS)


# --- the reference deployment ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Deployment:
    """Who uses a deployment and how often: the assumptions, each with a reason."""

    athletes: int = 1000
    coaches: int = 50  # 20 athletes each
    sessions_per_athlete_week: float = 3  # coached sessions, each created by the coach
    video_minutes_per_session: float = 2
    practices_per_athlete_week: float = 2  # 20 answers each
    classes_per_week: float = 10
    class_size: int = 25
    comments_per_session: float = 2  # the coach's remarks on the video
    gets_per_session: float = 3  # the athlete opens it once, the coach twice
    updates_per_session: float = 1  # the coach completes or edits it
    athlete_sign_ins_per_day: float = 1  # each loads the home screen
    coach_sign_ins_per_day: float = 3
    athlete_lists_per_day: float = 0.5  # session lists beyond the home screen's
    coach_lists_per_day: float = 5
    athlete_stats_per_day: float = 0.5
    coach_stats_per_day: float = 2  # the dashboard
    invitations_per_coach_month: float = 2  # new athletes (and re-sent invitations)
    exports_per_person_month: float = 0.02  # "download my data"
    # Traffic in the busiest hour is this many times the month's average hour (an evening hour
    # holding a sixth of the day's traffic).
    peak_factor: float = 4.0
    # The busiest group and coach: a class checking in at its start; a coach creating, completing
    # and analysing a session for each athlete of the roster after a training, within 10 min.
    # Their size grows with the deployment (bigger venues, clubs with a head coach), stated per
    # scale in ``BUSY_SIZES``.
    busy_class_size: int = 25
    check_in_window_s: float = 120
    busy_coach_roster: int = 20
    coach_window_s: float = 600
    # Media: a phone's 1080p video is ~8 Mbit/s, 60 MiB a minute; each minute is played three
    # times (athlete once, coach twice), in about ten ranged GETs each.
    video_bytes_per_minute: int = 60 * MIB
    plays_per_video_minute: float = 3
    gets_per_play: int = 10
    # Videos are kept (SESSIONBASE_VIDEO_RETENTION_DAYS is off by default), so storage grows:
    # costs are those of the 12th month.
    horizon_months: int = 12
    # An API answer is ~4 KiB; the web app is downloaded whole (~1 MB with its lazy chunks) once
    # a week per person and is ~20 MB a release, 10 releases kept.
    response_bytes: int = 4 * 1024
    app_bytes_per_person_week: int = 1_000_000
    hosting_stored_bytes: int = 200_000_000
    # Firestore storage: half of all writes create a document (audit entries, items,
    # notifications) of ~1 KiB with its index entries.
    stored_bytes_per_write: int = 512
    # How long an instance keeps a caller's Auth record (SESSIONBASE_AUTH_RECORD_SECONDS's
    # default; docs/decisions.md, "The caller's standing"), and how long a visit (a home-screen
    # load and what follows) lasts.
    auth_cache_window_s: float = 30
    visit_s: float = 300

    @property
    def people(self) -> int:
        """Everyone who signs in (the monthly active users)."""
        return self.athletes + self.coaches


REFERENCE = Deployment()

# The busiest group's and coach's sizes per scale (the rest scales with the number of people).
BUSY_SIZES: dict[int, tuple[int, int]] = {
    1: (25, 20),
    10: (60, 40),
    100: (250, 150),
    1000: (500, 400),
}


def at_scale(base: Deployment, scale: int) -> Deployment:
    """``base`` with ``scale`` times the people and classes, and the busy sizes of that scale."""
    busy_class, busy_roster = BUSY_SIZES.get(scale, (base.busy_class_size, base.busy_coach_roster))
    return replace(
        base,
        athletes=base.athletes * scale,
        coaches=base.coaches * scale,
        classes_per_week=base.classes_per_week * scale,
        busy_class_size=busy_class,
        busy_coach_roster=busy_roster,
    )


# Units per action the meter counts in (its ``unit``): a class is counted as 30 check-ins, a
# practice as 20 answers, video per minute.
CHECK_INS_PER_CLASS_UNIT = 30


def monthly_units(d: Deployment) -> dict[str, float]:
    """Units of each action a month."""
    sessions = d.athletes * d.sessions_per_athlete_week * WEEKS_PER_MONTH
    return {
        "home_athlete": d.athletes * d.athlete_sign_ins_per_day * DAYS_PER_MONTH,
        "home_coach": d.coaches * d.coach_sign_ins_per_day * DAYS_PER_MONTH,
        "session_create": sessions,
        "session_list": (d.athletes * d.athlete_lists_per_day + d.coaches * d.coach_lists_per_day)
        * DAYS_PER_MONTH,
        "session_get": sessions * d.gets_per_session,
        "session_update": sessions * d.updates_per_session,
        "upload_per_minute": sessions * d.video_minutes_per_session,
        "practice_20": d.athletes * d.practices_per_athlete_week * WEEKS_PER_MONTH,
        "class_30": d.classes_per_week * WEEKS_PER_MONTH * d.class_size / CHECK_INS_PER_CLASS_UNIT,
        "comment": sessions * d.comments_per_session,
        "invitation": d.coaches * d.invitations_per_coach_month,
        "stats_athlete": d.athletes * d.athlete_stats_per_day * DAYS_PER_MONTH,
        "stats_coach": d.coaches * d.coach_stats_per_day * DAYS_PER_MONTH,
        "export": d.people * d.exports_per_person_month,
    }


# --- monthly totals ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Totals:
    """A month of a deployment: every count summed over its actions."""

    counts: dict[str, float]
    invocations: dict[str, float]  # per function
    seconds: dict[str, float]  # per function: the invocation-weighted median seconds
    documents_written: dict[str, float]  # per pattern key
    unknown_actions: tuple[str, ...]  # units the meter has no counts for


def monthly_totals(actions: Mapping[str, Action], units: Mapping[str, float]) -> Totals:
    """Each count of each action times the action's units."""
    counts = dict.fromkeys(COUNT_KEYS, 0.0)
    invocations: dict[str, float] = {}
    weighted_seconds: dict[str, float] = {}
    written: dict[str, float] = {}
    unknown = []
    for action_id, n in sorted(units.items()):
        action = actions.get(action_id)
        if action is None:
            unknown.append(action_id)
            continue
        for key in COUNT_KEYS:
            counts[key] += n * action.count(key)
        for name, calls in action.invocations.items():
            invocations[name] = invocations.get(name, 0.0) + n * calls
            weighted_seconds[name] = weighted_seconds.get(
                name, 0.0
            ) + n * calls * action.seconds.get(name, 0.0)
        for pattern, writes in action.documents_written.items():
            key = pattern_key(pattern)
            written[key] = written.get(key, 0.0) + n * writes
    seconds = {
        name: (weighted_seconds[name] / calls if calls else 0.0)
        for name, calls in invocations.items()
    }
    return Totals(
        counts=counts,
        invocations=dict(sorted(invocations.items())),
        seconds=dict(sorted(seconds.items())),
        documents_written=dict(sorted(written.items())),
        unknown_actions=tuple(unknown),
    )


# --- prices ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One figure of the price table, with whether it was read on the provider's own page."""

    value: float | None
    confirmed: bool
    source: str
    note: str = ""


class Prices:
    """``docs/capacity/prices.json``, read by product, section (``prices``/``free``) and name."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.read = str(data.get("read", ""))
        self.region = str(data.get("region", ""))

    def figure(self, product: str, section: str, name: str) -> Figure:
        """The figure, or a KeyError naming what is missing from the table."""
        try:
            raw = self.data["products"][product][section][name]
        except KeyError as missing:
            raise KeyError(f"prices.json has no products.{product}.{section}.{name}") from missing
        return Figure(
            value=None if raw.get("value") is None else float(raw["value"]),
            confirmed=bool(raw.get("confirmed", False)),
            source=str(raw.get("source", "")),
            note=str(raw.get("note", "")),
        )

    def value(self, product: str, section: str, name: str) -> float:
        """The figure's value (0 when the table has none: such a figure is not costed)."""
        return self.figure(product, section, name).value or 0.0

    def figures(self) -> list[tuple[str, str, str, Figure]]:
        """Every figure of the table, in its order: (product, section, name, figure)."""
        rows = []
        for product, body in self.data.get("products", {}).items():
            for section in ("prices", "free", "egress"):
                for name in body.get(section, {}):
                    rows.append((product, section, name, self.figure(product, section, name)))
        return rows


# --- monthly cost ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Line:
    """One billed quantity of a product: how much, how much is free, what the rest costs."""

    what: str
    quantity: float
    unit: str
    free: float
    price: float  # per ``per`` units
    per: float
    unconfirmed: bool

    @property
    def billed(self) -> float:
        """The quantity past the free tier."""
        return max(0.0, self.quantity - self.free)

    @property
    def cost(self) -> float:
        """What the billed quantity costs."""
        return self.billed * self.price / self.per


@dataclass(frozen=True, kw_only=True)
class ProductCost:
    """A product's month: its lines and what they cost together."""

    product: str
    lines: tuple[Line, ...]
    note: str = ""

    @property
    def cost(self) -> float:
        """The sum of the lines."""
        return sum(line.cost for line in self.lines)

    @property
    def unconfirmed(self) -> bool:
        """Whether a line that costs something rests on an unconfirmed figure."""
        return any(line.unconfirmed and line.cost > 0 for line in self.lines)


def _line(
    prices: Prices,
    product: str,
    what: str,
    quantity: float,
    unit: str,
    price: str,
    per: float,
    free: str | None = None,
    free_scale: float = 1.0,
) -> Line:
    section, name = price.split(".")
    figure = prices.figure(product, section, name)
    free_figure = None
    if free is not None:
        free_section, free_name = free.split(".")
        free_figure = prices.figure(product, free_section, free_name)
    return Line(
        what=what,
        quantity=quantity,
        unit=unit,
        free=(free_figure.value or 0.0) * free_scale if free_figure else 0.0,
        price=figure.value or 0.0,
        per=per,
        unconfirmed=not figure.confirmed or bool(free_figure and not free_figure.confirmed),
    )


BILLING_GRANULARITY_S = 0.1  # Cloud Run rounds billable time up to the nearest 100 ms


def billed_seconds(seconds: float) -> float:
    """One invocation's billable time: its duration rounded up to 100 ms (an upper bound: an
    instance serving several requests at once bills their overlap once)."""
    if seconds <= 0:
        return BILLING_GRANULARITY_S
    return math.ceil(round(seconds / BILLING_GRANULARITY_S, 9)) * BILLING_GRANULARITY_S


@dataclass(frozen=True, kw_only=True)
class Compute:
    """A month of function time: vCPU-seconds and GiB-seconds, per function and in all."""

    vcpu_seconds: dict[str, float]
    gib_seconds: dict[str, float]

    @property
    def total_vcpu_seconds(self) -> float:
        """All functions' vCPU-seconds."""
        return sum(self.vcpu_seconds.values())

    @property
    def total_gib_seconds(self) -> float:
        """All functions' GiB-seconds."""
        return sum(self.gib_seconds.values())


def compute(totals: Totals, settings: Mapping[str, FunctionSettings]) -> Compute:
    """Each function's invocations × its billed median duration × its configured CPU and memory."""
    vcpu: dict[str, float] = {}
    gib: dict[str, float] = {}
    for name, calls in totals.invocations.items():
        config = settings_for(name, settings)
        busy = calls * billed_seconds(totals.seconds.get(name, 0.0))
        vcpu[name] = busy * config.cpu
        gib[name] = busy * config.memory_mib / 1024
    return Compute(vcpu_seconds=vcpu, gib_seconds=gib)


def http_invocations(totals: Totals) -> float:
    """Invocations that answer a person over HTTP (through Hosting): ``api`` and the callables,
    not the triggers and tasks."""
    return sum(
        calls for name, calls in totals.invocations.items() if name not in BACKGROUND_FUNCTIONS
    )


BACKGROUND_FUNCTIONS = frozenset(
    {
        "count_session_change",
        "recount_on_timezone_change",
        "register_upload",
        "analyzeSession",
        "sweep_analyses",
        "runDataExport",
        "runAccountDeletion",
        "end_overdue_live_sessions",
        "reconcile_statistics",
        "prune_notifications",
        "remove_old_videos",
        "remove_expired_exports",
    }
)


def monthly_cost(
    d: Deployment,
    actions: Mapping[str, Action],
    prices: Prices,
    settings: Mapping[str, FunctionSettings],
) -> list[ProductCost]:
    """What ``d`` costs a month (its ``horizon_months``-th: storage has grown), per product."""
    units = monthly_units(d)
    totals = monthly_totals(actions, units)
    c = totals.counts
    time = compute(totals, settings)
    fs = "firestore"
    firestore = ProductCost(
        product="Firestore",
        lines=(
            _line(
                prices,
                fs,
                "document reads (listener deliveries included)",
                c["firestore_reads"] + c["listener_deliveries"],
                "reads",
                "prices.reads_per_100k",
                100_000,
                "free.reads_per_day",
                DAYS_PER_MONTH,
            ),
            _line(
                prices,
                fs,
                "document writes",
                c["firestore_writes"],
                "writes",
                "prices.writes_per_100k",
                100_000,
                "free.writes_per_day",
                DAYS_PER_MONTH,
            ),
            _line(
                prices,
                fs,
                "document deletes",
                c["firestore_deletes"],
                "deletes",
                "prices.deletes_per_100k",
                100_000,
                "free.deletes_per_day",
                DAYS_PER_MONTH,
            ),
            _line(
                prices,
                fs,
                "stored data",
                c["firestore_writes"] * d.stored_bytes_per_write * d.horizon_months / GIB,
                "GiB",
                "prices.stored_gib_month",
                1,
                "free.stored_gib",
            ),
        ),
        note="free quota is daily; applied here as 30.4 days of it",
    )
    fn = "functions"
    responses = http_invocations(totals) * d.response_bytes
    functions = ProductCost(
        product="Cloud Functions (gen 2)",
        lines=(
            _line(
                prices,
                fn,
                "invocations",
                sum(totals.invocations.values()),
                "requests",
                "prices.requests_per_million",
                1_000_000,
                "free.requests_month",
            ),
            _line(
                prices,
                fn,
                "CPU",
                time.total_vcpu_seconds,
                "vCPU-s",
                "prices.vcpu_second",
                1,
                "free.vcpu_seconds_month",
            ),
            _line(
                prices,
                fn,
                "memory",
                time.total_gib_seconds,
                "GiB-s",
                "prices.gib_second",
                1,
                "free.gib_seconds_month",
            ),
        ),
        note="each invocation billed alone, its median rounded up to 100 ms (an upper bound)",
    )
    tasks = ProductCost(
        product="Cloud Tasks",
        lines=(
            _line(
                prices,
                "tasks",
                "operations (a create and a delivery per task)",
                2 * c["tasks_enqueued"],
                "operations",
                "prices.operations_per_million",
                1_000_000,
                "free.operations_month",
            ),
        ),
    )
    video_minutes = units.get("upload_per_minute", 0.0)
    exports = actions.get("export")
    export_bytes = units.get("export", 0.0) * (
        exports.count("storage_bytes_written") if exports else 0
    )
    stored = video_minutes * d.video_bytes_per_minute * d.horizon_months
    plays = video_minutes * d.plays_per_video_minute
    st = "storage"
    storage = ProductCost(
        product="Cloud Storage",
        lines=(
            _line(
                prices,
                st,
                "Standard storage (videos kept)",
                stored / GB,
                "GB-month",
                "prices.standard_gb_month",
                1,
                "free.standard_gb_month",
            ),
            _line(
                prices,
                st,
                "operations counted (all as Class A)",
                c["storage_operations"],
                "operations",
                "prices.class_a_per_1000",
                1000,
                "free.class_a_month",
            ),
            _line(
                prices,
                st,
                "video playback GETs (Class B)",
                plays * d.gets_per_play,
                "operations",
                "prices.class_b_per_1000",
                1000,
                "free.class_b_month",
            ),
            _line(
                prices,
                st,
                "egress (video plays, export downloads)",
                (plays * d.video_bytes_per_minute + export_bytes) / GB,
                "GB",
                "prices.egress_per_gb",
                1,
                "free.egress_gb_month",
            ),
        ),
        note="video bytes are the assumed phone video, not the harness's test clip",
    )
    app = d.people * d.app_bytes_per_person_week * WEEKS_PER_MONTH
    hosting = ProductCost(
        product="Firebase Hosting",
        lines=(
            _line(
                prices,
                "hosting",
                "stored (releases kept)",
                d.hosting_stored_bytes / GB,
                "GB",
                "prices.stored_gb_month",
                1,
                "free.stored_gb",
            ),
            _line(
                prices,
                "hosting",
                "transfer (the app, and API answers through Hosting)",
                (app + responses) / GB,
                "GB",
                "prices.transfer_per_gb",
                1,
                "free.transfer_mb_per_day",
                DAYS_PER_MONTH / 1000,
            ),
        ),
    )
    auth = ProductCost(
        product="Firebase Auth",
        lines=(
            _line(
                prices,
                "auth",
                "monthly active users",
                float(d.people),
                "MAU",
                "prices.mau_past_free",
                1,
                "free.mau",
            ),
        ),
        note="no price for users past the free tier was confirmed: not costed",
    )
    return [firestore, functions, tasks, storage, hosting, auth]


# --- where it bends ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Limit:
    """A documented limit and where it is written."""

    name: str
    value: float
    unit: str
    source: str
    confirmed: bool = True
    note: str = ""


LIMITS = {
    "document_writes": Limit(
        name="sustained writes to one document",
        value=1,
        unit="writes/s",
        source="https://firebase.google.com/docs/firestore/best-practices (Updates to a single "
        "document); the 1 per second figure of the earlier quotas page",
        note="a soft limit: contention, latency and aborted transactions past it",
    ),
    "sequential_index": Limit(
        name="writes to a collection with a sequentially indexed field (timestamps)",
        value=500,
        unit="writes/s",
        source="https://cloud.google.com/firestore/docs/best-practices (Index exemptions: "
        "high write rates to a collection with sequential values)",
    ),
    "ramp_up": Limit(
        name="500/50/5: a new collection or key range starts at 500 operations/s",
        value=500,
        unit="operations/s",
        source="https://cloud.google.com/firestore/docs/best-practices (Ramping up traffic); "
        "docs.cloud.google.com/firestore/docs/resolve-latency",
        note="then at most +50% every 5 minutes",
    ),
    "auth_lookups": Limit(
        name="Identity Toolkit (Auth Admin) account lookups per project",
        value=50,
        unit="lookups/s",
        source="not on the stored Firebase Auth limits page (firebase.google.com/docs/auth/limits "
        "lists no lookup rate); ~3,000 requests a minute from a third-party transcription "
        "(api-evangelist/google-identity-platform); the project's own quota is in the Cloud "
        "console (IAM > Quotas, Identity Toolkit API)",
        confirmed=False,
    ),
    "task_dispatch": Limit(
        name="Cloud Tasks dispatches per queue",
        value=500,
        unit="dispatches/s",
        source="Cloud Tasks API, RateLimits.max_dispatches_per_second: 'The maximum allowed value "
        "is 500' (cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues)",
    ),
    "max_instances": Limit(
        name="instances per function (gen 2 default maximum)",
        value=100,
        unit="instances",
        source="https://cloud.google.com/functions/docs/configuring/max-instances (default 100 "
        "for 2nd gen)",
    ),
    "storage_writes": Limit(
        name="object writes per bucket before it scales",
        value=1000,
        unit="writes/s",
        source="https://cloud.google.com/storage/docs/request-rate (initial IO capacity; ramp "
        "by doubling at most every 20 minutes, also per new key range)",
    ),
    "storage_reads": Limit(
        name="object reads per bucket before it scales",
        value=5000,
        unit="reads/s",
        source="https://cloud.google.com/storage/docs/request-rate",
    ),
}

# Documents every member of a burst writes (the busiest group's class, the busiest coach's
# roster), and how many documents those writes spread over (shards). Patterns are matched with
# their variables unnamed; one the meter did not see written counts 0.
CLASS_SHARED = {"groups/{}": 1, "sessions/{}": 1, "sessions/{}/live/{}": GATE_SHARDS}
# Documents a class's check-ins write through the count, which writes each at most once per
# SESSIONBASE_CHECK_IN_COUNT_SECONDS (its default; docs/decisions.md, "A class checking in").
# The gate's own document takes the claims of the counts, as often.
CLASS_COUNTED = frozenset({"groups/{}", "sessions/{}"})
COACH_SHARED = {
    "coachStats/{}": 1,
    "coachStats/{}/shards/{}": 10,
    "coachStats/{}/years/{}": 10,
    "coachStats/{}/events/{}": 10,
}
# What the design answers for each kind of limit (docs/decisions.md has the detail).
ANSWERS = {
    "class": "a check-in writes its attendance record and one of the gate's 8 shards; the "
    "session's presentCount and the group's activeSessions entry are counted at most once per "
    "SESSIONBASE_CHECK_IN_COUNT_SECONDS (2 s), by the one check-in that claimed the count on "
    "the gate (docs/decisions.md, 'A class checking in'). Past the limit, raise the interval "
    "or the shards",
    "coach": "coach counters are sharded over 10 documents by session id (docs/decisions.md, "
    "'Coach counters are sharded'); past 1/s per shard, raise the shard count",
    "sequential_index": "exempt the timestamp fields no query orders by (index exemptions), or "
    "prefix the indexed value with a shard; auditLog's `at` is queried, so it would need a "
    "sharded index field",
    "ramp_up": "ramp the launch: start below 500 operations/s and grow by at most half every 5 "
    "minutes (or pre-warm with synthetic traffic)",
    "auth_before": "before issue 28 every request looked the caller's Auth record up; now each "
    "instance keeps it for a window (docs/decisions.md, 'The caller's standing')",
    "auth_after": "one lookup per person per instance per cache window; revocations made through "
    "Sessionbase reach every instance at once through the revocation time read with the request; "
    "past the quota, SESSIONBASE_AUTH_RECORD_SECONDS=off makes none (console-only changes then "
    "reach the API when tokens expire, as they reach the security rules)",
    "tasks": "widen the queue with SESSIONBASE_ANALYSES_AT_ONCE (read at deploy: its "
    "max_concurrent_dispatches and analyzeSession's max instances, one analysis each; half as "
    "many start a second): the queue only delays, it never drops",
    "instances": "raise max_instances (a quota, can be increased) or concurrency per instance",
    "storage": "uploads go under per-session prefixes (sessions/{id}/video/...), which spreads "
    "keys; past the initial rate the bucket scales by itself if the rate doubles no faster than "
    "every 20 minutes",
}


@dataclass(frozen=True, kw_only=True)
class Check:
    """One limit against one figure of a deployment's busiest moment."""

    subject: str
    limit: Limit
    value: float
    answer: str
    at_launch: bool = False  # a limit met only while traffic ramps up, not at steady state

    @property
    def ratio(self) -> float:
        """The figure as a share of the limit (≥ 1: it bends)."""
        return self.value / self.limit.value if self.limit.value else 0.0

    @property
    def bends(self) -> bool:
        """Whether the figure reaches the limit."""
        return self.ratio >= 1


def peak_per_second(units_per_month: float, d: Deployment) -> float:
    """A monthly volume as a rate in the busiest hour."""
    return units_per_month / SECONDS_PER_MONTH * d.peak_factor


def _burst_rates(
    burst: Mapping[str, float],
    actions: Mapping[str, Action],
    seconds: float,
    shared: Mapping[str, int],
) -> dict[str, float]:
    """Writes per second to each shared document while ``burst`` (units of each action) lands
    within ``seconds``, per document (a sharded pattern's writes divided over its shards)."""
    written: dict[str, float] = {}
    for action_id, units in burst.items():
        action = actions.get(action_id)
        for pattern, n in (action.documents_written if action else {}).items():
            key = pattern_key(pattern)
            written[key] = written.get(key, 0.0) + n * units
    return {
        pattern: written[pattern] / seconds / spread
        for pattern, spread in shared.items()
        if written.get(pattern)
    }


def coach_burst(d: Deployment) -> dict[str, float]:
    """What a busy coach does after a training, per athlete of the roster: a session created,
    completed and its video analysed."""
    return {
        "session_create": d.busy_coach_roster,
        "session_update": d.busy_coach_roster,
        "upload_per_minute": d.busy_coach_roster * d.video_minutes_per_session,
    }


def deployed_instances(most: int) -> Limit:
    """A function's instance limit as deployed."""
    return replace(
        LIMITS["max_instances"],
        name="its max_instances as deployed (gen 2's default is 100)",
        value=most,
    )


def instances_needed(rate: float, seconds: float, per_instance: int) -> int:
    """Instances to serve ``rate`` requests/s of ``seconds`` each, ``per_instance`` at a time."""
    return math.ceil(rate * seconds / max(1, per_instance)) if rate > 0 else 0


def bends(
    d: Deployment,
    actions: Mapping[str, Action],
    settings: Mapping[str, FunctionSettings],
) -> list[Check]:
    """Every limit against the deployment's busiest hour, busiest group and busiest coach."""
    units = monthly_units(d)
    totals = monthly_totals(actions, units)
    checks: list[Check] = []
    # Documents one class writes at its start: a check-in each, the class within its window.
    class_rates = _burst_rates(
        {"class_30": d.busy_class_size / CHECK_INS_PER_CLASS_UNIT},
        actions,
        d.check_in_window_s,
        CLASS_SHARED,
    )
    check_in = actions.get("class_30")
    window = check_in.seconds.get("api", 0.0) if check_in else 0.0
    for pattern, rate in class_rates.items():
        if pattern in CLASS_COUNTED:
            written = min(rate, 1 / CHECK_IN_COUNT_DEFAULT)
            how = f"counted at most every {CHECK_IN_COUNT_DEFAULT:g} s; {rate:.2f}/s unthrottled"
        else:
            race = 1 - math.exp(-rate * window)
            written = rate
            how = (
                f"one of {CLASS_SHARED[pattern]} shards; a write conditioned on its read loses "
                f"the race in ~{race:.0%} of attempts, read to commit {window * 1000:.0f} ms"
            )
        checks.append(
            Check(
                subject=f"`{pattern}` of a class of {d.busy_class_size} checking in within "
                f"{d.check_in_window_s:.0f} s ({how})",
                limit=LIMITS["document_writes"],
                value=written,
                answer=ANSWERS["class"],
            )
        )
    coach_rates = _burst_rates(coach_burst(d), actions, d.coach_window_s, COACH_SHARED)
    for pattern, rate in coach_rates.items():
        checks.append(
            Check(
                subject=f"`{pattern}` (per document) of a coach whose {d.busy_coach_roster} "
                f"athletes each get a session created, completed and its video analysed "
                f"within {d.coach_window_s / 60:.0f} min",
                limit=LIMITS["document_writes"],
                value=rate,
                answer=ANSWERS["coach"],
            )
        )
    # Collections at the busiest hour: sequential index and the ramp-up rule.
    by_collection: dict[str, float] = {}
    for pattern, writes in totals.documents_written.items():
        collection = collection_of(pattern)
        by_collection[collection] = by_collection.get(collection, 0.0) + writes
    if by_collection:
        busiest, writes = max(sorted(by_collection.items()), key=lambda kv: kv[1])
        rate = peak_per_second(writes, d)
        checks.append(
            Check(
                subject=f"writes to `{busiest}` (the busiest collection) in the busiest hour",
                limit=LIMITS["sequential_index"],
                value=rate,
                answer=ANSWERS["sequential_index"],
            )
        )
    operations = sum(
        totals.counts[k] for k in ("firestore_reads", "firestore_writes", "firestore_deletes")
    )
    checks.append(
        Check(
            subject="Firestore operations in the busiest hour (a launch onto new collections)",
            limit=LIMITS["ramp_up"],
            value=peak_per_second(operations, d),
            answer=ANSWERS["ramp_up"],
            at_launch=True,
        )
    )
    # Auth lookups: before (one per request that signs a person in), after (the per-instance
    # cache), and what the meter counted with the code as it is.
    before = peak_per_second(http_invocations(totals), d)
    checks.append(
        Check(
            subject="Auth lookups in the busiest hour, one per API request (before)",
            limit=LIMITS["auth_lookups"],
            value=before,
            answer=ANSWERS["auth_before"],
        )
    )
    checks.append(
        Check(
            subject=f"Auth lookups in the busiest hour with a {d.auth_cache_window_s:.0f} s "
            "per-instance cache (after)",
            limit=LIMITS["auth_lookups"],
            value=auth_lookups_after(d, totals, settings),
            answer=ANSWERS["auth_after"],
        )
    )
    checks.append(
        Check(
            subject="Auth lookups in the busiest hour as counted (the code the meter ran)",
            limit=LIMITS["auth_lookups"],
            value=peak_per_second(totals.counts["auth_lookups"], d),
            answer=ANSWERS["auth_after"],
        )
    )
    checks.append(
        Check(
            subject="Auth lookups with SESSIONBASE_AUTH_RECORD_SECONDS=off (users/{uid} alone "
            "decides; its reads are in the counts)",
            limit=LIMITS["auth_lookups"],
            value=0.0,
            answer=ANSWERS["auth_after"],
        )
    )
    # The analysis queue: video minutes arriving against what its rate limits let through.
    analyze = settings_for("analyzeSession", settings)
    seconds = totals.seconds.get("analyzeSession", 0.0)
    calls = totals.invocations.get("analyzeSession", 0.0)
    if calls:
        arriving = peak_per_second(calls, d)
        per_s = analyze.dispatches_per_s or ANALYZE_MAX_DISPATCHES_PER_S
        at_once = analyze.dispatches_at_once or ANALYZE_MAX_CONCURRENT
        through = min(per_s, at_once / max(seconds, 1e-9))
        checks.append(
            Check(
                subject=f"analysis tasks arriving in the busiest hour against the queue's "
                f"{per_s:g}/s and {at_once} at once of {seconds:.1f} s each "
                f"({through:.2f}/s through; the hour leaves "
                f"{max(0.0, arriving - through) * 3600:,.0f} queued, "
                f"{max(0.0, arriving - through) * 3600 / through / 3600:.1f} h of work)",
                limit=replace(
                    LIMITS["task_dispatch"],
                    name="analyzeSession's own rate limits (handlers/analysis.py)",
                    value=through,
                    unit="tasks/s",
                    source="functions/sessionbase/handlers/analysis.py (RateLimits); the queue "
                    "itself allows up to 500/s (Cloud Tasks API)",
                ),
                value=arriving,
                answer=f"{ANSWERS['tasks']}; this hour needs about "
                f"{math.ceil(arriving * seconds)} at once",
            )
        )
        checks.append(
            Check(
                subject=f"analyzeSession instances at {analyze.memory_mib} MiB the busiest hour's "
                "analyses would keep busy, one task each",
                limit=deployed_instances(analyze.max_instances),
                value=float(instances_needed(arriving, seconds, 1)),
                answer=ANSWERS["tasks"],
            )
        )
    api = settings_for("api", settings)
    api_rate = peak_per_second(totals.invocations.get("api", 0.0), d)
    api_seconds = totals.seconds.get("api", 0.0)
    checks.append(
        Check(
            subject=f"`api` instances in the busiest hour if each request held a whole vCPU "
            f"({api_rate:.1f} requests/s of {api_seconds * 1000:.0f} ms; "
            f"{instances_needed(api_rate, api_seconds, api.concurrency)} at its concurrency "
            f"{api.concurrency})",
            limit=deployed_instances(api.max_instances),
            value=float(instances_needed(api_rate, api_seconds, 1)),
            answer=ANSWERS["instances"],
        )
    )
    # Storage: the busiest hour's object requests (the counted ones and video playback).
    plays = units.get("upload_per_minute", 0.0) * d.plays_per_video_minute * d.gets_per_play
    checks.append(
        Check(
            subject="object requests to the bucket in the busiest hour (counted + video GETs)",
            limit=LIMITS["storage_reads"],
            value=peak_per_second(totals.counts["storage_operations"] + plays, d),
            answer=ANSWERS["storage"],
        )
    )
    return checks


# The queue's rate limits when the settings carry none (handlers/analysis.py's RateLimits).
ANALYZE_MAX_DISPATCHES_PER_S = 5
ANALYZE_MAX_CONCURRENT = 10


def auth_lookups_after(
    d: Deployment, totals: Totals, settings: Mapping[str, FunctionSettings]
) -> float:
    """Auth lookups per second in the busiest hour with a per-instance cache: per visit, one per
    instance its requests land on per cache window it lasts, never more than one per request."""
    before = peak_per_second(http_invocations(totals), d)
    units = monthly_units(d)
    visits = peak_per_second(units.get("home_athlete", 0.0) + units.get("home_coach", 0.0), d)
    if visits <= 0:
        return before
    api = settings_for("api", settings)
    api_rate = peak_per_second(totals.invocations.get("api", 0.0), d)
    instances = max(1, instances_needed(api_rate, totals.seconds.get("api", 0.0), api.concurrency))
    per_visit = max(1.0, api_rate / visits)
    windows = math.ceil(d.visit_s / d.auth_cache_window_s)
    return min(before, visits * min(per_visit, min(float(instances), per_visit) * windows))


def first_bend(checks: Iterable[Check]) -> Check | None:
    """The steady-state check furthest past its limit, or None when nothing bends (a launch's
    ramp-up is shown, not ranked: a deployment that grows by itself never meets it)."""
    bent = [c for c in checks if c.bends and not c.at_launch]
    return max(bent, key=lambda c: c.ratio) if bent else None


def hot_documents(checks: Iterable[Check]) -> list[Check]:
    """The per-document checks written more than once per second."""
    return [c for c in checks if c.limit.unit == "writes/s" and c.limit.value == 1 and c.bends]
