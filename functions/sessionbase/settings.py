"""Deployment settings in one place: ``firebase_functions.params``, read when a request needs them.

Set them in ``functions/.env`` (or ``.env.<project>``) before ``firebase deploy``; the emulator
reads the same files. Defaults are safe: without configuration, browsers may call the REST API
only from the project's own Hosting origins, except under the emulator, where any origin may.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from firebase_functions import params

if TYPE_CHECKING:
    from sessionbase.domain.limits import Limit

CORS_ORIGINS = params.ListParam(
    "SESSIONBASE_CORS_ORIGINS",
    default=[],
    description="Origins allowed to call /api/** from a browser (comma-separated; * for any).",
)
BUCKET = params.StringParam(
    "SESSIONBASE_BUCKET",
    default="",
    description="The Cloud Storage bucket for uploads (default: the project's default bucket).",
)
INVITATION_DAYS = params.IntParam(
    "SESSIONBASE_INVITATION_DAYS",
    default=30,
    description="Days an invitation stays open after it is sent or resent (1 to 365).",
)
NOTIFICATION_DAYS = params.IntParam(
    "SESSIONBASE_NOTIFICATION_DAYS",
    default=90,
    description="Days a notification stays in its person's inbox before it is pruned (1 to 3650).",
)
PUSH = params.StringParam(
    "SESSIONBASE_PUSH",
    default="off",
    description="on: send web push (Firebase Cloud Messaging) to registered devices; off: do not.",
)
APP_URL = params.StringParam(
    "SESSIONBASE_APP_URL",
    default="",
    description="The web app's address, for links in e-mail (default: the project's web.app site).",
)
# The analysis backend's key is a secret param declared only with a backend (``analysis_secrets``):
# firebase deploy asks for every declared secret, used or not.
ANALYSIS_SECRET = "SESSIONBASE_ANALYSIS_SECRET"
# The analysis backend's settings are plain environment variables (functions/.env), not params:
# the Functions emulator sets every declared param to its resolved value, hiding a value the
# environment of `firebase emulators:exec` gives (docs/decisions.md, "Analysis").
ANALYSIS_BACKEND_URL = "SESSIONBASE_ANALYSIS_BACKEND_URL"  # empty: the built-in analyzer
CALLBACK_URL = "SESSIONBASE_CALLBACK_URL"  # default: the Hosting site's callback
ANALYSIS_RETRY_SECONDS = "SESSIONBASE_ANALYSIS_RETRY_SECONDS"  # first retry's delay, default 30
DEFAULT_PROJECT = "demo-sessionbase"


def project_id() -> str:
    """The Firebase project id (set by the runtime and by the emulators)."""
    for name in ("GCLOUD_PROJECT", "GOOGLE_CLOUD_PROJECT"):
        if os.environ.get(name):
            return os.environ[name]
    return DEFAULT_PROJECT


def in_emulator() -> bool:
    """True inside the Functions emulator (firebase-tools sets ``FUNCTIONS_EMULATOR``)."""
    return os.environ.get("FUNCTIONS_EMULATOR") == "true"


def refuse_emulators_when_deployed(environ: Mapping[str, str] = os.environ) -> None:
    """Refuse to start a deployed function told to use an emulator.

    ``FIRESTORE_EMULATOR_HOST`` and its siblings make the Admin SDK trust unsigned tokens
    (Auth) and send data to a local, unauthenticated server. A deployed instance (``K_SERVICE``
    set by Cloud Run) with one of them in its environment (a stray ``functions/.env`` line)
    must not serve requests; the Functions emulator sets ``K_SERVICE`` too, and
    ``FUNCTIONS_EMULATOR``.
    """
    if not environ.get("K_SERVICE") or environ.get("FUNCTIONS_EMULATOR") == "true":
        return
    hosts = sorted(name for name in environ if name.endswith("_EMULATOR_HOST"))
    if hosts:
        raise RuntimeError(
            f"A deployed function must not use the emulators: unset {', '.join(hosts)} "
            "(functions/.env) and deploy again."
        )


def cors_origins() -> str | list[str]:
    """Origins allowed to call the REST API from a browser.

    ``SESSIONBASE_CORS_ORIGINS`` if set (``*`` allows any origin: requests authenticate with a
    Bearer token, never cookies); otherwise any origin under the emulator, and in production only
    the project's Hosting origins, so a deployment never opens up by accident.
    """
    origins = [origin.strip() for origin in CORS_ORIGINS.value if origin.strip()]
    if origins:
        return "*" if origins == ["*"] else origins
    if in_emulator():
        return "*"
    project = project_id()
    return [f"https://{project}.web.app", f"https://{project}.firebaseapp.com"]


def bucket_name() -> str:
    """The upload bucket: ``SESSIONBASE_BUCKET``, else the project's default bucket."""
    if BUCKET.value:
        return BUCKET.value
    try:
        configured = json.loads(os.environ.get("FIREBASE_CONFIG", "{}")).get("storageBucket")
    except ValueError:
        configured = None
    return configured or f"{project_id()}.appspot.com"


