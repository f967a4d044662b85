"""Upload -> analysis -> results over the real stack, with real video bytes.

Bytes go to the local GCS-compatible server through the upload URL the API issues; the storage
bridge (devtools/storage_bridge.py) delivers the finalize event to the deployed trigger, which
queues the job on the Cloud Tasks emulator, whose task runs the built-in analyzer (PyAV).
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import UTC, datetime, timedelta

import av
import pytest
import requests

from devtools.emulators import FUNCTIONS, PROJECT, api, bucket, call, documents, field
from devtools.storage_bridge import deliver, finalize_event
from devtools.videos import clip, truncated
from tests.uploads import (
    ANALYSED_WITHIN,
    analysed,
    jobs_of,
    linked,
    new_session,
    ok,
    session_of,
    signed_callback,
    upload,
)

_OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def moving() -> bytes:
    return clip(seconds=2, moving=True)


@pytest.fixture(scope="module")
def still() -> bytes:
    return clip(seconds=2, moving=False)


# ---- the happy path ---------------------------------------------------------------------------


def test_a_video_is_measured_and_the_athlete_sees_the_results(make_user, moving, still):
    coach, athlete = linked(make_user)
    moving_id, still_id = new_session(coach, athlete), new_session(coach, athlete)
    target = upload(coach, moving_id, moving, name="Vault run #1.mp4")
    assert target["bucket"] == f"{PROJECT}.appspot.com"
    assert target["path"] == f"sessions/{moving_id}/video/Vault_run_1.mp4"
    valid_for = datetime.fromisoformat(target["expiresAt"]) - datetime.now(UTC)
    assert timedelta(minutes=58) < valid_for <= timedelta(hours=1)  # an hour, not 7 days
    upload(coach, still_id, still)

    result = analysed(athlete, moving_id)
    assert result["analysisStatus"] == "completed", result
    assert result["analysisProgress"] == 100
    assert result["analysisAttempts"] == 1
    assert (result["videoPath"], result["videoName"]) == (target["path"], "Vault_run_1.mp4")
    assert (result["contentType"], result["fileSize"]) == ("video/mp4", len(moving))
    metrics = result["metrics"]
    assert {k: metrics[k] for k in ("width", "height", "framesDecoded", "frameRate")} == {
        "width": 320,
        "height": 180,
        "framesDecoded": 50,
        "frameRate": 25.0,
    }
    assert metrics["durationSeconds"] == pytest.approx(2.0, abs=0.05)
    # Only what the analyzer measures: no invented scores.
    assert not {"motionIQ", "aclRisk", "riskLevel"} & set(result)

    other = analysed(coach, still_id)
    assert other["analysisStatus"] == "completed"
    assert metrics["motionEnergyMean"] > 10 * other["metrics"]["motionEnergyMean"]
    assert metrics["activeTimeFraction"] > 0.9 > other["metrics"]["activeTimeFraction"]

    series = json.loads(bucket().blob(result["analyticsFile"]).download_as_bytes())
    assert result["analyticsFile"].startswith(f"analysis/{moving_id}/")
    assert len(series["motionEnergy"]) == 49  # one value per pair of consecutive frames
    assert max(series["motionEnergy"]) == pytest.approx(metrics["motionEnergyPeak"], abs=1e-3)
    [job] = jobs_of(moving_id)
    assert (field(job, "state"), field(job, "attempts"), field(job, "progress")) == (
        "succeeded",
        1,
        100,
    )
    # Output under analysis/ never re-triggers the pipeline.
    assert len(jobs_of(moving_id)) == 1

    # A poster a second in and a tile a second, JPEGs of the sizes listed (docs/decisions.md,
    # "Video review: poster and thumbnails").
    assets = result["analysisAssets"]
    folder = result["analyticsFile"].rsplit("/", 1)[0]
    poster, strip = assets["poster"], assets["thumbnails"]
    assert poster["path"] == f"{folder}/poster.jpg"
    assert (poster["width"], poster["height"], poster["atSeconds"]) == (320, 180, 1.0)
    assert strip["path"] == f"{folder}/thumbnails.jpg"
    assert {k: strip[k] for k in ("tileWidth", "tileHeight", "columns", "count", "times")} == {
        "tileWidth": 160,
        "tileHeight": 90,
        "columns": 2,
        "count": 2,
        "times": [0.0, 1.0],
    }
    assert (strip["width"], strip["height"]) == (320, 90)
    for asset in (poster, strip):
        blob = bucket().blob(asset["path"])
        data = blob.download_as_bytes()
        assert len(data) == asset["bytes"]
        with av.open(io.BytesIO(data), format="image2pipe") as image:  # decodes as a JPEG
            codec = image.streams.video[0].codec_context.name
            frame = next(image.decode(video=0))
        assert (codec, frame.width, frame.height) == ("mjpeg", asset["width"], asset["height"])
        blob.reload()
        assert blob.content_type == "image/jpeg"


def test_the_upload_url_is_for_the_sessions_coach_and_checks_the_file(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    outsider = make_user("coach")
    path = f"/api/sessions/{session_id}/upload"
    video = {"fileName": "a.mp4", "contentType": "video/mp4", "size": 10}
    assert api("POST", path, athlete, json=video).status_code == 403
    assert api("POST", path, outsider, json=video).status_code == 404  # cannot see it
    assert api("POST", "/api/sessions/nope/upload", coach, json=video).status_code == 404
    bad = api(
        "POST", path, coach, json={"fileName": "", "contentType": "text/plain", "size": 3 * 2**30}
    )
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"fileName"}
    bad = api(
        "POST", path, coach, json={"fileName": "a.txt", "contentType": "text/plain", "size": 10}
    )
    assert [e["field"] for e in bad.json()["errors"]] == ["contentType"]
    bad = api("POST", path, coach, json={**video, "size": 3 * 2**30, "extra": 1})
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"extra"}
    too_big = api("POST", path, coach, json={**video, "size": 3 * 2**30})
    assert [e["field"] for e in too_big.json()["errors"]] == ["size"]
    # The athlete may upload an attachment, and the callable answers like REST.
    attachment = {
        "fileName": "plan.pdf", "contentType": "application/pdf", "size": 10, "kind": "attachment"
    }  # fmt: skip
    assert api("POST", path, athlete, json=attachment).status_code == 200
    # Without a declared size an upload URL would carry any number of bytes: refused.
    for body in ({**video, "size": None}, {"fileName": "a.mp4", "contentType": "video/mp4"}):
        sizeless = api("POST", path, coach, json=body)
        assert sizeless.status_code == 400, sizeless.text
        assert [e["field"] for e in sizeless.json()["errors"]] == ["size"]
    reply = call("createUploadUrl", {"sessionId": session_id, **video}, coach)
    assert reply.status_code == 200, reply.text
    assert reply.json()["result"]["path"] == f"sessions/{session_id}/video/a.mp4"
    assert list(bucket().list_blobs(prefix=f"sessions/{session_id}/")) == []  # nothing uploaded


# ---- delivery and superseding -----------------------------------------------------------------


def test_an_event_delivered_three_times_makes_one_job_and_one_analysis(make_user, moving):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    target = upload(coach, session_id, moving)
    blob = bucket().get_blob(target["path"])
    metadata = {
        "bucket": blob.bucket.name,
        "name": blob.name,
        "generation": str(blob.generation),
        "metageneration": "1",
        "size": str(blob.size),
        "contentType": blob.content_type,
        "timeCreated": blob.time_created.isoformat(),
    }
    for _ in range(2):  # the bridge delivered it once already
        deliver(FUNCTIONS, PROJECT, finalize_event(metadata))
    result = analysed(coach, session_id)
    assert result["analysisStatus"] == "completed"
    time.sleep(2)  # a second analysis, if one had been queued, would have started by now
    [job] = jobs_of(session_id)
    assert field(job, "attempts") == 1
    assert session_of(coach, session_id)["analysisAttempts"] == 1


def test_a_new_upload_supersedes_the_old_one(make_user, moving, still):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, moving)
    first = analysed(coach, session_id)
    upload(coach, session_id, still)  # same name: a new generation of the same object
    second = analysed(coach, session_id, job=_next_job(coach, session_id, first["analysisJobId"]))
    assert second["analysisStatus"] == "completed"
    assert second["metrics"]["motionEnergyMean"] < first["metrics"]["motionEnergyMean"] / 10
    assert second["analyticsFile"] != first["analyticsFile"]
    assert len(jobs_of(session_id)) == 2
    # A late result for the old job (or one naming no job) is refused and changes nothing:
    # tests/backend/test_callbacks.py, where a backend is configured and so is the callback.


def test_without_a_backend_there_is_no_callback_to_call(make_user):
    """Issue 21 (10): the callback was deployed without a backend; a result signed with the key
    (here the emulators' own) was applied. With the built-in analyzer nobody calls back: 404."""
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    before = session_of(coach, session_id)
    body = {"sessionId": session_id, "status": "failed", "error": "forged"}
    refused = signed_callback(body)
    assert refused.status_code == 404, refused.text
    assert session_of(coach, session_id) == before
    assert documents("callbackReceipts") == []


def _next_job(user, session_id: str, old: str) -> str:
    deadline = time.monotonic() + ANALYSED_WITHIN
    while (job := session_of(user, session_id).get("analysisJobId")) == old:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job is not None
    return job


# ---- bytes that are not a video ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.mp4", lambda clip_: b"", "not a video"),
        ("cut.mp4", truncated, "decod"),
        ("notes.mp4", lambda clip_: b"these are notes, not a video\n" * 20, "not a video"),
    ],
)
def test_bytes_that_are_not_a_video_fail_with_a_reason(make_user, moving, name, make, reason):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    data = make(moving)
    if data:
        upload(coach, session_id, data, name=name)
    else:  # an upload URL is for at least one byte: an empty object can only be put directly
        blob = bucket().blob(f"sessions/{session_id}/video/{name}")
        blob.upload_from_string(data, content_type="video/mp4")
    result = analysed(athlete, session_id)
    assert result["analysisStatus"] == "failed"
    assert reason in result["analysisError"]
    assert "metrics" not in result
    [job] = jobs_of(session_id)
    assert field(job, "state") == "failed"
    assert field(job, "attempts") == 1  # a file that cannot be decoded is not retried


