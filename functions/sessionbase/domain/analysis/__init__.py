"""Video analysis decisions (DESIGN.md §5), one module per capability of ``services/analysis/``.

- ``jobs``: a job as a state machine (each move only goes forward), the session it belongs to,
  and a ``Step``: a move together with the ``SessionChange`` it makes, which the services write
  as they are;
- ``uploads``: object paths and ids, upload checks, what a new upload does to its session;
- ``callback``: what the analysis backend's callback does to a job and its session;
- ``sweep``: when a job counts as stuck, and the sweep's move for it.

Pure: no I/O. The finalize trigger, the ``analyze_session`` task, the backend callback and the
sweep all write a job only through the moves here. Nothing is re-exported: import the module.
"""
