"""Submitting: every declared document must be in S3, whole and of its declared type."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.config import Settings
from tests import files
from tests.integration.conftest import AwsCalls, post, referral_item

EXAMPLE_FILES = {0: files.pdf(182044), 1: files.dicom(5242880)}  # the sizes the example declares


def create(client: Client, example: dict[str, Any]) -> str:
    answer = post(client, "/referrals", example)
    assert answer.status == 201
    return str(answer.body["referral_id"])


def upload(settings: Settings, referral_id: str, index: int, data: bytes) -> None:
    boto3.client("s3").put_object(Bucket=settings.bucket_name, Key=f"referrals/{referral_id}/{index}", Body=data)


def submit(client: Client, referral_id: str) -> Any:
    return post(client, f"/referrals/{referral_id}/submit")


def test_submit_with_every_document_in_place(client: Client, settings: Settings, example: dict[str, Any]) -> None:
    referral_id = create(client, example)
    for index, data in EXAMPLE_FILES.items():
        upload(settings, referral_id, index, data)
    answer = submit(client, referral_id)
    assert answer.status == 200
    assert answer.body["status"] == "submitted"
    assert answer.body["submitted_at"]
    assert [d["status"] for d in answer.body["documents"]] == ["received", "received"]
    item = referral_item(settings, referral_id)
    assert (item["status"], item["submitted_at"]) == ("submitted", answer.body["submitted_at"].replace("Z", "+00:00"))
    s3 = boto3.client("s3")
    for index in EXAMPLE_FILES:
        tags = s3.get_object_tagging(Bucket=settings.bucket_name, Key=f"referrals/{referral_id}/{index}")["TagSet"]
        assert tags == [{"Key": "referral-state", "Value": "submitted"}]


def test_submitting_twice_is_answered_like_the_first(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    referral_id = create(client, example)
    for index, data in EXAMPLE_FILES.items():
        upload(settings, referral_id, index, data)
    first, second = submit(client, referral_id), submit(client, referral_id)
    assert (first.status, second.status) == (200, 200)
    assert second.body == first.body


@pytest.mark.parametrize(
    ("uploaded", "refused", "words"),
    [
        ({}, ["documents.0", "documents.1"], "has not been uploaded"),
        ({0: EXAMPLE_FILES[0]}, ["documents.1"], "has not been uploaded"),
        ({0: EXAMPLE_FILES[0][:100_000], 1: EXAMPLE_FILES[1]}, ["documents.0"], "100000 of 182044 bytes"),
        ({0: EXAMPLE_FILES[0], 1: files.png(5242880)}, ["documents.1"], "is not a application/dicom file"),
        ({0: b"MZ" + EXAMPLE_FILES[0][2:], 1: EXAMPLE_FILES[1]}, ["documents.0"], "is not a application/pdf file"),
    ],
    ids=["none", "one-missing", "truncated", "png-as-dicom", "executable-as-pdf"],
)
def test_submit_is_refused_naming_each_missing_or_mismatched_document(
    client: Client,
    settings: Settings,
    example: dict[str, Any],
    uploaded: dict[int, bytes],
    refused: list[str],
    words: str,
) -> None:
    referral_id = create(client, example)
    for index, data in uploaded.items():
        upload(settings, referral_id, index, data)
    answer = submit(client, referral_id)
    assert answer.status == 409
    assert answer.error_fields == refused
    assert all(words in error["message"] for error in answer.body["errors"])
    item = referral_item(settings, referral_id)
    assert item["status"] == "awaiting_uploads"
    assert [f"documents.{i}" for i, d in enumerate(item["documents"]) if d["status"] == "rejected"] == refused


def test_a_refused_submit_succeeds_once_the_files_are_right(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    referral_id = create(client, example)
    upload(settings, referral_id, 0, EXAMPLE_FILES[0][:10])
    assert submit(client, referral_id).status == 409
    for index, data in EXAMPLE_FILES.items():
        upload(settings, referral_id, index, data)
    assert submit(client, referral_id).status == 200


def test_an_unknown_referral_is_404(client: Client) -> None:
    answer = submit(client, "a" * 24)
    assert (answer.status, answer.error_fields) == (404, ["referral_id"])


def test_submit_reads_one_ranged_object_per_document(
    client: Client, settings: Settings, aws_calls: AwsCalls, example: dict[str, Any]
) -> None:
    referral_id = create(client, example)
    for index, data in EXAMPLE_FILES.items():
        upload(settings, referral_id, index, data)
    aws_calls.counts.clear()
    assert submit(client, referral_id).status == 200
    assert aws_calls.of("s3") == {"s3.GetObject": 2, "s3.PutObjectTagging": 2}
    # The status change and its audit event: one transaction.
    assert aws_calls.of("dynamodb") == {"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1}


def _s3_notifications(settings: Settings) -> list[str]:
    """What S3 put on the uploads queue (moto delivers bucket notifications as S3 does)."""
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=settings.uploads_queue)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [message["Body"] for message in messages]


def test_arrivals_are_recorded_from_s3_notifications(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    referral_id = create(client, example)
    _s3_notifications(settings)  # the test event S3 sends when notifications are configured
    upload(settings, referral_id, 0, EXAMPLE_FILES[0])
    upload(settings, referral_id, 1, files.png(5242880))  # declared as DICOM
    upload(settings, "b" * 24, 0, EXAMPLE_FILES[0])  # no such referral: ignored
    bodies = _s3_notifications(settings)
    assert len(bodies) == 3
    event = client.events.generate_sqs_event(queue_name=settings.uploads_queue, message_bodies=bodies)
    client.lambda_.invoke("record_uploads", event)
    documents = referral_item(settings, referral_id)["documents"]
    assert documents[0] == {"status": "received"}
    assert documents[1]["status"] == "rejected"
    assert "is not a application/dicom file" in documents[1]["problem"]
    assert referral_item(settings, referral_id)["status"] == "awaiting_uploads"  # the patient still submits


def test_the_s3_test_event_is_ignored(client: Client, settings: Settings) -> None:
    test_event = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": settings.bucket_name})
    event = client.events.generate_sqs_event(queue_name=settings.uploads_queue, message_bodies=[test_event])
    client.lambda_.invoke("record_uploads", event)  # raises if the handler fails
