"""Deployed Cloud Functions of the pose codebase (firebase.json, codebase ``pose``): ``pose_api``
and ``analyzeSession``.

This folder deploys apart from ``functions/`` because the pose model (mediapipe 0.10.14) needs
protobuf < 5, which the API's Google clients refuse (docs/decisions.md, "Where the pose model
runs"). ``sessionbase`` here is a symbolic link to ``../functions/sessionbase``: one package, two
venvs. Which functions are here is ``sessionbase/handlers/exports.py``'s ``POSE_HANDLERS``; an
instance loads only its own (``FUNCTION_TARGET``), so ``pose_api`` never imports the analysis
pipeline (docs/decisions.md, "The pose codebase").
"""

import os

from sessionbase.handlers import logs
from sessionbase.handlers.exports import exported_pose

logs.install()  # our log records as structured JSON lines (Cloud Logging)
globals().update(exported_pose(os.environ.get("FUNCTION_TARGET")))
