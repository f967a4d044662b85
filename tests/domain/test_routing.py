"""The REST router: literal paths win over templates, parameters are extracted."""

from sessionbase.handlers.rest import router


def test_literal_before_template():
    route, params = router.match("GET", "/api/sessions/abc")
    assert route.template == "/api/sessions/{sessionId}"
    assert params == {"sessionId": "abc"}
    assert router.match("GET", "/api/sessions")[0].template == "/api/sessions"
    assert router.match("GET", "/api/sessions/stats")[0].template == "/api/sessions/stats"
    accept = router.match("POST", "/api/invitations/i1/accept")
    assert accept[0].template == "/api/invitations/{invitationId}/accept"
    assert accept[1] == {"invitationId": "i1"}


def test_unknown_paths_and_methods():
    assert router.match("GET", "/api/nothing") is None
    assert router.match("PATCH", "/api/sessions") is None
    assert router.match("GET", "/api/sessions/a/b/c") is None
