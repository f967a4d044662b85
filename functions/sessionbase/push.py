"""Web push through Firebase Cloud Messaging, behind one boundary.

The messaging API cannot be reached offline, so everything up to the call is ours and tested:
``messages`` builds the exact ``firebase_admin.messaging.Message`` per device, ``send`` sends
them in batches of ``SEND_LIMIT`` through a ``Transport`` and answers the devices whose tokens the
API called invalid (the caller forgets them). ``FirebaseTransport`` is the real one (``send_each``);
tests use a recording stand-in. Push is off unless ``SESSIONBASE_PUSH`` is ``on``
(``settings.push_enabled``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from firebase_admin import messaging

    from sessionbase.store.notifications import Device

# Messages per send_each call (the API's limit).
SEND_LIMIT = 500


@dataclass(frozen=True, kw_only=True)
class Push:
    """One notification for one device."""

    device: Device
    key: str
    title: str
    body: str
    url: str


class Transport(Protocol):
    """Sends messages; answers, per message in order, None or the error the API gave."""

    def send_each(self, messages: list[messaging.Message]) -> list[Exception | None]: ...


class FirebaseTransport:
    """``firebase_admin.messaging.send_each`` (the default app)."""

    def send_each(self, messages: list[messaging.Message]) -> list[Exception | None]:
        from firebase_admin import messaging

        return [response.exception for response in messaging.send_each(messages).responses]


def message(push: Push) -> messaging.Message:
    """The web-push message for one device: the title and body shown by the browser, and a click
    that opens ``url``; ``data`` carries the event key for the app."""
    from firebase_admin import messaging

    with warnings.catch_warnings():
        # firebase-admin 7.5 deprecated ``token`` for installation ids (``fid``), which the web
        # SDK does not give: its getToken() answers a registration token (docs/decisions.md).
        warnings.simplefilter("ignore", DeprecationWarning)
        return messaging.Message(
            token=push.device.token,
            notification=messaging.Notification(title=push.title, body=push.body),
            webpush=messaging.WebpushConfig(fcm_options=messaging.WebpushFCMOptions(link=push.url)),
            data={"eventKey": push.key, "url": push.url},
        )


def send(pushes: Sequence[Push], transport: Transport) -> list[Device]:
    """Send every push, ``SEND_LIMIT`` at a time; the devices whose tokens are invalid
    (unregistered, or not tokens of this project). Other failures are not the token's fault:
    the device is kept."""
    invalid: list[Device] = []
    for start in range(0, len(pushes), SEND_LIMIT):
        part = pushes[start : start + SEND_LIMIT]
        errors = transport.send_each([message(push) for push in part])
        invalid += [push.device for push, error in zip(part, errors, strict=True) if _gone(error)]
    return invalid


def _gone(error: Exception | None) -> bool:
    if error is None:
        return False
    from firebase_admin import exceptions, messaging

    return isinstance(
        error,
        messaging.UnregisteredError | messaging.SenderIdMismatchError | exceptions.NotFoundError,
    ) or (isinstance(error, exceptions.InvalidArgumentError) and "token" in str(error).lower())
