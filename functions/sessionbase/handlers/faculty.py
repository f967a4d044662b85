"""The faculty seed's endpoint, ``api/session_completion.php?action=…``, on our services.

The seed's pages call it with ``FormData`` and ``credentials: 'same-origin'``; here each action
is translated to the operation our API runs for it (``handlers/operations.py``) and run by the
same ``execute`` as ``/api/**``: the same sign-in (the ``__session`` cookie under the same-site
rules, or a Bearer token), the same models, services and errors. Nothing here decides a rule:
it renames fields, turns the seed's ``HH:MM`` times into moments, and wraps the answer as a PHP
client of that system expects, ``{"success", "message", "data"}`` (docs/migration.md, "Faculty
seed"). An error is ``{"success": false, "message", "code", "errors": [{"field", "message"}]}``
with the API's status, the fields named as the seed sends them.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import partial
from typing import Any

from flask import Request, Response
from werkzeug.exceptions import RequestEntityTooLarge

from sessionbase.errors import FieldError, InvalidArgument, SessionbaseError, invalid_fields
from sessionbase.handlers.auth import SignIn, caller_from_request
from sessionbase.handlers.dispatch import Operation, RetryKey, execute, snake_case, trace_of
from sessionbase.handlers.operations import OPERATIONS
from sessionbase.handlers.responses import json_response
from sessionbase.models.identity import Caller

# The seed's pages call ``api/session_completion.php`` relative to themselves: from a page at
# the site's root (the seed's ``/index.php?page=session_tracking``) that is this path; from a
# page in a folder, ``/<folder>/api/session_completion.php`` (firebase.json routes both).
PATH = "/api/session_completion.php"
# The deployed function's request limit (Cloud Run: 32 MiB for an HTTP/1 request). The
# emulator has none of its own (docs/decisions.md, "Faculty compatibility endpoint"): checked
# here so that both answer a larger request with 413.
MAX_REQUEST_BYTES = 32 * 1024**2
MAX_DESCRIPTION = 1000
UPLOAD_URL_OPERATION = "createUploadUrl (POST /api/sessions/{id}/upload, kind: attachment)"
# Fields a PHP page's form helper adds that carry nothing for us (a cookie from another site
# is refused by the same-site rules, not by a token).
IGNORED = frozenset({"csrf_token", "_token", "csrf", "action"})
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_BY_NAME = {op.name: op for op in OPERATIONS}
# Our names for fields, as the seed names them (the rest: camelCase to snake_case).
_SEED_NAMES = {
    "actualStart": "actual_start_time",
    "actualEnd": "actual_end_time",
    "text": "note_text",
    "type": "note_type",
    "contentType": "file",
    "size": "file",
    "body": "body",
}


def handles(path: str) -> bool:
    """Is this the seed's endpoint (at the root, or under a page's folder)?"""
    return path.endswith(PATH)


@dataclass(frozen=True)
class _Call:
    """What one action runs: the operation, its input and path ids, and how it answers."""

    operation: Operation[Any]
    data: Any
    ids: dict[str, str]
    message: str
    # The seed's names of our fields for this action (path ids included).
    names: Mapping[str, str]
    # The answer's ``data`` from the operation's body (default: the body itself).
    shape: Callable[[Any], tuple[Any, dict[str, Any]]] = lambda body: (body, {})


def handle(request: Request) -> Response:
    """Answer one call of the seed's endpoint."""
    names: Mapping[str, str] = {}
    try:
        # Signed in first, under the same-site rules: a cross-site post is refused before
        # its body is read or its action looked at.
        caller = caller_from_request(request)
        action = request.args.get("action", "")
        builder = _ACTIONS.get(action)
        if builder is None:
            raise InvalidArgument(
                f"Unknown action {action!r}; use one of: {', '.join(_ACTIONS)}.",
                errors=(FieldError(field="action", message="unknown action"),),
            )
        if action not in _READS and request.method != "POST":
            return json_response(
                405,
                _failure(f"Send {action} as a POST.", "invalid-argument", ()),
                {"Allow": "POST"},
            )
        fields = _fields(request)
        call = builder(request, caller, fields)
        names = call.names
        answer = execute(
            call.operation,
            authenticate=lambda: SignIn(caller, None),  # checked above
            read_input=lambda: call.data,
            ids=call.ids,
            origin=request.headers.get("Origin"),
            key=RetryKey(request.headers.get("Idempotency-Key"), "Idempotency-Key"),
            trace=trace_of(request.headers),
            transport="faculty",
        )
        data, extra = call.shape(answer.body)
        return json_response(
            answer.status, {"success": True, "message": call.message, "data": data, **extra}
        )
    except _TooLarge:
        return _too_large()
    except SessionbaseError as error:
        renamed = tuple(
            FieldError(field=_seed_name(e.field, names), message=e.message) for e in error.errors
        )
        retry = error.retry_after
        return json_response(
            error.status,
            _failure(error.detail, error.code, renamed),
            {"Retry-After": str(retry)} if retry is not None else None,
        )