def trigger_bucket() -> str | None:
    """The bucket the finalize trigger watches, when deploying: ``SESSIONBASE_BUCKET`` if set,
    else None (the SDK's default bucket), else the project's ``appspot.com`` bucket when the
    Firebase config is unknown (loading the functions outside a deploy or an emulator)."""
    if os.environ.get("SESSIONBASE_BUCKET"):
        return os.environ["SESSIONBASE_BUCKET"]
    if os.environ.get("FIREBASE_CONFIG"):
        return None
    return f"{project_id()}.appspot.com"


def analysis_backend_url() -> str:
    """The analysis backend's URL, or "" for the built-in analyzer."""
    return os.environ.get(ANALYSIS_BACKEND_URL, "").strip()


class InvalidConfiguration(RuntimeError):
    """A setting that must not be served with; the message names the variable."""


def invitation_lifetime() -> timedelta:
    """How long an invitation stays open after it is sent or resent: ``SESSIONBASE_INVITATION_DAYS``
    days (default 30). Raises ``InvalidConfiguration``, naming the variable, outside 1 to 365."""
    return _days(INVITATION_DAYS, most=365)


def notification_lifetime() -> timedelta:
    """How long a notification is kept: ``SESSIONBASE_NOTIFICATION_DAYS`` days (default 90).
    Raises ``InvalidConfiguration``, naming the variable, outside 1 to 3650."""
    return _days(NOTIFICATION_DAYS, most=3650)


def _days(param: params.IntParam, *, most: int) -> timedelta:
    """A whole number of days from 1 to ``most``, else ``InvalidConfiguration`` naming it."""
    try:
        days = param.value
    except ValueError:
        raise InvalidConfiguration(f"{param.name} must be a whole number of days.") from None
    if not 1 <= days <= most:
        raise InvalidConfiguration(f"{param.name} must be between 1 and {most} days, not {days}.")
    return timedelta(days=days)


# Per-person rate limits (domain/limits.py), e.g. invitations=20/h,exports=1/d (names: uploads,
# invitations, poses, exports, reports; windows m, h, d); empty: the defaults. A plain environment
# variable, not a param: the Functions emulator overrides a declared param with its resolved
# value, and the test suite raises the limits for its many requests by one person.
RATE_LIMITS = "SESSIONBASE_RATE_LIMITS"
ENFORCE_APP_CHECK = params.BoolParam(
    "SESSIONBASE_ENFORCE_APP_CHECK",
    default=False,
    description="Callables refuse requests without a valid App Check token (off by default).",
)


def rate_limits() -> dict[str, Limit]:
    """The rate limits (``domain/limits.py``'s defaults with ``SESSIONBASE_RATE_LIMITS``'s
    overrides); raises ``InvalidConfiguration`` naming the variable when it cannot be read."""
    from sessionbase.domain.limits import parse_limits

    try:
        return parse_limits(os.environ.get(RATE_LIMITS, ""))
    except ValueError as error:
        raise InvalidConfiguration(f"{RATE_LIMITS}: {error}") from None


def enforce_app_check() -> bool:
    """``SESSIONBASE_ENFORCE_APP_CHECK``: whether callables require App Check (read when the
    callables are built, at import: it is a deploy-time choice)."""
    value = os.environ.get(ENFORCE_APP_CHECK.name, "").strip().lower()
    return value in ("true", "1", "on", "yes")


def push_enabled() -> bool:
    """True when ``SESSIONBASE_PUSH`` is ``on`` (off by default: the messaging API cannot be
    reached offline, and a deployment sends push only once it has set up web push)."""
    return PUSH.value.strip().lower() == "on"


def app_url() -> str:
    """The web app's origin for links in e-mail: ``SESSIONBASE_APP_URL``, else the project's
    default Hosting site."""
    return APP_URL.value.strip().rstrip("/") or f"https://{project_id()}.web.app"


def analysis_backend_configured() -> bool:
    """True when an analysis backend is configured (``SESSIONBASE_ANALYSIS_BACKEND_URL``).

    Read at deploy too: only then is the callback function deployed and the secret declared."""
    return bool(analysis_backend_url())


def analysis_secrets() -> list[params.SecretParam]:
    """The secrets a function of the analysis backend holds: none without a backend (and then
    the secret is not declared at all, so deploy does not ask for it)."""
    return [_analysis_secret_param()] if analysis_backend_configured() else []


