"""The REST routes, derived from the operation table: fixed paths win, a wrong method is 405."""

import pytest
from werkzeug.exceptions import MethodNotAllowed

from sessionbase.errors import NotFound
from sessionbase.handlers.rest import route


def test_fixed_paths_win_over_ids():
    assert route("GET", "/api/sessions/abc") == (
        route("GET", "/api/sessions/abc")[0],
        {"sessionId": "abc"},
    )
    assert route("GET", "/api/sessions/abc")[0].name == "getSession"
    assert route("GET", "/api/sessions")[0].name == "listSessions"
    assert route("GET", "/api/sessions/stats")[0].name == "getSessionStats"
    assert route("POST", "/api/sessions/link-backend")[0].name == "linkBackendSession"
    operation, ids = route("POST", "/api/invitations/i1/accept")
    assert (operation.name, ids) == ("acceptInvitation", {"invitationId": "i1"})


def test_a_trailing_slash_names_the_same_route():
    assert route("GET", "/api/sessions/")[0].name == "listSessions"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/api/sessions", {"GET", "HEAD", "POST"}),
        ("POST", "/api/sessions/abc", {"GET", "HEAD", "PUT", "DELETE"}),
        ("GET", "/api/invitations/i1/accept", {"POST"}),
        ("DELETE", "/api/invitations", {"GET", "HEAD", "POST"}),
    ],
)
def test_a_known_path_with_another_method_is_405(method, path, allowed):
    with pytest.raises(MethodNotAllowed) as raised:
        route(method, path)
    assert set(raised.value.valid_methods) == allowed


@pytest.mark.parametrize("path", ["/api/nothing", "/api/sessions/a/b/c", "/other"])
def test_unknown_paths_are_404(path):
    with pytest.raises(NotFound):
        route("GET", path)
