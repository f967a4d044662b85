"""Requests for the adapter tests, built as the Functions framework hands them to a handler.

Test modules import this as ``tests.adapter.request_builder``, never ``from conftest import``:
several tiers have a conftest.py, and a bare ``conftest`` is whichever of them was loaded first.
"""

from __future__ import annotations

from typing import Any

from werkzeug.test import EnvironBuilder


def build_request(method: str, path: str, **kwargs: Any):
    """A flask Request as the Functions framework hands it to a handler."""
    from flask import Request

    return Request(EnvironBuilder(method=method, path=path, **kwargs).get_environ())
