"""First slice: a signed-in user creates, reads and lists sessions over REST and callables."""

from devtools.emulators import api, call


def test_create_read_list_over_rest(make_user):
    athlete = make_user()
    created = api(
        "POST", "/api/sessions", athlete, json={"event": "Vault", "sessionType": "Training"}
    )
    assert created.status_code == 201, created.text
    session_id = created.json()["sessionId"]
    got = api("GET", f"/api/sessions/{session_id}", athlete)
    assert got.status_code == 200, got.text
    assert got.json()["event"] == "Vault"
    listed = api("GET", "/api/sessions", athlete)
    assert [s["sessionId"] for s in listed.json()["sessions"]] == [session_id]


def test_callable_twin(make_user):
    athlete = make_user()
    created = call("createSession", {"event": "Beam"}, athlete)
    assert created.status_code == 200, created.text
    session_id = created.json()["result"]["sessionId"]
    got = call("getSession", {"sessionId": session_id}, athlete)
    assert got.json()["result"]["event"] == "Beam"
