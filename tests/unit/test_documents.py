"""Whether what arrived in S3 is the document the patient declared."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.domain.documents import (
    StoredObject,
    document_key,
    has_signature,
    parse_document_key,
    upload_problem,
)
from chalicelib.domain.model import new_referral_id
from chalicelib.domain.referral import ContentType, Document, DocumentKind, IntakeRules
from tests import files

SIGNED = {
    ContentType.pdf: files.pdf(),
    ContentType.dicom: files.dicom(),
    ContentType.png: files.png(),
    ContentType.jpeg: b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200,
    ContentType.zip: b"PK\x03\x04" + b"\x00" * 200,
}


@pytest.mark.parametrize("content_type", list(ContentType))
def test_each_type_is_known_by_its_first_bytes_and_no_other(content_type: ContentType) -> None:
    assert has_signature(content_type, SIGNED[content_type][:132])
    for other, data in SIGNED.items():
        if other is not content_type:
            assert not has_signature(content_type, data[:132]), other


def declared(size: int = 2048) -> Document:
    fields = {"kind": DocumentKind.mri, "filename": "mri.pdf", "content_type": ContentType.pdf, "size_bytes": size}
    return Document.model_validate(fields, context=IntakeRules(dt.date(2026, 11, 24), max_upload_bytes=10**9))


def test_upload_problems_name_the_file() -> None:
    assert upload_problem(declared(), StoredObject(2048, files.pdf()[:132])) is None
    assert "has not been uploaded" in str(upload_problem(declared(), None))
    assert "1000 of 2048 bytes" in str(upload_problem(declared(), StoredObject(1000, files.pdf()[:132])))
    assert "is not a application/pdf" in str(upload_problem(declared(), StoredObject(2048, files.png()[:132])))


def test_keys_carry_ids_only_and_parse_back() -> None:
    referral_id = new_referral_id()
    assert len(referral_id) == 24
    assert referral_id != new_referral_id()
    key = document_key(referral_id, 7)
    assert key == f"referrals/{referral_id}/7"
    assert parse_document_key(key) == (referral_id, 7)
    assert parse_document_key("referrals/../etc/0") is None
    assert parse_document_key(f"referrals/{referral_id}/7/extra") is None
