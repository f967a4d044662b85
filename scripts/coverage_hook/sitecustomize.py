"""Start coverage in the Functions emulator's Python workers when scripts/test.sh asks for it.

scripts/test.sh puts this folder and a coverage install (.cache/coverage-lib, made by
scripts/setup.sh) on the PYTHONPATH of the emulator suite only: functions/venv and what deploys
stay without coverage. Python imports ``sitecustomize`` at start-up; coverage starts when
COVERAGE_PROCESS_START names its configuration (pyproject.toml), and saves its data when the
worker exits, on SIGTERM included.
"""

import os

if os.environ.get("COVERAGE_PROCESS_START"):
    import coverage

    coverage.process_startup()
