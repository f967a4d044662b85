"""Start-up hooks of the Functions emulator's Python workers (dev tooling, never deployed).

scripts/test.sh and scripts/bench.sh put this folder on the PYTHONPATH of the emulator suite only:
functions/venv and what deploys stay without it. Python imports ``sitecustomize`` at start-up
(only one such module is imported, so both hooks live here):

- **coverage**, when COVERAGE_PROCESS_START names its configuration (pyproject.toml; scripts/
  test.sh also puts a coverage install, .cache/coverage-lib, on the path): it saves its data
  when the worker exits, on SIGTERM included;
- **the capacity meter**, when SESSIONBASE_METER names a folder and the process is a Functions
  worker (FUNCTION_TARGET set): devtools/meter.py, loaded from its file so that the worker's
  import path stays as deployed, counts what the worker does (docs/capacity.md, "How it counts").
"""

import os

if os.environ.get("COVERAGE_PROCESS_START"):
    import coverage

    coverage.process_startup()

if os.environ.get("SESSIONBASE_METER") and os.environ.get("FUNCTION_TARGET"):
    import importlib.util

    _file = os.path.join(os.path.dirname(__file__), "..", "..", "devtools", "meter.py")
    _spec = importlib.util.spec_from_file_location("sessionbase_meter", _file)
    if _spec is not None and _spec.loader is not None:
        _meter = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(_meter)
        _meter.install()
