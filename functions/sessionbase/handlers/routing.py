"""A small method + path router for the REST function behind the Hosting rewrite ``/api/**``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, kw_only=True)
class Route(Generic[T]):
    """One endpoint: ``method``, a path template such as ``/api/sessions/{sessionId}``, a target."""

    method: str
    template: str
    pattern: re.Pattern[str]
    target: T


class Router(Generic[T]):
    """Matches requests to targets in registration order (register literal paths first)."""

    def __init__(self) -> None:
        self.routes: list[Route[T]] = []

    def add(self, method: str, template: str, target: T) -> None:
        """Register ``target`` for ``method template``."""
        regex = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", template) + "/?$"
        self.routes.append(
            Route(method=method, template=template, pattern=re.compile(regex), target=target)
        )

    def match(self, method: str, path: str) -> tuple[Route[T], dict[str, str]] | None:
        """The route for this request and its path parameters, or None."""
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None
