"""The analysis pipeline (DESIGN.md §4-5), one module per capability.

- ``uploads``: upload URLs, and an object landing in the bucket (a video queued for analysis,
  an attachment registered or rejected);
- ``jobs``: moving a job forward, and the ``analyze_session`` task (the built-in analyzer, or
  the analysis backend);
- ``callback``: the analysis backend's signed callback;
- ``sweep``: stuck jobs sent again or failed, lost uploads picked up.

No module is imported here: an instance imports only the modules its function runs (cold
start); ``services.analysis.uploads`` imports its module when first reached (``lazy``).
"""

from typing import TYPE_CHECKING

from sessionbase import lazy

if TYPE_CHECKING:
    from sessionbase.services.analysis import callback, jobs, sweep, uploads
else:
    __getattr__ = lazy.submodules(__name__)

__all__ = ["callback", "jobs", "sweep", "uploads"]
