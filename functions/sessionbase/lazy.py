"""Submodules imported on first attribute access (PEP 562), so that the operation table can refer
to services and models as objects while an instance imports only what its requests run.

A package opts in with::

    if TYPE_CHECKING:
        from sessionbase.services import sessions  # what mypy and an editor follow
    else:
        __getattr__ = lazy.submodules(__name__)  # what runs

mypy sees only the imports, so a misspelt module or attribute is a type error; at run time
``services.sessions`` imports ``sessionbase.services.sessions`` the first time it is reached.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType


def submodules(package: str) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` for ``package`` that imports the submodule it is asked for."""

    def __getattr__(name: str) -> ModuleType:  # noqa: N807 (the name PEP 562 looks up)
        if name.startswith("__"):  # dunder probes (``__path__``, ``__wrapped__``) are not modules
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{package}.{name}":
                raise  # the submodule exists and failed to import something of its own
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    return __getattr__