@functools.cache
def _analysis_secret_param() -> params.SecretParam:
    return params.SecretParam(
        ANALYSIS_SECRET,
        description=(
            "The HMAC key shared with the analysis backend (signs requests and callbacks): the "
            "current key, or 'current,previous' during a rotation; each at least 32 characters."
        ),
    )


def analysis_keys() -> tuple[str, ...]:
    """The keys shared with the analysis backend, the current one first (signs what we send),
    then the previous one during a rotation (also accepted on callbacks).

    Raises ``InvalidConfiguration`` naming ``SESSIONBASE_ANALYSIS_SECRET`` when it is missing,
    holds more than two keys, or a key is weak (``domain/signatures.py: weakness``)."""
    return parse_analysis_keys(os.environ.get(ANALYSIS_SECRET, ""))


def parse_analysis_keys(value: str) -> tuple[str, ...]:
    """``SESSIONBASE_ANALYSIS_SECRET``'s keys: ``current`` or ``current,previous``."""
    from sessionbase.domain.signatures import weakness

    name = ANALYSIS_SECRET
    keys = tuple(key.strip() for key in value.split(",")) if value.strip() else ()
    if not keys:
        raise InvalidConfiguration(
            f"{name} is not set: an analysis backend ({ANALYSIS_BACKEND_URL}) needs the key it "
            "shares (firebase functions:secrets:set)."
        )
    if len(keys) > 2:
        raise InvalidConfiguration(
            f"{name} holds {len(keys)} keys; give the current key, or 'current,previous' "
            "during a rotation."
        )
    if len(keys) == 2 and keys[0] == keys[1]:
        raise InvalidConfiguration(f"{name}: the previous key is the current key.")
    for role, key in zip(("current", "previous"), keys, strict=False):
        problem = weakness(key)
        if problem is not None:
            raise InvalidConfiguration(
                f"{name}: the {role} key {problem}. Make one with `openssl rand -hex 32`."
            )
    return keys


def refuse_weak_analysis_keys(environ: Mapping[str, str] = os.environ) -> None:
    """Refuse to start a function of a configured analysis backend whose key is missing or weak
    (``InvalidConfiguration``, naming the variable): such a function would sign and accept
    callbacks with a key that can be guessed. Without a backend there is nothing to check."""
    if environ.get(ANALYSIS_BACKEND_URL, "").strip():
        parse_analysis_keys(environ.get(ANALYSIS_SECRET, ""))


def callback_url() -> str:
    """The callback URL given to the analysis backend."""
    configured = os.environ.get(CALLBACK_URL, "").strip()
    return configured or f"https://{project_id()}.web.app/api/analysis/callback"


def analysis_retry_seconds() -> int:
    """Seconds before Cloud Tasks first retries a failed analysis attempt (read at deploy)."""
    value = os.environ.get(ANALYSIS_RETRY_SECONDS, "").strip()
    return int(value) if value.isdigit() else 30


# ---- issue 27: download my data, video retention ----------------------------------------------
VIDEO_RETENTION_DAYS = params.StringParam(
    "SESSIONBASE_VIDEO_RETENTION_DAYS",
    default="",
    description=(
        "Days a session's video is kept after it landed before the daily schedule deletes it "
        "(1 to 3650); empty or off: kept for ever."
    ),
)


def video_retention_days() -> int | None:
    """``SESSIONBASE_VIDEO_RETENTION_DAYS``: None when off (empty, ``off``, ``0``); raises
    ``InvalidConfiguration``, naming the variable, unless a whole number from 1 to 3650."""
    text = VIDEO_RETENTION_DAYS.value.strip().lower()
    if text in ("", "off", "0"):
        return None
    name = VIDEO_RETENTION_DAYS.name
    if not text.isdigit():
        raise InvalidConfiguration(f"{name} must be a whole number of days, or off.")
    days = int(text)
    if not 1 <= days <= 3650:
        raise InvalidConfiguration(f"{name} must be between 1 and 3650 days, not {days}.")
    return days


# ---- issue 27: deleting an account ---------------------------------------------------------------
ACCOUNT_DELETION_SECONDS = params.IntParam(
    "SESSIONBASE_ACCOUNT_DELETION_SECONDS",
    default=60,
    description=(
        "Seconds one run of an account deletion works before it queues the next run (5 to 240; "
        "the task function's timeout is 300)."
    ),
)


