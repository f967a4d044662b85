"""The REST router: literal paths win over templates, parameters are extracted."""

from sessionbase.handlers.rest import router


def test_literal_before_template():
    route, params = router.match("GET", "/api/sessions/abc")
    assert route.template == "/api/sessions/{session_id}"
    assert params == {"session_id": "abc"}
    assert router.match("GET", "/api/sessions")[0].template == "/api/sessions"


def test_unknown_paths_and_methods():
    assert router.match("GET", "/api/nothing") is None
    assert router.match("PATCH", "/api/sessions") is None
    assert router.match("GET", "/api/sessions/a/b/c") is None