# ---- attachments ------------------------------------------------------------------------------


def test_attachments_are_registered_only_when_their_bytes_match(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    pdf = b"%PDF-1.7\n" + b"0" * 2000
    mine = upload(athlete, session_id, pdf, name="plan.pdf", kind="attachment")
    # The coach's file of the same name is a file of its own: neither overwrites the other.
    theirs = upload(coach, session_id, pdf + b"1", name="plan.pdf", kind="attachment")
    assert mine["path"] != theirs["path"]
    spoofed = upload(
        athlete, session_id, b"MZ\x90\x00" + b"\x00" * 500, name="invoice.pdf", kind="attachment"
    )
    deadline = time.monotonic() + 30
    while not documents(f"sessions/{session_id}/rejectedUploads"):
        assert time.monotonic() < deadline, "the spoofed attachment was not rejected"
        time.sleep(0.2)
    [rejected] = documents(f"sessions/{session_id}/rejectedUploads")
    assert field(rejected, "reason") == (
        "The file was declared application/pdf but is a Windows executable."
    )
    assert bucket().get_blob(spoofed["path"]) is None  # deleted
    while len(session_of(coach, session_id)["attachments"]) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    listed = session_of(coach, session_id)["attachments"]
    keys = ("fileName", "contentType", "size", "uploadedBy")
    assert sorted(({k: a[k] for k in keys} for a in listed), key=lambda a: a["size"]) == [
        {"fileName": "plan.pdf", "contentType": "application/pdf", "size": len(pdf),
         "uploadedBy": athlete.uid},
        {"fileName": "plan.pdf", "contentType": "application/pdf", "size": len(pdf) + 1,
         "uploadedBy": coach.uid},
    ]  # fmt: skip
    assert jobs_of(session_id) == []  # attachments are not analysed


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


ATTACHMENT_FILES = [
    ("photo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 100),
    ("take.mov", "video/quicktime", b"\0\0\0\x14ftypqt  " + b"\0" * 100),
    ("voice.wav", "audio/wav", b"RIFF\0\0\0\0WAVEfmt " + b"\0" * 100),
    ("plan.docx", _OOXML_WORD, zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")),
]


def test_each_accepted_format_is_registered_and_a_mismatch_is_not(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    for name, content_type, data in ATTACHMENT_FILES:
        upload(coach, session_id, data, name=name, kind="attachment", type_=content_type)
    upload(coach, session_id, b"GIF89a" + b"\0" * 100, name="x.png", kind="attachment",
           type_="image/png")  # fmt: skip
    deadline = time.monotonic() + 30
    while len(session_of(coach, session_id)["attachments"]) < len(ATTACHMENT_FILES):
        assert time.monotonic() < deadline, "the attachments were not all registered"
        time.sleep(0.2)
    while not documents(f"sessions/{session_id}/rejectedUploads"):
        assert time.monotonic() < deadline, "the mismatched attachment was not rejected"
        time.sleep(0.2)
    listed = session_of(coach, session_id)["attachments"]
    assert sorted((a["fileName"], a["contentType"]) for a in listed) == sorted(
        (name, content_type) for name, content_type, _ in ATTACHMENT_FILES
    )
    [rejected] = documents(f"sessions/{session_id}/rejectedUploads")
    assert field(rejected, "reason") == "The file was declared image/png but its bytes are GIF."


def test_lookalikes_foreign_names_and_broken_upload_terms_are_refused_and_tokens_go(make_user):
    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    pdf = b"%PDF-1.7\n" + b"0" * 500
    heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200
    # An image brand in an ftyp box is not an MP4 (it passed before, as any brand did).
    upload(coach, session_id, heic, name="clip.mp4", kind="attachment", type_="video/mp4")
    # A bidi override in the name, and an extension that is not the type's: stored as a JPEG.
    jpeg = upload(coach, session_id, b"\xff\xd8\xff\xe0" + b"\0" * 100, name="x\u202egpj.exe",
                  kind="attachment", type_="image/jpeg")  # fmt: skip
    assert jpeg["path"].endswith("-xgpj.jpg"), jpeg["path"]
    # More bytes than the upload URL was made for: refused by the session, or deleted on landing.
    body = {"fileName": "plan.pdf", "contentType": "application/pdf", "size": 100,
            "kind": "attachment"}  # fmt: skip
    target = ok(api("POST", f"/api/sessions/{session_id}/upload", coach, json=body))
    expires = datetime.fromisoformat(target["expiresAt"].replace("Z", "+00:00"))
    assert expires - datetime.now(UTC) < timedelta(hours=1, minutes=1)  # not 7 days
    headers = {"Content-Type": "application/pdf"}
    put = requests.put(target["uploadUrl"], data=pdf, headers=headers, timeout=60)
    oversized_landed = put.status_code in (200, 201)
    # Objects put there directly (as admin, bypassing the API): one finished after its upload
    # URL expired, one under a name that is not its type's, one good one carrying the download
    # token the Firebase client gives every upload.
    prefix = f"sessions/{session_id}/attachments"
    late = {"uploadedBy": coach.uid, "declaredSize": str(len(pdf)),
            "uploadExpiresAt": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()}  # fmt: skip
    direct = [
        ("late.pdf", late),
        ("x.hta", {"uploadedBy": coach.uid}),
        ("good.pdf", {"uploadedBy": coach.uid, "firebaseStorageDownloadTokens": "forever"}),
    ]
    for name, metadata in direct:
        blob = bucket().blob(f"{prefix}/{name}")
        blob.metadata = metadata
        blob.upload_from_string(pdf, content_type="application/pdf")
    expected = {
        "The file was declared video/mp4 but is an ISO media file of brand 'heic', not an MP4 "
        "video.",
        "The upload finished after its upload URL expired.",
        "The file's name must end in .pdf for its type.",
        *([f"The file is {len(pdf)} bytes, not the 100 bytes declared for its upload."]
          if oversized_landed else []),
    }  # fmt: skip
    deadline = time.monotonic() + 30
    while len(documents(f"sessions/{session_id}/rejectedUploads")) < len(expected):
        assert time.monotonic() < deadline, "the refused uploads were not all recorded"
        time.sleep(0.2)
    reasons = {field(doc, "reason") for doc in documents(f"sessions/{session_id}/rejectedUploads")}
    assert reasons == expected
    while len(session_of(coach, session_id)["attachments"]) < 2:
        assert time.monotonic() < deadline, "the accepted attachments were not registered"
        time.sleep(0.2)
    listed = session_of(coach, session_id)["attachments"]
    assert sorted(a["fileName"] for a in listed) == ["good.pdf", "xgpj.jpg"]
    names = {blob.name for blob in bucket().list_blobs(prefix=prefix)}
    assert names == {jpeg["path"], f"{prefix}/good.pdf"}  # every refused file deleted
    # Cloud Storage deletes a key patched to null; the GCS-compatible server keeps it, empty.
    while (bucket().get_blob(f"{prefix}/good.pdf").metadata or {}).get(
        "firebaseStorageDownloadTokens"
    ):
        assert time.monotonic() < deadline, "the download token was not stripped"
        time.sleep(0.2)


def test_uploads_of_unknown_sessions_are_deleted(make_user, still):
    target = f"sessions/no-such-session/video/{time.time_ns()}.mp4"
    bucket().blob(target).upload_from_string(still, content_type="video/mp4")
    deadline = time.monotonic() + 30
    while bucket().get_blob(target) is not None:
        assert time.monotonic() < deadline, "the orphan upload was not deleted"
        time.sleep(0.2)
    assert documents("analysisJobs") == []


# ---- the sweep ----------------------------------------------------------------------------------


def test_the_sweep_recovers_a_stuck_job_and_gives_up_after_three_attempts(make_user, moving):
    from sessionbase.services.analysis.sweep import sweep
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, moving)
    done = analysed(coach, session_id)
    job_id = done["analysisJobId"]
    db, objects = firestore_client(), default_objects()
    # Make it look like the task died mid-way 31 minutes ago (its worker lost).
    stale = datetime.now(UTC) - timedelta(minutes=31)
    db.collection("analysisJobs").document(job_id).update(
        {"state": "running", "progress": 30, "updatedAt": stale, "finishedAt": None}
    )
    db.collection("sessions").document(session_id).update(
        {"analysisStatus": "processing", "analysisProgress": 30}
    )
    store = Store(db)
    report = sweep(store, objects, datetime.now(UTC))
    assert (report.requeued, report.failed) == ([job_id], [])
    again = analysed(coach, session_id)
    assert (again["analysisStatus"], again["analysisAttempts"]) == ("completed", 2)
    assert sweep(store, objects, datetime.now(UTC)).requeued == []  # nothing stuck now

    # Attempts used up: the sweep fails the job with the reason, once.
    db.collection("analysisJobs").document(job_id).update(
        {"state": "running", "attempts": 3, "updatedAt": stale}
    )
    assert sweep(store, objects, datetime.now(UTC)).failed == [job_id]
    failed = session_of(coach, session_id)
    assert failed["analysisStatus"] == "failed"
    assert "no progress for 30 minutes after 3 attempts" in failed["analysisError"]
    assert sweep(store, objects, datetime.now(UTC)).failed == []


def test_the_sweep_picks_up_an_upload_whose_event_was_lost(make_user, still):
    from sessionbase.services.analysis.sweep import sweep
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, still)
    first = analysed(coach, session_id)
    # Forget the job, as if the finalize event had never arrived.
    db = firestore_client()
    db.collection("analysisJobs").document(first["analysisJobId"]).delete()
    db.collection("sessions").document(session_id).update({"analysisStatus": "pending"})
    later = datetime.now(UTC) + timedelta(minutes=31)
    report = sweep(Store(db), default_objects(), later)
    assert report.registered == [first["analysisJobId"]]
    again = analysed(coach, session_id)
    assert again["analysisStatus"] == "completed"
    assert sweep(Store(db), default_objects(), later).registered == []


# ---- edges: late, stale and orphaned work ------------------------------------------------------


def analyze(job_id: str):
    """One attempt at the job, run here as the ``analyzeSession`` task runs it."""
    from sessionbase.services.analysis import jobs
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    store = Store(firestore_client())
    return jobs.analyze(store, default_objects(), job_id, clock=lambda: datetime.now(UTC))


def job_error(job_id: str) -> str | None:
    """The reason a job failed, as stored."""
    from sessionbase.store.client import firestore_client

    return firestore_client().collection("analysisJobs").document(job_id).get().get("error")


def test_cancelled_sessions_and_stale_events_start_no_analysis(make_user, still):
    from sessionbase.store.client import firestore_client

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    target = upload(coach, session_id, still)
    done = analysed(coach, session_id)
    # An older generation's event arriving late changes nothing.
    stale = {
        "bucket": target["bucket"],
        "name": target["path"],
        "generation": "1",
        "size": "10",
        "contentType": "video/mp4",
    }
    deliver(FUNCTIONS, PROJECT, finalize_event(stale))
    # A cancelled session's new upload is kept but not analysed.
    firestore_client().collection("sessions").document(session_id).update({"status": "cancelled"})
    upload(coach, session_id, still, name="again.mp4")
    time.sleep(3)
    assert len(jobs_of(session_id)) == 1
    after = session_of(coach, session_id)
    assert after["analysisJobId"] == done["analysisJobId"]
    assert after["videoName"] == done["videoName"]
    assert bucket().get_blob(f"sessions/{session_id}/video/again.mp4") is not None


def test_a_task_for_a_superseded_or_deleted_session_fails_its_job(make_user, still):
    from sessionbase.services.analysis.jobs import AnalyzeOutcome
    from sessionbase.store.client import firestore_client

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, still)
    first = analysed(coach, session_id)["analysisJobId"]
    upload(coach, session_id, still, name="second.mp4")
    second = analysed(coach, session_id, job=_next_job(coach, session_id, first))["analysisJobId"]
    db = firestore_client()
    # The first job's task delivered again after the second upload: it ends, superseded.
    db.collection("analysisJobs").document(first).update({"state": "running"})
    assert analyze(first) == AnalyzeOutcome.JOB_FAILED
    assert job_error(first) == "Superseded by a newer upload."
    assert session_of(coach, session_id)["analysisJobId"] == second
    # A task whose session was deleted meanwhile.
    db.collection("analysisJobs").document(second).update({"state": "queued"})
    assert api("DELETE", f"/api/sessions/{session_id}", coach).status_code == 200
    assert analyze(second) == AnalyzeOutcome.JOB_FAILED
    assert job_error(second) == "The session was deleted."
    assert analyze("no-such-job") == AnalyzeOutcome.NOTHING_TO_DO


def test_a_duplicate_task_finds_the_job_taken_and_a_cancelled_session_ends_it(make_user, still):
    from sessionbase.domain.analysis.jobs import LEASE
    from sessionbase.services.analysis.jobs import AnalyzeOutcome
    from sessionbase.store.client import firestore_client

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, still)
    job_id = analysed(coach, session_id)["analysisJobId"]
    db = firestore_client()
    job = db.collection("analysisJobs").document(job_id)
    # An attempt holds the job: a second copy of its task does nothing, and uses no attempt.
    job.update({"state": "running", "leaseUntil": datetime.now(UTC) + LEASE})
    assert analyze(job_id) == AnalyzeOutcome.NOTHING_TO_DO
    assert field(jobs_of(session_id)[0], "attempts") == 1
    # Its lease over (the attempt was lost), the next task runs attempt 2.
    job.update({"leaseUntil": datetime.now(UTC) - timedelta(seconds=1)})
    assert analyze(job_id) == AnalyzeOutcome.ANALYSED
    assert session_of(coach, session_id)["analysisAttempts"] == 2
    # A session cancelled while its job waits: the job fails and the session says why.
    job.update({"state": "queued", "leaseUntil": None})
    db.collection("sessions").document(session_id).update({"status": "cancelled"})
    reason = "The session was cancelled before its analysis finished."
    assert analyze(job_id) == AnalyzeOutcome.JOB_FAILED
    assert job_error(job_id) == reason
    cancelled = session_of(coach, session_id)
    assert (cancelled["analysisStatus"], cancelled["analysisError"]) == ("failed", reason)


