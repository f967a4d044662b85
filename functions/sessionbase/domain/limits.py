"""Rate limits: how often one person may run an operation that costs money or can be abused.

Each limit counts one person's uses in fixed windows (the hour or the day a use falls in, UTC).
Over the limit, a request is refused with 429 ``resource-exhausted`` and ``Retry-After`` (the
seconds until the window ends) before it does anything. ``SESSIONBASE_RATE_LIMITS`` overrides the
defaults (``settings.rate_limits``): ``invitations=20/h,exports=1/d``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sessionbase.errors import ResourceExhausted

WINDOWS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


@dataclass(frozen=True)
class Limit:
    """At most ``most`` uses per ``window`` of what ``name`` counts, for one person."""

    name: str
    most: int
    window: timedelta
    what: str  # in the refusal: "invitations sent", "photos analysed"

    def window_at(self, now: datetime) -> tuple[datetime, datetime]:
        """The window ``now`` falls in: its start and end."""
        seconds = int(self.window.total_seconds())
        start = datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)
        return start, start + self.window


# The defaults, per person: generous for a real user, bounded for a runaway client.
DEFAULTS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("uploads", 60, WINDOWS["h"], "upload URLs"),
        Limit("invitations", 50, WINDOWS["h"], "invitations sent (each mails someone)"),
        Limit("poses", 300, WINDOWS["h"], "photos analysed"),
        Limit("exports", 5, WINDOWS["d"], "data exports"),
        Limit("reports", 60, WINDOWS["h"], "reports made"),
    )
}


def parse_limits(text: str) -> dict[str, Limit]:
    """The defaults with ``name=N/window`` overrides (window ``m``, ``h`` or ``d``); raises
    ValueError naming the part it cannot read."""
    limits = dict(DEFAULTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, rule = part.partition("=")
        most, _, unit = rule.strip().partition("/")
        name = name.strip()
        if name not in DEFAULTS or unit.strip() not in WINDOWS or not most.strip().isdigit():
            raise ValueError(
                f"{part!r}: expected name=N/m|h|d with a name among {', '.join(sorted(DEFAULTS))}"
            )
        limits[name] = Limit(name, int(most), WINDOWS[unit.strip()], DEFAULTS[name].what)
    return limits


def require_within(limit: Limit, used: int, cost: int, now: datetime) -> None:
    """Refuse a use of ``cost`` units when the window's ``used`` ones leave no room for it."""
    if used + cost <= limit.most:
        return
    _, end = limit.window_at(now)
    retry = max(1, int((end - now).total_seconds()) + 1)
    raise ResourceExhausted(
        f"Too many {limit.what}: at most {limit.most} per {_spoken(limit.window)}. "
        f"Try again in {retry} s.",
        retry_after=retry,
    )


def _spoken(window: timedelta) -> str:
    return {WINDOWS["m"]: "minute", WINDOWS["h"]: "hour", WINDOWS["d"]: "day"}.get(
        window, str(window)
    )