def _failure(message: str, code: str, errors: tuple[FieldError, ...]) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "message": message, "code": code}
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return body


def _too_large() -> Response:
    limit = MAX_REQUEST_BYTES // 1024**2
    message = (
        f"The request is larger than {limit} MiB, this endpoint's limit. Upload a larger file "
        f"(up to 100 MB) with {UPLOAD_URL_OPERATION}, then PUT its bytes to the uploadUrl."
    )
    errors = (FieldError(field="file", message=f"larger than {limit} MiB with the form"),)
    return json_response(413, _failure(message, "invalid-argument", errors))


class _TooLarge(Exception):
    """The request is over ``MAX_REQUEST_BYTES``."""


def _seed_name(field: str, names: Mapping[str, str]) -> str:
    head, dot, rest = field.partition(".")
    name = names.get(head) or _SEED_NAMES.get(head) or snake_case(head)
    return name + dot + rest


def _fields(request: Request) -> dict[str, str]:
    """The form's fields (multipart or urlencoded) over the query's, first value of each; the
    request's size checked before the body is read."""
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        raise _TooLarge
    request.max_content_length = MAX_REQUEST_BYTES  # a chunked body is counted as it is read
    try:
        form = request.form
    except RequestEntityTooLarge:
        raise _TooLarge from None
    merged = {k: v for k, v in request.args.items() if k not in IGNORED}
    merged.update({k: v for k, v in form.items() if k not in IGNORED})
    return merged


# ---- the actions ---------------------------------------------------------------------------------


def _required(fields: Mapping[str, str], *names: str) -> tuple[dict[str, str], list[FieldError]]:
    """The first of ``names`` that is given (its value), or an error naming the first."""
    for name in names:
        value = fields.get(name, "").strip()
        if value:
            return {name: value}, []
    return {}, [FieldError(field=names[0], message="field required")]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_fields(fields: Mapping[str, str], skip: frozenset[str]) -> dict[str, str]:
    return {_camel(k): v for k, v in fields.items() if k not in skip}


