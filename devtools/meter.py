"""The capacity meter's counting side: what a Functions worker did, one JSON line per event.

Dev tooling, never deployed, imported by nothing under functions/. scripts/coverage_hook/
sitecustomize.py loads this file (by its path: the worker's ``sys.path`` stays as deployed) in
every Functions emulator worker when ``SESSIONBASE_METER=<dir>`` is set, and calls ``install()``.
``install()`` wraps, as each module is first imported (a ``sys.meta_path`` finder, so a worker
that never touches Storage never imports it):

- the Firestore GAPIC client (``FirestoreClient``): documents read by ``batch_get_documents``
  (each one asked for, found or missing) and ``run_query`` (each one returned, at least 1 per
  query), aggregations (1 per 1,000 counted, at least 1), and each ``commit``'s writes, with
  the document path, the kind (set, update, delete, transform) and the field paths written
  (for the index-entry estimate, devtools/capacity.py);
- ``firebase_admin.auth``'s functions (by name), ``firebase_admin.functions.TaskQueue.enqueue``;
- ``sessionbase.store.storage.ObjectStore``'s methods (by kind, with bytes), and each range the
  readers it hands out fetch;
- functions-framework's app: one invocation per request the emulator sends, with its duration.

Invocation start and end lines are always written (the harness waits on them for quiet); the
rest only while ``<dir>/recording`` exists (checked once per invocation). While it exists, a
CloudEvent delivered again (same function, same event id: the emulator delivers each Firestore
event twice) is answered 200 without running the function, and counted as a duplicate: the
counts are then those of one delivery per event, as Cloud Functions mostly delivers, and do not
depend on which of two racing deliveries won.

Each line goes to ``<dir>/<pid>.jsonl`` with one ``O_APPEND`` write.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import io
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

DIRECTORY = os.environ.get("SESSIONBASE_METER", "")
FUNCTION = os.environ.get("FUNCTION_TARGET", "")
RECORDING = "recording"  # the marker file the harness creates while an action is counted
AUTH_RECORD_SECONDS = "SESSIONBASE_AUTH_RECORD_SECONDS"

_lock = threading.Lock()
_recording = 0  # invocations in flight that started while the marker existed
_invocations = 0
_kept: dict[str, str | None] = {}  # environment values replaced while recording


def emit(kind: str, **fields: Any) -> None:
    """Append one event line to this process's file."""
    line = json.dumps({"k": kind, "fn": FUNCTION, "pid": os.getpid(), "t": time.time(), **fields})
    path = os.path.join(DIRECTORY, f"{os.getpid()}.jsonl")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def recording() -> bool:
    """Whether an invocation that is being counted is in flight in this process."""
    return _recording > 0


def count(kind: str, **fields: Any) -> None:
    """An event counted only while an action is being recorded."""
    if _recording > 0:
        emit(kind, **fields)


# ---- where modules get wrapped ------------------------------------------------------------------


