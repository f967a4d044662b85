"""Deployed Cloud Functions of the pose codebase (firebase.json, codebase ``pose``): ``pose_api``.

This folder deploys apart from ``functions/`` because the pose model (mediapipe 0.10.14) needs
protobuf < 5, which the API's Google clients refuse (docs/decisions.md, "Where the pose model
runs"). ``sessionbase`` here is a symbolic link to ``../functions/sessionbase``: one package, two
venvs; this codebase imports only the pose handler and what it needs (docs/decisions.md, "The pose
codebase").
"""

from sessionbase.handlers.pose import pose_api

__all__ = ["pose_api"]