class UnavailableStorage:
    """The bucket as Cloud Storage answers during an outage: every read is 503."""

    def __init__(self, objects) -> None:
        self.objects = objects

    def reader(self, path: str, generation: str):
        from google.api_core.exceptions import ServiceUnavailable

        raise ServiceUnavailable("Storage is down")

    def __getattr__(self, name: str):
        return getattr(self.objects, name)


def test_an_attempt_that_fails_unexpectedly_lets_go_of_its_job_for_the_retry(make_user, still):
    """Issue 21 (18): a Storage outage while reading the video left the lease held, so Cloud
    Tasks' retry found the job taken ("nothing to do") and it stayed running for 30 minutes."""
    from google.api_core.exceptions import ServiceUnavailable

    from sessionbase.domain.analysis.jobs import MAX_ATTEMPTS
    from sessionbase.services.analysis import jobs
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    upload(coach, session_id, still)
    job_id = analysed(coach, session_id)["analysisJobId"]
    job = firestore_client().collection("analysisJobs").document(job_id)
    job.update({"state": "queued", "attempts": 0, "leaseUntil": None, "finishedAt": None})
    store, down = Store(firestore_client()), UnavailableStorage(default_objects())

    def attempt(objects):
        return jobs.analyze(store, objects, job_id, clock=lambda: datetime.now(UTC))

    with pytest.raises(ServiceUnavailable):  # raised: the task fails and Cloud Tasks retries it
        attempt(down)
    stored = job.get().to_dict()
    assert (stored["state"], stored["attempts"]) == ("running", 1)
    assert stored["leaseUntil"] <= datetime.now(UTC)
    assert attempt(default_objects()) == jobs.AnalyzeOutcome.ANALYSED  # the retry runs at once
    assert session_of(coach, session_id)["analysisAttempts"] == 2

    # On its last attempt nothing will retry it: the job fails with the reason.
    job.update({"state": "queued", "attempts": MAX_ATTEMPTS - 1, "leaseUntil": None})
    assert attempt(down) == jobs.AnalyzeOutcome.ATTEMPT_FAILED
    reason = f"The analysis failed {MAX_ATTEMPTS} times; last: an unexpected ServiceUnavailable."
    assert job_error(job_id) == reason
    failed = session_of(coach, session_id)
    assert (failed["analysisStatus"], failed["analysisError"]) == ("failed", reason)


