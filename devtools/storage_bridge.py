"""Local stand-in for the Storage emulator's events: GCS server writes -> the finalize trigger.

Dev tooling only, never deployed. The Storage emulator cannot start offline (README, "Online and
offline"), so uploads go to a GCS-compatible server (fake-gcs-server), which sends no events.
This bridge watches that server's bucket and, for every new object generation, delivers the
``google.cloud.storage.object.v1.finalized`` CloudEvent the Storage emulator would send, to the
Functions emulator, so the deployed ``register_upload`` trigger runs exactly as in production.

    python -m devtools.storage_bridge --storage http://127.0.0.1:9198 \
        --functions http://127.0.0.1:5001 --project demo-sessionbase \
        --bucket demo-sessionbase.appspot.com
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import requests

log = logging.getLogger("storage-bridge")
FINALIZED = "google.cloud.storage.object.v1.finalized"


def finalize_event(obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The CloudEvent (structured JSON) Cloud Storage sends when ``obj`` is finalized."""
    bucket, name = obj["bucket"], obj["name"]
    data = {
        "kind": "storage#object",
        "id": obj.get("id") or f"{bucket}/{name}/{obj['generation']}",
        "storageClass": obj.get("storageClass") or "STANDARD",
        "metageneration": str(obj.get("metageneration") or "1"),
        "size": str(obj.get("size") or "0"),
        **{key: value for key, value in obj.items() if key not in ("size", "metageneration")},
    }
    data["generation"] = str(obj["generation"])
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "type": FINALIZED,
        "source": f"//storage.googleapis.com/projects/_/buckets/{bucket}/objects/{name}",
        "subject": f"objects/{name}",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "datacontenttype": "application/json",
        "data": data,
    }


def deliver(functions_url: str, project: str, event: dict[str, Any], timeout: float = 30) -> None:
    """POST one CloudEvent to the Functions emulator, which runs every trigger it matches."""
    response = requests.post(
        f"{functions_url}/functions/projects/{project}/trigger_multicast",
        json=event,
        headers={"Content-Type": "application/cloudevents+json"},
        timeout=timeout,
    )
    response.raise_for_status()


def list_objects(storage_url: str, bucket: str) -> list[dict[str, Any]]:
    """Every object (latest generation) in the bucket of the GCS-compatible server."""
    objects: list[dict[str, Any]] = []
    token = None
    while True:
        params = {"maxResults": "1000", **({"pageToken": token} if token else {})}
        response = requests.get(f"{storage_url}/storage/v1/b/{bucket}/o", params=params, timeout=10)
        response.raise_for_status()
        page = response.json()
        objects.extend(page.get("items", []))
        token = page.get("nextPageToken")
        if not token:
            return objects


def run(storage_url: str, functions_url: str, project: str, bucket: str, interval: float) -> None:
    """Watch the bucket forever; deliver each new generation once (retrying failed deliveries)."""
    delivered: set[tuple[str, str]] = set()
    while True:
        try:
            objects = list_objects(storage_url, bucket)
        except requests.RequestException as error:
            log.debug("storage server not answering: %s", error)
            time.sleep(interval)
            continue
        for obj in objects:
            key = (obj["name"], str(obj["generation"]))
            if key in delivered:
                continue
            try:
                deliver(functions_url, project, finalize_event(obj))
            except requests.RequestException as error:
                log.info("finalize event for %s not delivered yet: %s", obj["name"], error)
                break  # the Functions emulator is not up yet: try again next round
            delivered.add(key)
            log.info("finalize event delivered: %s (generation %s)", *key)
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    """Command line: watch one bucket until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", required=True, help="GCS-compatible server URL")
    parser.add_argument("--functions", required=True, help="Functions emulator URL")
    parser.add_argument("--project", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between listings")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="[storage-bridge] %(message)s", stream=sys.stderr
    )
    try:
        run(args.storage, args.functions, args.project, args.bucket, args.interval)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
