"""push.py: the exact web-push messages built, sent in batches through the transport, and the
devices whose tokens the messaging API called invalid — with a recording stand-in for the API,
which cannot be reached offline."""

from __future__ import annotations

from firebase_admin import exceptions, messaging

from sessionbase import push
from sessionbase.store.notifications import Device


class Recording:
    """A stand-in for FCM: records each call's messages; fails the tokens it is told to."""

    def __init__(self, failing: dict[str, Exception] | None = None) -> None:
        self.calls: list[list[messaging.Message]] = []
        self.failing = failing or {}

    def send_each(self, messages: list[messaging.Message]) -> list[Exception | None]:
        self.calls.append(messages)
        return [self.failing.get(str(message.token)) for message in messages]


def pushes(n: int) -> list[push.Push]:
    return [
        push.Push(
            device=Device(uid=f"u{i}", device_id=f"d{i}", token=f"token-{i}"),
            key="classStarted-s1",
            title="Yoga has started",
            body="Tess started a class in Yoga. Check in now.",
            url="https://demo.web.app/classes/g1",
        )
        for i in range(n)
    ]


def test_each_device_gets_the_exact_message():
    sent = Recording()
    assert push.send(pushes(1), sent) == []
    (message,) = sent.calls[0]
    assert message.token == "token-0"
    assert message.notification is not None
    assert (message.notification.title, message.notification.body) == (
        "Yoga has started",
        "Tess started a class in Yoga. Check in now.",
    )
    assert message.webpush is not None
    assert message.webpush.fcm_options is not None
    assert message.webpush.fcm_options.link == "https://demo.web.app/classes/g1"
    assert message.data == {"eventKey": "classStarted-s1", "url": "https://demo.web.app/classes/g1"}


def test_messages_go_in_batches_the_api_allows():
    sent = Recording()
    push.send(pushes(1201), sent)
    assert [len(call) for call in sent.calls] == [500, 500, 201]


def test_only_tokens_the_api_calls_invalid_are_forgotten():
    sent = Recording(
        {
            "token-1": messaging.UnregisteredError("gone"),
            "token-2": messaging.SenderIdMismatchError("other project"),
            "token-3": exceptions.UnavailableError("try later"),
            "token-4": exceptions.InvalidArgumentError("The registration token is not valid"),
            "token-5": exceptions.InvalidArgumentError("message too big"),
        }
    )
    invalid = push.send(pushes(6), sent)
    assert [device.device_id for device in invalid] == ["d1", "d2", "d4"]