def test_the_create_with_athlete_path_is_analysed_and_deleted_with_its_session(make_user, still):
    coach, athlete = linked(make_user)
    body = {"videoName": "floor.mp4", "athleteEmail": athlete.email, "athleteName": "A"}
    created = ok(api("POST", "/api/sessions/create-with-athlete", coach, json=body), 201)
    session_id = created["sessionId"]
    # As the JS SDK's uploadBytes would: straight to the path, with the uploader's metadata.
    blob = bucket().blob(created["upload"]["path"])
    blob.metadata = {"uploadedBy": coach.uid}
    blob.upload_from_string(still, content_type="video/mp4")
    result = analysed(athlete, session_id)
    assert result["analysisStatus"] == "completed"
    assert result["videoPath"] == created["upload"]["path"]
    deleted = ok(api("DELETE", f"/api/sessions/{session_id}", coach))
    # The video, its motion and pose series, its poster and thumbnails.
    assert deleted["deletedObjects"] == 5
    assert list(bucket().list_blobs(prefix=f"analysis/{session_id}/")) == []


def test_each_attachment_format_is_sniffed_where_it_lands(make_user):
    """Every accepted format, and a lookalike of each, through the upload URL and the finalize
    trigger: the deployed sniffing, not only its unit tests, decides (issue 21, item 8)."""
    from tests.unit.domain import test_attachments as files

    coach, athlete = linked(make_user)
    session_id = new_session(coach, athlete)
    docx, xlsx = files._DOCX, files._XLSX
    accepted = [
        ("song.mp3", "audio/mpeg", files.ID3_MP3),
        ("clip.mov", "video/quicktime", files.MOV + b"\0" * 64),
        ("clip.mp4", "video/mp4", files.MP4 + b"\0" * 64),
        ("notes.docx", docx, files.DOCX),
        ("sheet.xlsx", xlsx, files.XLSX),
        ("old.doc", "application/msword", files.DOC),
        ("old.xls", "application/vnd.ms-excel", files.XLS),
    ]
    refused = [
        ("text.mp3", "audio/mpeg", files.UTF16_TEXT, "UTF-16 text"),
        ("plain.docx", docx, files.zipped("a.txt"), "not a Word document"),
        ("setup.doc", "application/msword", files.MSI, "not a Word document"),
        ("word.xlsx", xlsx, files.DOCX, "Word document (Office Open XML)"),
    ]
    for name, kind, data in accepted:
        upload(coach, session_id, data, name=name, kind="attachment", type_=kind)
    for name, kind, data, _reason in refused:
        upload(coach, session_id, data, name=name, kind="attachment", type_=kind)
    deadline = time.monotonic() + 60
    while True:
        rejected = documents(f"sessions/{session_id}/rejectedUploads")
        listed = session_of(coach, session_id)["attachments"]
        if len(rejected) == len(refused) and len(listed) == len(accepted):
            break
        assert time.monotonic() < deadline, (rejected, listed)
        time.sleep(0.3)
    assert sorted(a["fileName"] for a in listed) == sorted(name for name, _, _ in accepted)
    reasons = sorted(field(doc, "reason") for doc in rejected)
    for _name, _kind, _data, reason in refused:
        assert any(reason in found for found in reasons), (reason, reasons)
