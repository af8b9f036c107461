"""Uploaded reports: where each one is stored and whether what arrived is what was declared. Pure code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain.referral import ContentType, Document

# Enough to see every signature below, DICOM's included (its "DICM" sits after a 128-byte preamble).
SIGNATURE_BYTES = 132

_KEY = re.compile(r"^referrals/(?P<referral_id>[a-z2-7]{24})/(?P<index>\d{1,2})$")


def document_key(referral_id: str, index: int) -> str:
    # Ids only: a file name can itself identify the patient.
    return f"referrals/{referral_id}/{index}"


def parse_document_key(key: str) -> tuple[str, int] | None:
    match = _KEY.match(key)
    return (match["referral_id"], int(match["index"])) if match else None


def has_signature(content_type: ContentType, head: bytes) -> bool:
    if content_type is ContentType.pdf:
        return head.startswith(b"%PDF-")
    if content_type is ContentType.jpeg:
        return head.startswith(b"\xff\xd8\xff")
    if content_type is ContentType.png:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type is ContentType.dicom:
        return head[128:132] == b"DICM"
    # A ZIP starts with a local file header, or with the end-of-directory record when empty.
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


@dataclass(frozen=True)
class StoredObject:
    size: int
    head: bytes


def upload_problem(document: Document, found: StoredObject | None) -> str | None:
    """Why the stored object is not the declared document, or None when it is."""
    if found is None:
        return f"{document.filename} has not been uploaded"
    if found.size != document.size_bytes:
        return f"{document.filename} is incomplete or different: {found.size} of {document.size_bytes} bytes arrived"
    if not has_signature(document.content_type, found.head):
        return f"{document.filename} is not a {document.content_type.value} file"
    return None
