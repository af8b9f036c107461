"""The whole intake over HTTP against the local stack: create, upload with the presigned forms, submit."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import requests

from tests import files
from tests.stack import LocalStack


def _stored(local_stack: LocalStack, stage: dict[str, str], referral_id: str) -> dict[str, Any]:
    table = local_stack.table(stage["TABLE_NAME"])
    return dict(table.get_item(Key={"PK": f"REFERRAL#{referral_id}", "SK": "META"})["Item"])


def test_a_referral_with_a_pdf_and_a_dicom_file(
    local_stack: LocalStack, stage: dict[str, str], example: dict[str, Any]
) -> None:
    contents = [files.pdf(182044), files.dicom(5242880)]
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    created = requests.post(f"{local_stack.api}/referrals", json=example, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    body = created.json()
    referral_id = body["referral_id"]

    early = requests.post(f"{local_stack.api}/referrals/{referral_id}/submit", timeout=30)
    assert early.status_code == 409
    assert [error["field"] for error in early.json()["errors"]] == ["documents.0", "documents.1"]

    for upload, document, data in zip(body["uploads"], example["documents"], contents, strict=True):
        assert local_stack.upload(upload, document["filename"], document["content_type"], data) == 204

    # S3 -> SQS -> the worker -> the upload handler records each arrival.
    deadline = time.monotonic() + 30
    while [d["status"] for d in _stored(local_stack, stage, referral_id)["documents"]] != ["received"] * 2:
        assert time.monotonic() < deadline, _stored(local_stack, stage, referral_id)["documents"]
        time.sleep(0.3)

    submitted = requests.post(f"{local_stack.api}/referrals/{referral_id}/submit", timeout=30)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    stored = _stored(local_stack, stage, referral_id)
    assert stored["status"] == "submitted"
    assert json.loads(stored["request"])["patient"]["last_name"] == "Okafor"
    assert json.loads(stored["summary"])["oswestry_band"] == "severe"
    s3 = local_stack.s3()
    for index, data in enumerate(contents):
        assert s3.get_object(Bucket=stage["BUCKET_NAME"], Key=f"referrals/{referral_id}/{index}")["Body"].read() == data

    retried = requests.post(f"{local_stack.api}/referrals", json=example, headers=headers, timeout=30)
    assert (retried.status_code, retried.json()["referral_id"]) == (201, referral_id)


def test_refusals_over_http_name_their_fields(local_stack: LocalStack, example: dict[str, Any]) -> None:
    example["patient"]["email"] = "maria@"
    invalid = requests.post(f"{local_stack.api}/referrals", json=example, timeout=30)
    assert invalid.status_code == 422
    assert invalid.json() == {"errors": [{"field": "patient.email", "message": invalid.json()["errors"][0]["message"]}]}
    form = requests.post(f"{local_stack.api}/referrals", data={"patient": "x"}, timeout=30)
    assert (form.status_code, form.json()["errors"][0]["field"]) == (415, "Content-Type")
    unknown = requests.post(f"{local_stack.api}/referrals/{'a' * 24}/submit", timeout=30)
    assert unknown.status_code == 404
