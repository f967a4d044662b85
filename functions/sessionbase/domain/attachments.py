"""Attachments (DESIGN.md §4): which types are accepted, what the bytes really are, and the name
a file is stored and shown under.

The declared content type is the uploader's claim; the bytes decide. An upload is registered
only when its bytes are a format its declared type allows, so a ``.pdf`` that is really an
executable is refused. Containers are looked into, not just their first bytes: an MP4's brand
must be a video brand, an MP3 must start with a run of valid frames, a ``.docx`` must be a zip
holding ``[Content_Types].xml`` and a Word part, a ``.doc`` a compound file of Word's class. A
file is stored and shown with the extension of the type found, never the uploader's.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Protocol

from sessionbase.models.sessions import ATTACHMENTS_PER_SESSION

MAX_ATTACHMENT_BYTES = 100 * 1024**2  # storage.rules: maxAttachmentBytes()
# The first bytes read of every file: enough for each signature and three MPEG audio frames.
SNIFF_BYTES = 16 * 1024

_OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WAV = ("audio/wav", "audio/x-wav", "audio/wave")
_MP3 = ("audio/mpeg", "audio/mp3")

# Declared types storage.rules accepts (attachmentTypes()), each with the extensions a file of
# that type is stored under (the first is the one given to a name that has none of them).
TYPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "video/mp4": ("mp4", "m4v"),
    "video/webm": ("webm",),
    "video/quicktime": ("mov", "qt"),
    "video/mpeg": ("mpg", "mpeg"),
    **dict.fromkeys(_MP3, ("mp3",)),
    **dict.fromkeys(_WAV, ("wav",)),
    "audio/webm": ("weba", "webm"),
    "application/msword": ("doc",),
    _OOXML_WORD: ("docx",),
    "application/vnd.ms-excel": ("xls",),
    _OOXML_SHEET: ("xlsx",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
}
DECLARED_TYPES = frozenset(TYPE_EXTENSIONS)


class Sample(Protocol):
    """A file being examined: its size, and byte ranges read on demand (a few per file)."""

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        ...

    def read(self, start: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``start`` (fewer at the end of the file)."""
        ...


