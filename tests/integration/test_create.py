"""POST /referrals: validated, stored once with one conditional write, answered with upload forms."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.config import Settings
from tests.cases import BAD_FIELDS
from tests.integration.conftest import AwsCalls, post, referral_count, referral_item, stored_items
from tests.paths import changed


def test_the_example_is_stored_and_answered_with_upload_forms(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    answer = post(client, "/referrals", example)
    assert answer.status == 201
    body = answer.body
    assert len(body["referral_id"]) == 24
    assert body["status"] == "awaiting_uploads"
    assert body["summary"]["oswestry_percent"] == 53.3
    assert body["summary"]["studies_missing"] == ["ct", "emg_ncs", "bone_scan", "bone_density", "blood_test"]
    assert body["emergency_guidance"] is None
    assert [upload["document_index"] for upload in body["uploads"]] == [0, 1]
    assert answer.headers["Cache-Control"] == "no-store"

    item = referral_item(settings, body["referral_id"])
    assert item["status"] == "awaiting_uploads"
    assert json.loads(item["request"])["patient"]["email"] == example["patient"]["email"]
    assert json.loads(item["summary"]) == body["summary"]
    assert [document["status"] for document in item["documents"]] == ["awaiting", "awaiting"]


def _policy(upload: dict[str, Any]) -> Any:
    return json.loads(base64.b64decode(upload["fields"]["policy"]))


def test_each_upload_form_is_bound_to_its_key_type_and_exact_size(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    body = post(client, "/referrals", example).body
    for index, (upload, document) in enumerate(zip(body["uploads"], example["documents"], strict=True)):
        key = f"referrals/{body['referral_id']}/{index}"
        assert upload["fields"]["key"] == key
        assert upload["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
        assert settings.bucket_name in upload["url"]
        policy = _policy(upload)
        conditions = policy["conditions"]
        assert {"key": key} in conditions
        assert {"bucket": settings.bucket_name} in conditions
        assert {"Content-Type": document["content_type"]} in conditions
        assert ["content-length-range", document["size_bytes"], document["size_bytes"]] in conditions
        assert {"tagging": upload["fields"]["tagging"]} in conditions
        assert "<Key>referral-state</Key><Value>unsubmitted</Value>" in upload["fields"]["tagging"]
        expires = dt.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        lifetime = expires - dt.datetime.now(dt.UTC)
        assert dt.timedelta(minutes=14) < lifetime <= dt.timedelta(minutes=15)


def test_without_documents_the_referral_is_submitted_at_once(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    del example["documents"]
    body = post(client, "/referrals", example).body
    assert (body["status"], body["uploads"]) == ("submitted", [])
    assert referral_item(settings, body["referral_id"])["submitted_at"]


def test_an_urgent_patient_is_told_to_seek_emergency_care(client: Client, example: dict[str, Any]) -> None:
    body = post(client, "/referrals", changed(example, "symptoms.saddle_numbness", True)).body
    assert body["summary"]["urgent"] is True
    assert "emergency" in body["emergency_guidance"]


@pytest.mark.parametrize(("path", "value", "field"), BAD_FIELDS, ids=[f"{c[0]}={c[1]!r:.20}" for c in BAD_FIELDS])
def test_each_bad_input_is_a_422_naming_the_field_and_stores_nothing(
    client: Client, settings: Settings, example: dict[str, Any], path: str, value: Any, field: str
) -> None:
    answer = post(client, "/referrals", changed(example, path, value))
    assert answer.status == 422
    assert answer.error_fields == [field]
    assert all(error["message"] for error in answer.body["errors"])
    assert stored_items(settings) == []


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "field"),
    [
        (b'{"patient": {', "application/json", 400, "body"),
        (b"\xff\xfe not utf-8", "application/json", 400, "body"),
        (b"[]", "application/json", 422, "body"),
        (b"{}", "application/json", 422, "patient"),
        (b"patient=Maria", "application/x-www-form-urlencoded", 415, "Content-Type"),
        (b"{}", "text/plain", 415, "Content-Type"),
        (b'{"goals": "' + b"x" * 300_000 + b'"}', "application/json", 413, "body"),
    ],
)
def test_requests_that_are_not_a_referral_at_all(
    client: Client, settings: Settings, raw: bytes, content_type: str, status: int, field: str
) -> None:
    answer = post(client, "/referrals", raw=raw, headers={"Content-Type": content_type})
    assert answer.status == status
    assert field in answer.error_fields
    assert stored_items(settings) == []


def test_a_retried_post_with_its_idempotency_key_returns_the_first_referral(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    headers = {"Idempotency-Key": "8c1f0a52-6f0e-4d1e-9a53-0d7c2a6e1b11"}
    first = post(client, "/referrals", example, headers)
    # The retry is the same request, written differently: key order and spacing do not matter.
    retry_body = json.dumps(dict(reversed(list(example.items()))), indent=2).encode()
    retry = post(client, "/referrals", raw=retry_body, headers=headers)
    assert (first.status, retry.status) == (201, 201)
    assert retry.body["referral_id"] == first.body["referral_id"]
    assert retry.body["summary"] == first.body["summary"]
    assert [u["fields"]["key"] for u in retry.body["uploads"]] == [u["fields"]["key"] for u in first.body["uploads"]]
    assert referral_count(settings) == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    headers = {"Idempotency-Key": "one-key"}
    assert post(client, "/referrals", example, headers).status == 201
    other = post(client, "/referrals", changed(example, "symptoms.back_pain", 3), headers)
    assert other.status == 422
    assert other.error_fields == ["Idempotency-Key"]
    assert referral_count(settings) == 1


@pytest.mark.parametrize(
    "headers",
    [{"X-Form-Honeypot": "http://spam.example"}, {"X-Form-Elapsed-Ms": "900"}, {"X-Form-Elapsed-Ms": "soon"}],
)
def test_the_forms_bot_traps_refuse_and_store_nothing(
    client: Client, settings: Settings, example: dict[str, Any], headers: dict[str, str]
) -> None:
    answer = post(client, "/referrals", example, headers)
    assert (answer.status, answer.error_fields) == (422, ["form"])
    assert stored_items(settings) == []


def test_a_person_filling_the_form_is_let_through(client: Client, example: dict[str, Any]) -> None:
    answer = post(client, "/referrals", example, {"X-Form-Honeypot": "", "X-Form-Elapsed-Ms": "184000"})
    assert answer.status == 201


def test_a_malformed_idempotency_key_is_refused(client: Client, example: dict[str, Any]) -> None:
    answer = post(client, "/referrals", example, {"Idempotency-Key": "x" * 256})
    assert (answer.status, answer.error_fields) == (422, ["Idempotency-Key"])


def test_without_a_key_two_posts_are_two_referrals(client: Client, example: dict[str, Any]) -> None:
    assert (
        post(client, "/referrals", example).body["referral_id"]
        != post(client, "/referrals", example).body["referral_id"]
    )


def test_create_makes_exactly_one_dynamodb_write_and_no_s3_call(
    client: Client, aws_calls: AwsCalls, example: dict[str, Any]
) -> None:
    assert post(client, "/referrals", example, {"Idempotency-Key": "k-1"}).status == 201
    assert aws_calls.of("dynamodb") == {"dynamodb.TransactWriteItems": 1}
    assert aws_calls.of("s3") == {}


def test_a_failing_database_is_a_retryable_503_not_a_500(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    boto3.client("dynamodb").delete_table(TableName=settings.table_name)
    answer = post(client, "/referrals", example)
    assert answer.status == 503
    assert answer.headers["Retry-After"]
    assert answer.error_fields == ["service"]


def test_the_openapi_document_is_built_from_the_models(client: Client) -> None:
    response = client.http.get("/openapi.json")
    document = json.loads(response.body)
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    assert {"Referral", "ReferralCreated", "ReferralProgress", "ErrorAnswer"} <= set(schemas)
    assert schemas["Referral"]["additionalProperties"] is False
    assert set(schemas["Referral"]["required"]) == {"patient", "prior_surgeries", "symptoms", "consent"}
    assert "fusion" in schemas["Procedure"]["enum"]
    staff = document["paths"]["/staff/referrals/{referral_id}"]
    assert staff["patch"]["security"] == [{"staff": []}]
    assert staff["patch"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StatusMove"
    }
    assert {"ReferralPage", "ReferralDetail", "StatusChanged"} <= set(schemas)
    filters = {p["name"]: p["schema"] for p in document["paths"]["/staff/referrals"]["get"]["parameters"]}
    assert filters["limit"]["maximum"] == 100
