"""Attachments (DESIGN.md §4): which types are accepted, and what the first bytes really are.

The declared content type is the uploader's claim; the bytes decide. An upload is registered
only when its first bytes are a format its declared type allows, so a ``.pdf`` that is really
an executable is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 100 * 1024**2  # storage.rules: maxAttachmentBytes()
SNIFF_BYTES = 64  # enough for every signature below

_OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WAV = ("audio/wav", "audio/x-wav", "audio/wave")
_MP3 = ("audio/mpeg", "audio/mp3")

# Declared types storage.rules accepts (attachmentTypes()).
DECLARED_TYPES = frozenset(
    {
        "application/pdf",
        "video/mp4",
        "video/webm",
        "video/quicktime",
        "video/mpeg",
        *_MP3,
        *_WAV,
        "audio/webm",
        "application/msword",
        _OOXML_WORD,
        "application/vnd.ms-excel",
        _OOXML_SHEET,
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
    }
)


@dataclass(frozen=True)
class Sniffed:
    """A format recognised from the first bytes, and the declared types it may be uploaded as."""

    name: str
    types: tuple[str, ...]


def sniff(head: bytes) -> Sniffed | None:
    """The format of a file from its first bytes, or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return Sniffed("PDF", ("application/pdf",))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("PNG", ("image/png",))
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("JPEG", ("image/jpeg",))
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("GIF", ("image/gif",))
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Sniffed("WebP", ("image/webp",))
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return Sniffed("WAV", _WAV)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return Sniffed("QuickTime", ("video/quicktime",))
        return Sniffed("MP4", ("video/mp4", "video/quicktime"))
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return Sniffed("QuickTime", ("video/quicktime", "video/mp4"))
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("WebM", ("video/webm", "audio/webm"))
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return Sniffed("MPEG", ("video/mpeg",))
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return Sniffed("MP3", _MP3)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed("Office (OLE2)", ("application/msword", "application/vnd.ms-excel"))
    if head.startswith(b"PK\x03\x04"):
        return Sniffed("Office Open XML (zip)", (_OOXML_WORD, _OOXML_SHEET))
    return None


def _described(head: bytes) -> str:
    """A reader's name for bytes we do not accept."""
    if head.startswith(b"MZ"):
        return "a Windows executable"
    if head.startswith(b"\x7fELF"):
        return "a Linux executable"
    if head.startswith(b"#!"):
        return "a script"
    return "a file of an unrecognised type" if head else "an empty file"


def rejection(declared: str | None, size: int, head: bytes) -> str | None:
    """Why an attachment upload is refused, or None when it is accepted."""
    if size > MAX_ATTACHMENT_BYTES:
        return f"The file is larger than {MAX_ATTACHMENT_BYTES // 1024**2} MB."
    declared = (declared or "").lower()
    if declared not in DECLARED_TYPES:
        return f"The type {declared or '(none)'} is not accepted for attachments."
    found = sniff(head)
    if found is None:
        return f"The file was declared {declared} but is {_described(head)}."
    if declared not in found.types:
        return f"The file was declared {declared} but its bytes are {found.name}."
    return None
