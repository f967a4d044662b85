"""Python values as Firestore REST ``Value`` JSON (the emulator's REST API speaks only that)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def encode_value(value: Any) -> dict[str, Any]:
    """A Python value as a Firestore REST ``Value``."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, datetime):
        return {"timestampValue": value.astimezone(UTC).isoformat().replace("+00:00", "Z")}
    if isinstance(value, list):
        return {"arrayValue": {"values": [encode_value(v) for v in value]}}
    if isinstance(value, dict):
        return {"mapValue": {"fields": encode_fields(value)}}
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A dict as Firestore REST ``fields``."""
    return {key: encode_value(val) for key, val in data.items()}
