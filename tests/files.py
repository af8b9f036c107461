"""Small but real files of each accepted type, for uploads in tests."""

from __future__ import annotations


def pdf(size: int = 2048) -> bytes:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n"
    )
    return body + b"%" * (size - len(body) - 6) + b"\n%%EOF"


def dicom(size: int = 4096) -> bytes:
    """A Part 10 file: 128-byte preamble, "DICM", then explicit-VR little-endian elements."""
    meta = b"\x02\x00\x10\x00UI\x14\x001.2.840.10008.1.2.1\x00"  # (0002,0010) transfer syntax
    modality = b"\x08\x00\x60\x00CS\x02\x00CR"  # (0008,0060) Modality: computed radiography
    head = b"\x00" * 128 + b"DICM" + meta + modality
    return head + b"\x00" * (size - len(head))


def png(size: int = 1024) -> bytes:
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    return head + b"\x00" * (size - len(head))
