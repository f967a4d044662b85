"""A small method + path router for the REST function behind the Hosting rewrite ``/api/**``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, kw_only=True)
class Route:
    """One endpoint: ``method`` and a path template such as ``/api/sessions/{session_id}``."""

    method: str
    template: str
    pattern: re.Pattern[str]
    endpoint: Callable[..., Any]
    public: bool


class Router:
    """Matches requests to endpoints in registration order (register literal paths first)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, template: str, *, public: bool = False) -> Callable:
        """Decorator registering ``endpoint`` for ``method template``."""
        regex = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", template) + "/?$"

        def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            self.routes.append(
                Route(
                    method=method,
                    template=template,
                    pattern=re.compile(regex),
                    endpoint=endpoint,
                    public=public,
                )
            )
            return endpoint

        return register

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for this request and its path parameters, or None."""
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None
