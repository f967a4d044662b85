"""Rate limits (issue 27): a person past a limit gets 429 ``resource-exhausted`` with
``Retry-After`` and nothing is written; other people are unaffected; uses are counted only once
they succeeded."""

from __future__ import annotations

from datetime import UTC, datetime

from google.cloud.firestore import FieldFilter

from devtools.emulators import api, call
from sessionbase.settings import rate_limits
from sessionbase.store.client import firestore_client
from sessionbase.store.keys import QUOTAS, quota_id
from tests.uploads import ok


def counter(uid: str, name: str):
    """The person's counter of limit ``name`` in the current window (Admin client)."""
    start, _ = rate_limits()[name].window_at(datetime.now(UTC))
    return (
        firestore_client()
        .collection(QUOTAS)
        .document(quota_id(uid, f"rate.{name}.{start.isoformat()}"))
    )


def invitations_of(coach_uid: str) -> int:
    query = (
        firestore_client()
        .collection("invitations")
        .where(filter=FieldFilter("coachId", "==", coach_uid))
    )
    return len(list(query.stream()))


def test_past_the_limit_a_request_is_refused_with_retry_after_and_writes_nothing(make_user):
    coach, other_coach = make_user("coach"), make_user("coach")
    ok(api("POST", "/api/invitations", coach, json={"athleteEmail": "first@example.com"}), 201)
    assert counter(coach.uid, "invitations").get().to_dict()["count"] == 1
    # a refused request counts nothing
    assert api("POST", "/api/invitations", coach, json={"athleteEmail": "x"}).status_code == 400
    assert counter(coach.uid, "invitations").get().to_dict()["count"] == 1
    # the hour's allowance used up (the suite's limit: scripts/test.sh raises the defaults)
    most = rate_limits()["invitations"].most
    counter(coach.uid, "invitations").set({"count": most}, merge=True)
    refused = api("POST", "/api/invitations", coach, json={"athleteEmail": "late@example.com"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "resource-exhausted"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert invitations_of(coach.uid) == 1  # nothing written
    audited = (
        firestore_client().collection("auditLog").where(filter=FieldFilter("uid", "==", coach.uid))
    )
    assert len(list(audited.stream())) == 1  # the first invitation's entry only
    # the callable says the same; another coach is not affected
    over = call("createInvitation", {"athleteEmail": "late@example.com"}, coach)
    assert over.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    ok(api("POST", "/api/invitations", other_coach, json={"athleteEmail": "b@example.com"}), 201)
