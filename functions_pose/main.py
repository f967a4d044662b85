"""Deployed Cloud Functions of the pose codebase (firebase.json, codebase ``pose``): ``pose_api``
and ``analyzeSession``.

This folder deploys apart from ``functions/`` because the pose model (mediapipe 0.10.14) needs
protobuf < 5, which the API's Google clients refuse (docs/decisions.md, "Where the pose model
runs"). ``sessionbase`` here is a symbolic link to ``../functions/sessionbase``: one package, two
venvs. Which functions are here is ``sessionbase/handlers/exports.py``'s ``POSE_HANDLERS``; an
instance loads only its own (``FUNCTION_TARGET``), so ``pose_api`` never imports the analysis
pipeline (docs/decisions.md, "The pose codebase").

Settings (docs/decisions.md, "Function settings"): set before any handler is declared; each
function's declaration adds its memory and timeout (measured).
"""

import os

from firebase_functions import options

from sessionbase.handlers import logs
from sessionbase.handlers.exports import exported_pose

# One request at a time per instance: the model runs one photo or frame at a time under a lock
# (pose_model.py) and is CPU-bound, so a second request would only wait behind the first, and
# two 24 MP photos decoded at once would double the measured peak; instances scale out instead.
options.set_global_options(
    cpu=1,  # explicit: set_global_options' own default (gcf_gen1) is a fraction of a vCPU
    concurrency=1,
    min_instances=0,  # the model loads on first use; an idle instance would cost all month
    max_instances=20,  # bounds CPU cost (analyzeSession: SESSIONBASE_ANALYSES_AT_ONCE)
)
os.environ.setdefault("THREADS", "1")  # one request at a time: one server thread

logs.install()  # our log records as structured JSON lines (Cloud Logging)
globals().update(exported_pose(os.environ.get("FUNCTION_TARGET")))
