"""domain/attachments.py: formats recognised from their bytes (containers looked into, not just
their first bytes); an attachment is accepted only when its bytes are the type it declares, and
it is named with that type's extension, without control or bidi characters."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from sessionbase.domain import attachments
from sessionbase.domain.attachments import InMemory

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PDF = b"%PDF-1.7\n" + b"\0" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
MP4 = b"\0\0\0\x18ftypisom" + b"\0" * 40
MOV = b"\0\0\0\x14ftypqt  " + b"\0" * 40
HEIC = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 40
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
FRAME = b"\xff\xfb\x90\x00" + b"\0" * 413
MP3 = FRAME * 4
ID3_MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x14" + b"\0" * 20 + MP3  # a 20-byte tag, then frames
UTF16_TEXT = "hello, this is only text".encode("utf-16")  # starts \xff\xfe


def zipped(*names: str, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in (*names, *(["word/vbaProject.bin"] if macros else [])):
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")


def compound_file(root_class: uuid.UUID, *streams: str) -> bytes:
    """A minimal Compound File: a 512-byte header, then the directory in sector 0."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[48:52] = (0).to_bytes(4, "little")  # the directory starts in sector 0
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5), *((s, 2) for s in streams)][:4]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[: len(encoded)] = encoded
        entry[0x40:0x42] = len(encoded).to_bytes(2, "little")
        entry[0x42] = kind
        if kind == 5:
            entry[0x50:0x60] = root_class.bytes_le
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header + directory)


WORD_CLASS = uuid.UUID("00020906-0000-0000-c000-000000000046")
EXCEL_CLASS = uuid.UUID("00020820-0000-0000-c000-000000000046")
MSI_CLASS = uuid.UUID("000c1084-0000-0000-c000-000000000046")
DOC = compound_file(WORD_CLASS, "WordDocument")
XLS = compound_file(EXCEL_CLASS, "Workbook")
MSI = compound_file(MSI_CLASS, "\u4840\u3b3f")


class Larger(InMemory):
    """A file one byte over the limit, of which only the first bytes are held."""

    @property
    def size(self) -> int:
        return attachments.MAX_ATTACHMENT_BYTES + 1


def found(data: bytes) -> str | None:
    sniffed = attachments.sniff(InMemory(data))
    return sniffed.name if sniffed else None


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (PDF, "PDF"),
        (PNG, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 10, "JPEG"),
        (b"GIF89a", "GIF"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "WebP"),
        (b"RIFF\0\0\0\0WAVEfmt ", "WAV"),
        (MP4, "MP4"),
        (b"\0\0\0\x18ftypmp42" + b"\0" * 40, "MP4"),
        (MOV, "QuickTime"),
        (b"\0\0\0\x08wide", "QuickTime"),
        (b"\x1a\x45\xdf\xa3", "WebM"),
        (b"\0\0\x01\xba", "MPEG"),
        (MP3, "MP3"),
        (ID3_MP3, "MP3"),
        (FRAME * 2, "MP3"),  # two frames that end the file
        (DOC, "Word document (OLE2)"),
        (compound_file(uuid.UUID(int=0), "1Table", "WordDocument"), "Word document (OLE2)"),
        (XLS, "Excel workbook (OLE2)"),
        (DOCX, "Word document (Office Open XML)"),
        (XLSX, "Excel workbook (Office Open XML)"),
    ],
)
def test_formats_are_recognised_from_their_bytes(head, name):
    assert found(head) == name


@pytest.mark.parametrize(
    ("what", "data"),
    [
        ("an ftyp file of an image brand (HEIC)", HEIC),
        ("UTF-16 text (its BOM looks like a frame sync)", UTF16_TEXT),
        ("one MP3 frame header followed by text", FRAME[:4] + b"text " * 200),
        ("frames of two different streams", FRAME + b"\xff\xf3\x48\x00" + b"\0" * 200),
        ("an ID3 header with a size that is not syncsafe", b"ID3\x04\x00\x00\x80\x00\x00\x00"),
        ("an ID3 tag followed by text", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"text" * 100),
        ("a zip of anything", zipped("a.txt")),
        ("a zip with content types but no Word or Excel part", zipped("[Content_Types].xml")),
        ("a Word zip with macros", zipped("[Content_Types].xml", "word/document.xml", macros=True)),
        ("a zip cut short", DOCX[:-30]),
        ("an installer (OLE2 of the MSI class)", MSI),
        ("an OLE2 file with no class and no Word or Excel stream", compound_file(uuid.UUID(int=0))),
        ("a bare OLE2 signature", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 56),
    ],
)
def test_lookalikes_are_not_recognised(what, data):
    assert found(data) is None, what