@dataclass(frozen=True)
class InMemory:
    """A ``Sample`` of bytes already in memory."""

    data: bytes

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.data)

    def read(self, start: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``start``."""
        return self.data[start : start + length]


@dataclass(frozen=True)
class Sniffed:
    """A format recognised from the bytes, and the declared types it may be uploaded as."""

    name: str
    types: tuple[str, ...]


# ---- containers looked into ---------------------------------------------------------------------

# ISO base media (``ftyp``) major brands of MP4 video; anything else (HEIC, AVIF, 3GP, CR3...)
# is not accepted as MP4. ``qt  `` is QuickTime.
MP4_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
        b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"XAVC", b"dash", b"f4v ",
    }
)  # fmt: skip

# MPEG audio: kbit/s by (MPEG-1?, layer bits) for bitrate indexes 1-14; sample rates by version.
_BITRATES = {
    (True, 3): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),  # Layer I
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),  # Layer II
    (True, 1): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # Layer III
    (False, 3): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 1): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
MP3_FRAMES = 3  # consecutive valid frame headers that make a file MPEG audio
_MAX_FRAME = 2881  # MPEG-2 Layer II at 160 kbit/s and 8 kHz, padded
_ID3_PADDING = 4096  # zero bytes tolerated between an ID3 tag and the first frame

# Compound File (OLE2) root classes: Word 97-2003 and 6/95; Excel 97-2003 and 5/95.
_WORD_CLASSES = frozenset(uuid.UUID(f"000209{n}-0000-0000-c000-000000000046") for n in ("06", "00"))
_EXCEL_CLASSES = frozenset(
    uuid.UUID(f"000208{n}-0000-0000-c000-000000000046") for n in ("20", "10")
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_CENTRAL_DIRECTORY = 1024 * 1024  # an Office file's zip directory is a few kB
_MAX_ZIP_ENTRIES = 10_000

_WORD_DOC = Sniffed("Word document (OLE2)", ("application/msword",))
_EXCEL_BOOK = Sniffed("Excel workbook (OLE2)", ("application/vnd.ms-excel",))
_DOCX = Sniffed("Word document (Office Open XML)", (_OOXML_WORD,))
_XLSX = Sniffed("Excel workbook (Office Open XML)", (_OOXML_SHEET,))
_MPEG_AUDIO = Sniffed("MP3", _MP3)


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def mpeg_audio_frame_length(header: bytes) -> int | None:
    """The length of the MPEG audio frame this 4-byte header starts, or None if it is none."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate, rate, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer == 0 or bitrate in (0, 15) or rate == 3 or header[3] & 3 == 2:
        return None  # reserved values, or a free-format bitrate we cannot follow
    mpeg1 = version == 3
    bits = _BITRATES[(mpeg1, layer)][bitrate - 1] * 1000
    hertz = _SAMPLE_RATES[version][rate]
    if layer == 3:  # Layer I: 4-byte slots
        return (12 * bits // hertz + padding) * 4
    if layer == 1 and not mpeg1:  # Layer III of MPEG-2/2.5: half the samples per frame
        return 72 * bits // hertz + padding
    return 144 * bits // hertz + padding


def _frames_at(sample: Sample, start: int) -> bool:
    """A run of ``MP3_FRAMES`` valid frames of one stream from ``start`` (or of at least two
    that end exactly at the end of the file). Zero padding before the first is skipped."""
    window = sample.read(start, _ID3_PADDING + MP3_FRAMES * _MAX_FRAME + 4)
    offset = len(window) - len(window.lstrip(b"\0"))
    if offset > _ID3_PADDING:
        return False
    frames, stream = 0, b""
    while frames < MP3_FRAMES:
        if start + offset == sample.size and frames >= 2:
            return True
        header = window[offset : offset + 4]
        length = mpeg_audio_frame_length(header)
        # Every frame of a stream has the same version, layer and sample rate.
        kind = bytes([header[1] & 0xFE, header[2] & 0x0C]) if length else b""
        if length is None or (stream and kind != stream):
            return False
        frames, stream, offset = frames + 1, kind, offset + length
    return True


def _id3_end(head: bytes) -> int | None:
    """Where the ID3v2 tag at the start of ``head`` ends, or None if it is no valid tag."""
    if len(head) < 10 or not head.startswith(b"ID3") or head[3] not in (2, 3, 4):
        return None
    if head[4] == 0xFF or any(byte & 0x80 for byte in head[6:10]):
        return None
    size = 0
    for byte in head[6:10]:  # "syncsafe": 7 bits a byte
        size = size << 7 | byte
    footer = 10 if head[3] == 4 and head[5] & 0x10 else 0
    return 10 + size + footer


def _mpeg_audio(sample: Sample, head: bytes) -> bool:
    """An MP3: an optional valid ID3v2 tag, then a run of valid MPEG audio frames."""
    start = _id3_end(head) if head.startswith(b"ID3") else 0
    return start is not None and start < sample.size and _frames_at(sample, start)


def _compound_file_class(sample: Sample, head: bytes) -> Sniffed | None:
    """A Compound File (OLE2) that is a Word document or an Excel workbook, by its root
    entry's class (or, for a file that names none, by its main stream's name)."""
    shift = _u16(head, 30)
    first_directory = _u32(head, 48)
    if len(head) < 512 or shift not in (9, 12) or first_directory >= 0xFFFFFFFA:
        return None
    sector = 1 << shift
    directory = sample.read((first_directory + 1) * sector, sector)
    if len(directory) < 128 or directory[0x42] != 5:  # the first entry is the root storage
        return None
    root_class = uuid.UUID(bytes_le=bytes(directory[0x50:0x60]))
    if root_class in _WORD_CLASSES:
        return _WORD_DOC
    if root_class in _EXCEL_CLASSES:
        return _EXCEL_BOOK
    if root_class.int != 0:
        return None  # an installer (.msi), a Visio or Outlook file, ...
    names = set()
    for at in range(128, len(directory) - 127, 128):
        length = min(_u16(directory, at + 0x40), 64)
        names.add(directory[at : at + max(length - 2, 0)].decode("utf-16-le", "replace"))
    if "WordDocument" in names:
        return _WORD_DOC
    if names & {"Workbook", "Book"}:
        return _EXCEL_BOOK
    return None


def zip_names(sample: Sample) -> list[str] | None:
    """The entry names in a zip's central directory, or None if it has no readable one."""
    tail_length = min(sample.size, 22 + 65535)
    tail_start = sample.size - tail_length
    tail = sample.read(tail_start, tail_length)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return None
    count, size, offset = _u16(tail, end + 10), _u32(tail, end + 12), _u32(tail, end + 16)
    if size > _MAX_CENTRAL_DIRECTORY or offset + size > sample.size or count > _MAX_ZIP_ENTRIES:
        return None  # also a zip64 file (0xFFFFFFFF offsets): no Office file needs one
    if offset >= tail_start:
        directory = tail[offset - tail_start : offset - tail_start + size]
    else:
        directory = sample.read(offset, size)
    names, at = [], 0
    for _ in range(count):
        if directory[at : at + 4] != b"PK\x01\x02":
            return None
        length = _u16(directory, at + 28)
        names.append(directory[at + 46 : at + 46 + length].decode("utf-8", "replace"))
        at += 46 + length + _u16(directory, at + 30) + _u16(directory, at + 32)
    return names


def _office_open_xml(sample: Sample) -> Sniffed | None:
    """A zip that is a Word document or an Excel workbook without macros."""
    names = zip_names(sample)
    if not names or "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macros: a .docm or .xlsm under a .docx or .xlsx name
    if "word/document.xml" in names:
        return _DOCX
    if "xl/workbook.xml" in names:
        return _XLSX
    return None


# ---- the format of a file ----------------------------------------------------------------------


def sniff(sample: Sample) -> Sniffed | None:
    """The format of a file from its bytes, or None when it is none we accept."""
    head = sample.read(0, SNIFF_BYTES)
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
        if brand in MP4_BRANDS:
            return Sniffed("MP4", ("video/mp4", "video/quicktime"))
        return None
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return Sniffed("QuickTime", ("video/quicktime", "video/mp4"))
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("WebM", ("video/webm", "audio/webm"))
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):
        return Sniffed("MPEG", ("video/mpeg",))
    if head.startswith(_OLE2_MAGIC):
        return _compound_file_class(sample, head)
    if head.startswith(b"PK\x03\x04"):
        return _office_open_xml(sample)
    if (head.startswith(b"ID3") or head[:1] == b"\xff") and _mpeg_audio(sample, head):
        return _MPEG_AUDIO
    return None


def _described(head: bytes) -> str:
    """A reader's name for bytes we do not accept."""
    if head.startswith(b"MZ"):
        return "a Windows executable"
    if head.startswith(b"\x7fELF"):
        return "a Linux executable"
    if head.startswith(b"#!"):
        return "a script"
    if head[4:8] == b"ftyp":
        return f"an ISO media file of brand {head[8:12].decode('latin-1')!r}, not an MP4 video"
    if head.startswith(_OLE2_MAGIC):
        return "a compound file that is not a Word document or an Excel workbook"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive that is not a Word document or an Excel workbook without macros"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text"
    if head.startswith((b"ID3", b"\xff")):
        return "not a run of valid MPEG audio frames"
    return "a file of an unrecognised type" if head else "an empty file"


def rejection(declared: str | None, sample: Sample) -> str | None:
    """Why an attachment upload is refused, or None when it is accepted."""
    if sample.size > MAX_ATTACHMENT_BYTES:
        return f"The file is larger than {MAX_ATTACHMENT_BYTES // 1024**2} MB."
    declared = (declared or "").lower()
    if declared not in DECLARED_TYPES:
        return f"The type {declared or '(none)'} is not accepted for attachments."
    found = sniff(sample)
    if found is None:
        return f"The file was declared {declared} but is {_described(sample.read(0, 64))}."
    if declared not in found.types:
        return f"The file was declared {declared} but its bytes are {found.name}."
    return None


def extension_rejection(declared: str | None, path: str) -> str | None:
    """Why an accepted file's object name is refused: its extension must be one of its type's
    (the API names objects so; a client's direct upload may not), or None."""
    allowed = TYPE_EXTENSIONS.get((declared or "").lower(), ())
    _stem, dot, extension = path.rpartition("/")[2].rpartition(".")
    if dot and extension.lower() in allowed:
        return None
    return f"The file's name must end in .{allowed[0] if allowed else '?'} for its type."


# ---- names ----------------------------------------------------------------------------------

# C0, DEL, C1, the line and paragraph separators, and the bidirectional controls (embeddings,
# overrides, isolates, marks) that make ``x\u202egpj.exe`` read as ``xexe.jpg``.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_EXTENSION_LIKE = re.compile(r"^[A-Za-z0-9]{1,10}$")


def without_controls(name: str) -> str:
    """``name`` without control or bidirectional-formatting characters."""
    return _INVISIBLE.sub("", name)


def shown_name(name: str, declared: str | None) -> str:
    """The name a file is shown and downloaded under: the uploader's, without control or bidi
    characters or a path, ending in an extension of the type found (``x.hta`` as a PDF is
    ``x.pdf``; ``photo.jpeg`` stays ``photo.jpeg``)."""
    name = without_controls(name).replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    allowed = TYPE_EXTENSIONS.get((declared or "").lower())
    if not allowed:
        return name or "file"
    stem, dot, extension = name.rpartition(".")
    if dot and extension.lower() in allowed:
        return name
    if not dot or not _EXTENSION_LIKE.match(extension):
        stem = name
    return f"{stem.strip() or 'file'}.{allowed[0]}"


def room_for_attachment(attachments: int) -> str | None:
    """Why a session holding ``attachments`` takes no other, or None if it has room: at most
    ``ATTACHMENTS_PER_SESSION``, so a read of it signs a bounded number of download links."""
    if attachments >= ATTACHMENTS_PER_SESSION:
        return (
            f"This session has {ATTACHMENTS_PER_SESSION} attachments, as many as a session may "
            "hold; delete one to add another."
        )
    return None