def _list(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _Call(
        operation=_BY_NAME["listSessions"],
        data=_camel_fields(fields, frozenset()),
        ids={},
        message="Sessions",
        names={},
        shape=lambda body: (body["sessions"], {"next_cursor": body.get("nextCursor")}),
    )


def _by_id(name: str, message: str, fields: dict[str, str]) -> _Call:
    given, errors = _required(fields, "id")
    if errors:
        raise invalid_fields(errors)
    operation = _BY_NAME[name]
    return _Call(
        operation=operation,
        data=None if operation.input is None else _camel_fields(fields, frozenset({"id"})),
        ids={"sessionId": given["id"]},
        message=message,
        names={"sessionId": "id"},
    )


def _get(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _by_id("getSession", "Session", fields)


def _create(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _Call(
        operation=_BY_NAME["createSession"],
        data=_camel_fields(fields, frozenset()),
        ids={},
        message="Session created",
        names={},
    )


def _update(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _by_id("updateSession", "Session updated", fields)


def _cancel(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _by_id("cancelSession", "Session cancelled", fields)


def _complete(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    given, errors = _required(fields, "id")
    times: dict[str, time] = {}
    for name in ("actual_start_time", "actual_end_time"):
        value = fields.get(name, "").strip()
        match = _TIME.match(value)
        if match is None:
            message = "field required" if not value else "expected a time HH:MM (00:00-23:59)"
            errors.append(FieldError(field=name, message=message))
        else:
            times[name] = time(int(match[1]), int(match[2]), int(match[3] or 0))
    if errors:
        raise invalid_fields(errors)
    session_id = given["id"]
    day, zone = _session_day(caller, session_id)
    start, end = (
        datetime.combine(day, times[n], tzinfo=zone)
        for n in ("actual_start_time", "actual_end_time")
    )
    body: dict[str, Any] = {"actualStart": start.isoformat(), "actualEnd": end.isoformat()}
    rest = {k: v for k, v in fields.items() if k not in {"id", *times}}
    body.update(_camel_fields(rest, frozenset()))
    return _Call(
        operation=_BY_NAME["completeSession"],
        data=body,
        ids={"sessionId": session_id},
        message="Session completed",
        names={"sessionId": "id"},
    )


def _session_day(caller: Caller, session_id: str) -> tuple[Any, Any]:
    """The session's date in the caller's time zone (its planned start's; else today's), and
    that zone (``users/{uid}.timezone``, else UTC): where the seed's ``09:30`` is."""
    from sessionbase.domain.stats import zone
    from sessionbase.services.access import readable_for_change
    from sessionbase.services.context import Context
    from sessionbase.store.audit import Scope
    from sessionbase.store.client import firestore_client
    from sessionbase.store.storage import default_objects
    from sessionbase.store.work import Store

    now = datetime.now(UTC)
    ctx = Context(  # reads only; audited as the action all the same
        caller=caller,
        store=Store(firestore_client(), audit=Scope.request("faculty", caller, now)),
        now=now,
        objects=default_objects(),
    )
    session, _version = readable_for_change(ctx, session_id)
    tz = zone(ctx.store.stats.timezone_of(caller.uid))
    return (session.scheduledStart or ctx.now).astimezone(tz).date(), tz


def _add_note(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    given, errors = _required(fields, "completion_id")
    if errors:
        raise invalid_fields(errors)
    body = {"text": fields.get("note_text", "")}
    if "note_type" in fields:
        body["type"] = fields["note_type"]
    rest = {k: v for k, v in fields.items() if k not in {"completion_id", "note_text", "note_type"}}
    body.update(_camel_fields(rest, frozenset()))
    return _Call(
        operation=_BY_NAME["addSessionNote"],
        data=body,
        ids={"sessionId": given["completion_id"]},
        message="Note added",
        names={"sessionId": "completion_id"},
    )


def _child(name: str, child: str, message: str, fields: dict[str, str], path_id: str) -> _Call:
    session, errors = _required(fields, "completion_id")
    item, more = _required(fields, f"{child}_id", "id")
    if errors or more:
        raise invalid_fields([*errors, *more])
    chosen = next(iter(item))
    return _Call(
        operation=_BY_NAME[name],
        data=None,
        ids={"sessionId": session["completion_id"], path_id: item[chosen]},
        message=message,
        names={"sessionId": "completion_id", path_id: chosen},
    )


def _delete_note(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _child("deleteSessionNote", "note", "Note deleted", fields, "noteId")


def _delete_attachment(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _child("deleteAttachment", "attachment", "Attachment deleted", fields, "attachmentId")


def _occurrences(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    return _Call(
        operation=_BY_NAME["listOccurrences"],
        data=_camel_fields(fields, frozenset()),
        ids={},
        message="Upcoming sessions",
        names={},
        shape=lambda body: (body["occurrences"], {"truncated": body.get("truncated", False)}),
    )


def _upload(request: Request, caller: Caller, fields: dict[str, str]) -> _Call:
    from sessionbase.services.analysis.uploads import FormFile, store_attachment

    given, errors = _required(fields, "completion_id")
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        errors.append(FieldError(field="file", message="field required"))
    description = fields.get("description", "").strip() or None
    if description is not None and len(description) > MAX_DESCRIPTION:
        errors.append(
            FieldError(field="description", message=f"at most {MAX_DESCRIPTION} characters")
        )
    unknown = set(fields) - {"completion_id", "description"}
    errors += [FieldError(field=name, message="unknown field") for name in sorted(unknown)]
    if errors or sent is None:
        raise invalid_fields(errors)
    stream = sent.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    declared = sent.mimetype
    if not declared or declared == "application/octet-stream":
        declared = mimetypes.guess_type(sent.filename or "")[0] or declared
    upload = FormFile(
        file_name=sent.filename or "file",
        content_type=declared or "application/octet-stream",
        size=size,
        stream=stream,
        description=description,
    )
    operation: Operation[Any] = Operation(
        name="uploadAttachmentForm",
        method="POST",
        path=PATH,
        path_ids=("sessionId",),
        service=lambda: partial(store_attachment, upload=upload),
        who="the session's coach or athlete, admin",
        status=201,
    )
    return _Call(
        operation=operation,
        data=None,
        ids={"sessionId": given["completion_id"]},
        message="Attachment uploaded",
        names={"sessionId": "completion_id"},
    )


_ACTIONS: dict[str, Callable[[Request, Caller, dict[str, str]], _Call]] = {
    "list": _list,
    "get": _get,
    "create": _create,
    "update": _update,
    "complete": _complete,
    "cancel": _cancel,
    "add_note": _add_note,
    "delete_note": _delete_note,
    "upload_attachment": _upload,
    "delete_attachment": _delete_attachment,
    "occurrences": _occurrences,
}
_READS = frozenset({"list", "get", "occurrences"})
