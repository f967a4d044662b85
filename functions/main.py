"""Deployed Cloud Functions: ``api``, one callable per API operation, triggers and schedules.

The deployed function id is the exported name. Which names exist, and where each one lives, is
``sessionbase/handlers/exports.py``; a function instance loads only its own (``FUNCTION_TARGET``).

Every function's settings (memory, CPU, requests at once, instances, timeout) are the defaults
below unless its declaration names its own; each value's reason is in docs/decisions.md,
"Function settings". They must be set before any handler is declared: a declaration copies them.
"""

import os

from firebase_functions import options

from sessionbase.handlers import logs
from sessionbase.handlers.exports import exported

# Requests one instance serves at once. The handlers are thread-safe (one Firestore client and
# one firebase_admin app per process, locked pools and caches), and a request mostly waits on
# Firestore and Auth, so one vCPU serves several; the Functions Framework's server gets as many
# threads (its default is 4 per vCPU, and a request beyond its threads would queue unseen).
REQUESTS_AT_ONCE = 8
options.set_global_options(
    memory=options.MemoryOption.MB_512,  # ~140 MB measured in an api instance; reports too
    cpu=1,  # explicit: set_global_options' own default (gcf_gen1) is a fraction, concurrency 1
    concurrency=REQUESTS_AT_ONCE,
    min_instances=0,  # a cold start costs ~1.1x the SDK's own imports (bench.sh cold_start)
    max_instances=100,  # a ceiling on cost and on what a runaway client can make us spend
    timeout_sec=60,
)
os.environ.setdefault("THREADS", str(REQUESTS_AT_ONCE))  # read by the server after this import

logs.install()  # our log records as structured JSON lines (Cloud Logging)
globals().update(exported(os.environ.get("FUNCTION_TARGET")))
