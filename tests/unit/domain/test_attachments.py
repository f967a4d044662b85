"""domain/attachments.py: formats recognised from their first bytes; an attachment is accepted
only when its bytes are the type it declares."""

from __future__ import annotations

import pytest

from sessionbase.domain import attachments

PDF = b"%PDF-1.7\n" + b"\0" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
MP4 = b"\0\0\0\x18ftypisom" + b"\0" * 40
MOV = b"\0\0\0\x14ftypqt  " + b"\0" * 40


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
        (MOV, "QuickTime"),
        (b"\0\0\0\x08wide", "QuickTime"),
        (b"\x1a\x45\xdf\xa3", "WebM"),
        (b"\0\0\x01\xba", "MPEG"),
        (b"ID3\x04", "MP3"),
        (b"\xff\xfb\x90", "MP3"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office (OLE2)"),
        (b"PK\x03\x04", "Office Open XML (zip)"),
    ],
)
def test_formats_are_recognised_from_their_first_bytes(head, name):
    assert attachments.sniff(head).name == name


@pytest.mark.parametrize(
    ("declared", "size", "head", "reason"),
    [
        ("application/pdf", 10, PDF, None),
        ("APPLICATION/PDF", 10, PDF, None),
        ("video/quicktime", 10, MP4, None),
        ("application/pdf", attachments.MAX_ATTACHMENT_BYTES + 1, PDF, "larger than 100 MB"),
        ("application/zip", 10, b"PK\x03\x04", "application/zip is not accepted"),
        (None, 10, PDF, "(none) is not accepted"),
        ("application/pdf", 10, b"MZ\x90\0", "but is a Windows executable"),
        ("application/pdf", 10, b"\x7fELF", "but is a Linux executable"),
        ("application/pdf", 10, b"#!/bin/sh", "but is a script"),
        ("application/pdf", 10, b"hello", "but is a file of an unrecognised type"),
        ("application/pdf", 0, b"", "but is an empty file"),
        ("image/png", 10, PDF, "but its bytes are PDF"),
    ],
)
def test_an_attachment_is_accepted_only_when_its_bytes_match_its_type(declared, size, head, reason):
    found = attachments.rejection(declared, size, head)
    if reason is None:
        assert found is None
    else:
        assert reason in found
