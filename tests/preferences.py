"""What a person who chose nothing gets for each kind of notification, written out here rather
than read from ``models/notifications.DEFAULTS``, so that a change of the defaults fails the
tests that state them (the unit tier's and the emulator tier's)."""

KINDS = (
    "invitationReceived",
    "invitationAccepted",
    "invitationDeclined",
    "analysisCompleted",
    "analysisFailed",
    "commentAdded",
    "classStarted",
    "markedAbsent",
    "sessionCompleted",
    "roleChanged",
    "exportReady",
)
EMAIL_OFF_BY_DEFAULT = frozenset({"classStarted", "commentAdded"})
DEFAULT_PREFERENCES = {
    kind: {"email": kind not in EMAIL_OFF_BY_DEFAULT, "push": True} for kind in KINDS
}