class _Finder(importlib.abc.MetaPathFinder):
    """Runs a patch right after a module listed in ``PATCHES`` is executed."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Loader(spec.loader, PATCHES[name])
                return spec
        return None


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: Any, patch: Callable[[Any], None]) -> None:
        self.inner = inner
        self.patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        return self.inner.create_module(spec)

    def __getattr__(self, name: str) -> Any:  # get_data, is_package, resource readers...
        return getattr(self.inner, name)

    def exec_module(self, module: Any) -> None:
        self.inner.exec_module(module)
        try:
            self.patch(module)
        except Exception as error:  # never break the worker: say so in the meter's file
            emit("meter-error", module=module.__name__, error=repr(error))


def install() -> None:
    """Start the meter in this process (a Functions worker)."""
    if not DIRECTORY or not FUNCTION:
        return
    os.makedirs(os.path.join(DIRECTORY, "seen"), exist_ok=True)
    sys.meta_path.insert(0, _Finder())
    emit("boot")


# ---- invocations --------------------------------------------------------------------------------


def _event_id(environ: dict[str, Any]) -> str | None:
    """The CloudEvent id of a delivery (binary mode: the ce-id header; structured: the body's)."""
    if environ.get("HTTP_CE_ID"):
        return str(environ["HTTP_CE_ID"])
    if "cloudevents+json" not in environ.get("CONTENT_TYPE", ""):
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        found = json.loads(body).get("id")
    except ValueError:
        return None
    return None if found is None else str(found)


def _first_delivery(event: str) -> bool:
    digest = hashlib.sha256(f"{FUNCTION}\0{event}".encode()).hexdigest()[:32]
    try:
        os.close(os.open(os.path.join(DIRECTORY, "seen", digest), os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return False
    return True


def metered_app(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """The worker's WSGI app, each request counted as one invocation of this function."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        global _recording, _invocations
        with _lock:
            _invocations += 1
            number = _invocations
        recorded = os.path.exists(os.path.join(DIRECTORY, RECORDING))
        event = _event_id(environ) if recorded else None
        if event is not None and not _first_delivery(event):
            emit("duplicate", event=event)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"OK"]
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__/"):  # the emulator's health probe of a new worker
            emit("start", n=number, rec=False, probe=True)
            try:
                return wsgi_app(environ, start_response)
            finally:
                emit("end", n=number, rec=False, probe=True, s=0.0, path=path)
        emit("start", n=number, rec=recorded, event=event)
        if recorded:
            with _lock:
                if _recording == 0:
                    _kept[AUTH_RECORD_SECONDS] = os.environ.get(AUTH_RECORD_SECONDS)
                _recording += 1
            # The per-instance copy of the caller's Auth record (handlers/auth.py) is kept for
            # the requests of a window: which instance serves a request, and when, would decide
            # whether it looks up. Counted as if none were kept: each request's lookup counted,
            # the cache's worst case (docs/capacity.md, "How it counts").
            os.environ[AUTH_RECORD_SECONDS] = "0"
        started = time.perf_counter()
        try:
            return wsgi_app(environ, start_response)
        finally:
            seconds = time.perf_counter() - started
            if recorded:
                with _lock:
                    _recording -= 1
                    if _recording == 0:
                        _restore()
            emit("end", n=number, rec=recorded, s=seconds, path=path)

    return app


def _restore() -> None:
    for name, value in _kept.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _kept.clear()


def _patch_framework(module: Any) -> None:
    create_app = module.create_app

    def metered_create_app(*args: Any, **kwargs: Any) -> Any:
        flask_app = create_app(*args, **kwargs)
        flask_app.wsgi_app = metered_app(flask_app.wsgi_app)
        return flask_app

    module.create_app = metered_create_app


# ---- Firestore ----------------------------------------------------------------------------------


def _path(name: str) -> str:
    """A document path from a resource name (``projects/p/databases/d/documents/a/b``)."""
    if name.endswith("/documents"):  # a query's parent: the database's root
        return ""
    return name.split("/documents/", 1)[-1]


class _Stream:
    """A response stream, each response looked at as the caller takes it; ``done`` is called
    once, when the stream ends or is dropped."""

    def __init__(self, inner: Any, look: Callable[[Any], None], done: Callable[[], None]) -> None:
        self._inner = inner
        self._iterator: Iterator[Any] | None = None
        self._look = look
        self._done: Callable[[], None] | None = done

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> Any:
        if self._iterator is None:
            self._iterator = iter(self._inner)
        try:
            response = next(self._iterator)
        except StopIteration:
            self._finish()
            raise
        except BaseException:
            self._finish()
            raise
        self._look(response)
        return response

    def _finish(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done()

    def __del__(self) -> None:
        self._finish()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _leaves(fields: Any, prefix: str, out: dict[str, int]) -> None:
    """Field path -> 0 for a plain value; for an array, -1 minus its number of distinct
    elements (its array-contains entries); maps recursed to their leaves."""
    for key, value in fields.items():
        path = f"{prefix}{key}"
        kind = value.WhichOneof("value_type")
        if kind == "map_value":
            _leaves(value.map_value.fields, f"{path}.", out)
        elif kind == "array_value":
            out[path] = -1 - len({v.SerializeToString() for v in value.array_value.values})
        else:
            out[path] = 0


def _write(write: Any) -> dict[str, Any]:
    pb = getattr(write, "_pb", write)
    operation = pb.WhichOneof("operation")
    transforms = [t.field_path for t in pb.update_transforms]
    if operation == "delete":
        return {"d": _path(pb.delete), "op": "delete"}
    if operation == "transform":
        found = [t.field_path for t in pb.transform.field_transforms]
        return {"d": _path(pb.transform.document), "op": "transform", "f": dict.fromkeys(found, 0)}
    fields: dict[str, int] = {}
    _leaves(pb.update.fields, "", fields)
    masked = pb.HasField("update_mask")
    if masked:  # an update: what the mask names (a map named whole counts its leaves)
        mask = list(pb.update_mask.field_paths)
        fields = {
            f: n for f, n in fields.items() if any(f == m or f.startswith(f"{m}.") for m in mask)
        }
        for m in mask:
            if not any(f == m or f.startswith(f"{m}.") for f in fields):
                fields[m] = 0  # deleted by the update (DELETE_FIELD): its entries go
    fields.update(dict.fromkeys(transforms, 0))
    op = "update" if masked else "set"
    exists = pb.current_document.WhichOneof("condition_type")
    if exists == "exists" and not pb.current_document.exists:
        op = "create"
    return {"d": _path(pb.update.name), "op": op, "f": fields}


def _request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return kwargs.get("request", args[0] if args else None)


def _item(request: Any, key: str) -> Any:
    if request is None:
        return None
    if isinstance(request, dict):
        return request.get(key)
    return getattr(request, key, None)


# The GAPIC methods wrapped (the client library reaches Firestore through these alone).
FIRESTORE_METHODS = (
    "batch_get_documents", "run_query", "run_aggregation_query", "commit", "batch_write",
    "begin_transaction", "rollback", "get_document", "list_documents", "list_collection_ids",
    "update_document", "delete_document",
)  # fmt: skip


def _patch_firestore(module: Any) -> None:
    client = module.FirestoreClient

    def batch_get_documents(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            stream = original(self, *args, **kwargs)
            if not recording():
                return stream
            read: list[str] = []

            def look(response: Any) -> None:
                pb = getattr(response, "_pb", response)
                result = pb.WhichOneof("result")
                if result == "found":
                    read.append(_path(pb.found.name))
                elif result == "missing":
                    read.append(_path(pb.missing))

            return _Stream(stream, look, lambda: count("read", via="get", docs=read))

        return wrapped

    def run_query(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            stream = original(self, *args, **kwargs)
            if not recording():
                return stream
            request = _request(args, kwargs)
            parent = _path(str(_item(request, "parent") or ""))
            query = _item(request, "structured_query")
            source = _item(query, "from_") or _item(query, "from") or []
            collection = ""
            if source:
                collection = str(_item(source[0], "collection_id") or "")
            read: list[str] = []

            def look(response: Any) -> None:
                pb = getattr(response, "_pb", response)
                if pb.HasField("document"):
                    read.append(_path(pb.document.name))

            def done() -> None:
                where = f"{parent}/{collection}".strip("/") if parent != "" else collection
                count("read", via="query", docs=read, query=where)

            return _Stream(stream, look, done)

        return wrapped

    def run_aggregation_query(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            stream = original(self, *args, **kwargs)
            if not recording():
                return stream
            counted: list[int] = []

            def look(response: Any) -> None:
                pb = getattr(response, "_pb", response)
                if pb.HasField("result"):
                    for value in pb.result.aggregate_fields.values():
                        if value.WhichOneof("value_type") == "integer_value":
                            counted.append(int(value.integer_value))

            def done() -> None:
                entries = max(counted) if counted else 0
                count("read", via="aggregation", n=max(1, -(-entries // 1000)), entries=entries)

            return _Stream(stream, look, done)

        return wrapped

    def commit(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            if recording():
                writes = _item(_request(args, kwargs), "writes") or []
                count("commit", writes=[_write(w) for w in writes])
            return result

        return wrapped

    def batch_write(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            if recording():
                writes = _item(_request(args, kwargs), "writes") or []
                statuses = list(getattr(result, "status", []) or [])
                applied = [
                    _write(w)
                    for n, w in enumerate(writes)
                    if n >= len(statuses) or getattr(statuses[n], "code", 0) == 0
                ]
                count("commit", writes=applied)
            return result

        return wrapped

    def plain(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
            def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
                result = original(self, *args, **kwargs)
                count("firestore-call", name=name)
                return result

            return wrapped

        return wrap

    wrappers = {
        "batch_get_documents": batch_get_documents,
        "run_query": run_query,
        "run_aggregation_query": run_aggregation_query,
        "commit": commit,
        "batch_write": batch_write,
        "begin_transaction": plain("begin_transaction"),
        "rollback": plain("rollback"),
        "get_document": plain("get_document"),
        "list_documents": plain("list_documents"),
        "list_collection_ids": plain("list_collection_ids"),
        "update_document": plain("update_document"),
        "delete_document": plain("delete_document"),
    }
    assert set(wrappers) == set(FIRESTORE_METHODS)
    for name, wrap in wrappers.items():
        setattr(client, name, wrap(getattr(client, name)))


# ---- Auth, Tasks, Storage -----------------------------------------------------------------------

# Verifying a token is local (the keys are cached), unless it asks for the revocation check.
_LOCAL = frozenset({"verify_id_token", "verify_session_cookie"})
AUTH_FUNCTIONS = (
    "get_user", "get_user_by_email", "get_user_by_phone_number", "get_users", "list_users",
    "create_user", "update_user", "delete_user", "delete_users", "set_custom_user_claims",
    "revoke_refresh_tokens", "create_custom_token", "create_session_cookie",
    "generate_email_verification_link", "generate_password_reset_link",
    "generate_sign_in_with_email_link", "import_users", "verify_id_token", "verify_session_cookie",
)  # fmt: skip


def _patch_auth(module: Any) -> None:
    for name in AUTH_FUNCTIONS:
        original = getattr(module, name, None)
        if original is None:
            continue

        def wrapped(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            lookup = _name not in _LOCAL or bool(kwargs.get("check_revoked"))
            try:
                return _original(*args, **kwargs)
            finally:
                count("auth", name=_name, lookup=lookup)

        setattr(module, name, wrapped)


def _patch_tasks(module: Any) -> None:
    queue = module.TaskQueue
    enqueue = queue.enqueue

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return enqueue(self, *args, **kwargs)
        finally:
            count("task", queue=str(getattr(self, "_function_name", "")))

    queue.enqueue = wrapped


def _downloads_counted(blob: Any, kind: str) -> Any:
    """``blob`` with each ranged download counted as one Storage read (a reader's fetches)."""
    download = blob.download_as_bytes

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        data = download(*args, **kwargs)
        count("storage", op=kind, n=1, r=len(data))
        return data

    blob.download_as_bytes = wrapped
    return blob


def _patch_storage(module: Any) -> None:
    store = module.ObjectStore

    def wrap(name: str, measure: Callable[[tuple[Any, ...], Any], dict[str, int]]) -> None:
        original = getattr(store, name)

        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            if recording():
                try:
                    measured = measure(args + tuple(kwargs.values()), result)
                except Exception as error:  # a call shaped otherwise: counted, bytes unknown
                    measured = {"n": 1, "unmeasured": 1}
                    emit("meter-error", op=name, error=repr(error))
                count("storage", op=name, **measured)
            return result

        setattr(store, name, wrapped)

    def size(data: Any) -> int:
        return len(data) if isinstance(data, bytes | str) else 0

    wrap("upload_session", lambda a, r: {"n": 1})
    wrap("delete_prefix", lambda a, r: {"n": 1 + int(r)})  # the listing, each delete
    wrap("head", lambda a, r: {"n": 1, "r": size(r)})
    wrap("read_json", lambda a, r: {"n": 1, "r": size(json.dumps(r)) if r is not None else 0})
    wrap("write_json", lambda a, r: {"n": 1, "w": size(json.dumps(a[1]))})
    wrap("write_bytes", lambda a, r: {"n": 1, "w": size(a[1])})
    wrap("write_stream", lambda a, r: {"n": 1, "w": int(getattr(r, "size", 0) or 0)})
    wrap("delete", lambda a, r: {"n": 1})
    wrap("strip_download_tokens", lambda a, r: {"n": 1})
    wrap("rename_uploader", lambda a, r: {"n": 2})  # a metadata read, a patch
    wrap("download_url", lambda a, r: {"n": 0, "signed": 1})  # IAM signBlob when deployed
    wrap("objects", lambda a, r: {"n": 1})

    reader = store.reader

    def counted_reader(self: Any, *args: Any, **kwargs: Any) -> Any:
        opened = reader(self, *args, **kwargs)
        blob = getattr(opened, "_blob", None)
        if blob is None:
            emit("meter-error", op="reader", error="the reader has no _blob: fetches not counted")
        else:
            _downloads_counted(blob, "reader_fetch")
        return opened

    store.reader = counted_reader
    sample = store.sample

    def counted_sample(self: Any, *args: Any, **kwargs: Any) -> Any:
        found = sample(self, *args, **kwargs)
        if found is not None and getattr(found, "_blob", None) is not None:
            _downloads_counted(found._blob, "sample_range")
        return found

    store.sample = counted_sample


PATCHES: dict[str, Callable[[Any], None]] = {
    "functions_framework": _patch_framework,
    "google.cloud.firestore_v1.services.firestore.client": _patch_firestore,
    "firebase_admin.auth": _patch_auth,
    "firebase_admin.functions": _patch_tasks,
    "sessionbase.store.storage": _patch_storage,
}
