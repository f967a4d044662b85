"""Deployed Cloud Functions: ``api``, one callable per API operation, triggers and schedules.

The deployed function id is the exported name. Which names exist, and where each one lives, is
``sessionbase/handlers/exports.py``; a function instance loads only its own (``FUNCTION_TARGET``).
"""

import os

from sessionbase.handlers import logs
from sessionbase.handlers.exports import exported

logs.install()  # our log records as structured JSON lines (Cloud Logging)
globals().update(exported(os.environ.get("FUNCTION_TARGET")))