def account_deletion_budget() -> timedelta:
    """``SESSIONBASE_ACCOUNT_DELETION_SECONDS`` (default 60): how long one run of an account
    deletion works; raises ``InvalidConfiguration``, naming the variable, outside 5 to 240."""
    try:
        seconds = ACCOUNT_DELETION_SECONDS.value
    except ValueError:
        raise InvalidConfiguration(
            f"{ACCOUNT_DELETION_SECONDS.name} must be a whole number of seconds."
        ) from None
    if not 5 <= seconds <= 240:
        raise InvalidConfiguration(
            f"{ACCOUNT_DELETION_SECONDS.name} must be between 5 and 240 seconds, not {seconds}."
        )
    return timedelta(seconds=seconds)


# ---- issue 28: the caller's Auth record, per instance -----------------------------------------
# A plain environment variable (as SESSIONBASE_RATE_LIMITS): read per request, not a param.
AUTH_RECORD_SECONDS = "SESSIONBASE_AUTH_RECORD_SECONDS"
AUTH_RECORD_MOST = 300


def auth_record_seconds() -> float | None:
    """``SESSIONBASE_AUTH_RECORD_SECONDS`` (default 30, 0 to 300, or ``off``): how long an
    instance keeps a user's Auth record, so how long a change made only in the console (disable,
    delete, revoke, a claim) may take to reach the API. 0: looked up for every request. ``off``
    (None): never looked up: ``users/{uid}`` alone decides, and a console-only change reaches the
    API when the user's tokens expire, as it reaches the security rules. Raises
    ``InvalidConfiguration``, naming the variable, for anything else."""
    text = os.environ.get(AUTH_RECORD_SECONDS, "").strip().lower()
    if not text:
        return 30.0
    if text == "off":
        return None
    if not text.isdigit() or int(text) > AUTH_RECORD_MOST:
        raise InvalidConfiguration(
            f"{AUTH_RECORD_SECONDS} must be a whole number of seconds from 0 to "
            f"{AUTH_RECORD_MOST}, or off."
        )
    return float(text)


# ---- issue 28: a class checking in --------------------------------------------------------------
# A plain environment variable, read per request: how often a live session's count of check-ins
# is written to its session and group documents (docs/decisions.md, "A class checking in").
CHECK_IN_COUNT_SECONDS = "SESSIONBASE_CHECK_IN_COUNT_SECONDS"
CHECK_IN_COUNT_DEFAULT = 2.0
CHECK_IN_COUNT_MOST = 10.0  # a check-in may wait this long, well inside the 60 s timeout


def check_in_count_seconds() -> timedelta:
    """``SESSIONBASE_CHECK_IN_COUNT_SECONDS`` (default 2, 0 to 10, decimals allowed): the least
    time between two counts of a live session's check-ins. Firestore sustains about one write a
    second to a document, and a class checking in at once would write its group's more often;
    during a rush one check-in an interval waits to make the next count. 0: every check-in
    counts at once. Raises ``InvalidConfiguration``, naming the variable, for anything else."""
    text = os.environ.get(CHECK_IN_COUNT_SECONDS, "").strip()
    if not text:
        return timedelta(seconds=CHECK_IN_COUNT_DEFAULT)
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= CHECK_IN_COUNT_MOST:  # also refuses nan
        raise InvalidConfiguration(
            f"{CHECK_IN_COUNT_SECONDS} must be a number of seconds from 0 to "
            f"{CHECK_IN_COUNT_MOST:g}."
        )
    return timedelta(seconds=seconds)


# ---- issue 28: the analysis queue's width ------------------------------------------------------
# Read when the functions are deployed (the task queue's rate limits and the function's instances).
ANALYSES_AT_ONCE = "SESSIONBASE_ANALYSES_AT_ONCE"
ANALYSES_AT_ONCE_DEFAULT = 10
ANALYSES_AT_ONCE_MOST = 1000


def analyses_at_once() -> int:
    """``SESSIONBASE_ANALYSES_AT_ONCE`` (default 10, 1 to 1,000): how many analyses the queue
    runs at once (its ``max_concurrent_dispatches``, and ``analyzeSession``'s instances, one
    analysis each). A minute of video takes about 17 s of one vCPU (docs/capacity.md), so 10
    analyse about 35 minutes of video a minute; docs/capacity.md says when a deployment needs
    more. Raises ``InvalidConfiguration``, naming the variable, for anything else."""
    text = os.environ.get(ANALYSES_AT_ONCE, "").strip()
    if not text:
        return ANALYSES_AT_ONCE_DEFAULT
    if not text.isdigit() or not 1 <= int(text) <= ANALYSES_AT_ONCE_MOST:
        raise InvalidConfiguration(
            f"{ANALYSES_AT_ONCE} must be a whole number from 1 to {ANALYSES_AT_ONCE_MOST}."
        )
    return int(text)