def test_mpeg_audio_frame_lengths_follow_the_standard():
    assert attachments.mpeg_audio_frame_length(b"\xff\xfb\x90\x00") == 417  # 128k 44.1k
    assert attachments.mpeg_audio_frame_length(b"\xff\xfb\x92\x00") == 418  # padded
    assert attachments.mpeg_audio_frame_length(b"\xff\xf3\x48\x00") == 144  # MPEG-2 L3 24k 16k
    # UTF-16LE "h" after its BOM is a valid Layer I header on its own: one header proves nothing.
    assert attachments.mpeg_audio_frame_length(b"\xff\xfe\x68\x00") == 288
    assert attachments.mpeg_audio_frame_length(b"\xff\xfb\xf0\x00") is None  # bad bitrate
    assert attachments.mpeg_audio_frame_length(b"\xff\xfb\x9c\x00") is None  # reserved rate


@pytest.mark.parametrize(
    ("declared", "data", "reason"),
    [
        ("application/pdf", PDF, None),
        ("APPLICATION/PDF", PDF, None),
        ("video/quicktime", MP4, None),
        ("audio/mpeg", MP3, None),
        (_DOCX, DOCX, None),
        (_XLSX, XLSX, None),
        ("application/msword", DOC, None),
        ("application/vnd.ms-excel", XLS, None),
        ("application/pdf", Larger(PDF), "larger than 100 MB"),
        ("application/zip", DOCX, "application/zip is not accepted"),
        (None, PDF, "(none) is not accepted"),
        ("application/pdf", b"MZ\x90\0", "but is a Windows executable"),
        ("application/pdf", b"\x7fELF", "but is a Linux executable"),
        ("application/pdf", b"#!/bin/sh", "but is a script"),
        ("application/pdf", b"hello", "but is a file of an unrecognised type"),
        ("application/pdf", b"", "but is an empty file"),
        ("image/png", PDF, "but its bytes are PDF"),
        (_XLSX, DOCX, "but its bytes are Word document (Office Open XML)"),
        ("application/vnd.ms-excel", DOC, "but its bytes are Word document (OLE2)"),
        ("video/mp4", HEIC, "ISO media file of brand 'heic', not an MP4 video"),
        ("audio/mpeg", UTF16_TEXT, "but is UTF-16 text"),
        (_DOCX, zipped("a.txt"), "a zip archive that is not a Word document"),
        ("application/msword", MSI, "a compound file that is not a Word document"),
    ],
)
def test_an_attachment_is_accepted_only_when_its_bytes_match_its_type(declared, data, reason):
    refused = attachments.rejection(declared, data if isinstance(data, Larger) else InMemory(data))
    if reason is None:
        assert refused is None
    else:
        assert reason in refused


@pytest.mark.parametrize(
    ("declared", "path", "accepted"),
    [
        ("application/pdf", "sessions/s/attachments/ab-plan.pdf", True),
        ("image/jpeg", "sessions/s/attachments/photo.JPEG", True),
        ("application/pdf", "sessions/s/attachments/x.hta", False),
        ("application/pdf", "sessions/s/attachments/noextension", False),
        ("video/mp4", "sessions/s/attachments/clip.pdf.exe", False),
    ],
)
def test_a_stored_file_must_carry_an_extension_of_its_type(declared, path, accepted):
    assert (attachments.extension_rejection(declared, path) is None) == accepted


@pytest.mark.parametrize(
    ("name", "declared", "shown"),
    [
        ("plan.pdf", "application/pdf", "plan.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("x.hta", "application/pdf", "x.pdf"),
        ("invoice", "application/pdf", "invoice.pdf"),
        ("report. final draft", "application/pdf", "report. final draft.pdf"),
        ("x\u202egpj.exe", "image/jpeg", "xgpj.jpg"),  # shown as "xexe.jpg" before
        ("a\u2066b\u2069\u200f.pdf", "application/pdf", "ab.pdf"),
        ("tab\there\x00.pdf", "application/pdf", "tabhere.pdf"),
        ("C:\\Users\\ana\\plan.pdf", "application/pdf", "plan.pdf"),
        ("\u202e", "application/pdf", "file.pdf"),
    ],
)
def test_the_shown_name_drops_controls_and_ends_in_the_types_extension(name, declared, shown):
    assert attachments.shown_name(name, declared) == shown
