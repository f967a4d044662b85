"""models/base.py: no model builds its validator at import (cold start)."""

from __future__ import annotations

import importlib
import pkgutil

from pydantic import BaseModel

import sessionbase.models


def test_every_model_is_built_on_first_use_not_at_import():
    """A model without ``defer_build`` builds its validator when its module is imported: the
    plain ``BaseModel`` pieces (``XFields``, nested objects) cost about 20 ms of imports, though
    only their subclasses validate. Derive from the bases in models/base.py."""
    modules = [
        importlib.import_module(f"sessionbase.models.{module.name}")
        for module in pkgutil.iter_modules(sessionbase.models.__path__)
    ]
    eager = {
        cls.__qualname__
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls is not BaseModel
        and not cls.model_config.get("defer_build")
    }
    assert eager == set()
