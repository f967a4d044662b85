"""Video retention (issue 27): run in-process against the emulators, the schedule's service
deletes a video older than the retention days and keeps a recent one; the session keeps its
figures and says the video was removed (the API shows it); a re-run deletes and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devtools.emulators import PROJECT, api, bucket
from sessionbase.services.retention import remove_old_videos
from sessionbase.store.client import firestore_client
from sessionbase.store.storage import ObjectStore
from sessionbase.store.work import Store
from tests.emulator.test_comments import with_video
from tests.uploads import linked, new_session, ok, session_of

DAYS = 30
FIGURES = ("motionIQ", "aclRisk", "riskLevel", "metrics", "analysisStatus", "analysisJobId")


def test_an_old_video_goes_a_recent_one_stays_the_figures_stay_and_a_rerun_is_a_no_op(make_user):
    coach, athlete = linked(make_user)
    db = firestore_client()
    old, recent = new_session(coach, athlete), new_session(coach, athlete)
    analysed = {sid: with_video(coach, sid) for sid in (old, recent)}  # real uploads
    stored = db.document(f"sessions/{recent}").get().to_dict()
    assert stored["videoUploadedBy"] == coach.uid  # the landing records who and when
    assert isinstance(stored["videoUploadedAt"], datetime)
    now = datetime.now(UTC)
    # The old one landed 40 days ago (the one field the test sets by hand).
    db.document(f"sessions/{old}").update({"videoUploadedAt": now - timedelta(days=DAYS + 10)})
    old_path = analysed[old]["videoPath"]
    objects, store = ObjectStore(f"{PROJECT}.appspot.com"), Store(db)

    off = remove_old_videos(store, objects, now, None)
    assert (off.removed, off.objects_deleted) == (0, 0)
    assert bucket().blob(old_path).exists()

    report = remove_old_videos(store, objects, now, DAYS)
    assert (report.removed, report.objects_deleted) == (1, 1)
    assert not bucket().blob(old_path).exists()
    after = session_of(athlete, old)
    assert after["videoRemoved"] is True
    assert datetime.fromisoformat(after["videoRemovedAt"]) == now
    assert "videoPath" not in after
    assert "videoUploadedAt" not in after
    figures = {name: analysed[old].get(name) for name in FIGURES}
    assert figures["metrics"]
    assert {name: after.get(name) for name in FIGURES} == figures
    assert after["videoName"] == analysed[old]["videoName"]
    video = api("GET", f"/api/sessions/{old}/video", athlete)
    assert video.status_code == 404, video.text  # no playback of a removed video

    still = session_of(athlete, recent)
    assert still["videoPath"] == analysed[recent]["videoPath"]
    assert "videoRemoved" not in still
    assert bucket().blob(still["videoPath"]).exists()
    assert ok(api("GET", f"/api/sessions/{recent}/video", athlete))["url"]

    versions = {sid: db.document(f"sessions/{sid}").get().update_time for sid in (old, recent)}
    again = remove_old_videos(store, objects, now, DAYS)
    assert (again.removed, again.objects_deleted) == (0, 0)
    assert {sid: db.document(f"sessions/{sid}").get().update_time for sid in versions} == versions
