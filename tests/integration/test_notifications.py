"""Notifications through the queue: each email sent exactly once, whatever fails or repeats."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from chalice.test import Client
from moto.ses.models import ses_backends

from chalicelib import services
from chalicelib.adapters import aws
from chalicelib.config import Settings, get_settings
from local.worker import QueueWorker
from tests.integration.conftest import post, referral_item
from tests.paths import changed

MOTO_ACCOUNT = "123456789012"  # the account moto serves when none is configured


def sent_emails() -> list[Any]:
    return list(ses_backends[MOTO_ACCOUNT]["us-east-1"].sent_messages)


def recipients(message: Any) -> list[str]:
    return list(message.destinations["ToAddresses"])


@pytest.fixture
def worker(client: Client) -> QueueWorker:
    """Lambda's SQS poller, as the local stack runs it: real receives, deletes and redrives."""
    worker = QueueWorker(sys.modules["app"], boto3.client("sqs"))
    worker.drain_once()  # the test event S3 sends when its notifications are configured
    return worker


@pytest.fixture
def fast_retries(client: Client, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No backoff between tries, so a test can run them all at once."""
    monkeypatch.setenv("NOTIFY_RETRY_SECONDS", "0")
    get_settings.cache_clear()
    services.intake.cache_clear()
    yield
    get_settings.cache_clear()
    services.intake.cache_clear()


class FailingSes:
    """SES failing for the first `failures` sends (or always), as an outage would."""

    def __init__(self, failures: int | None) -> None:
        self.failures, self.calls = failures, 0
        aws.ses().meta.events.register("before-call.ses.SendEmail", self)

    def __call__(self, **_: Any) -> None:
        self.calls += 1
        if self.failures is None or self.calls <= self.failures:
            raise EndpointConnectionError(endpoint_url="https://email.us-east-1.amazonaws.com")


def submit_without_documents(client: Client, example: dict[str, Any]) -> str:
    del example["documents"]
    answer = post(client, "/referrals", example)
    assert (answer.status, answer.body["status"]) == (201, "submitted")
    return str(answer.body["referral_id"])


def queued(settings: Settings, queue: str) -> list[str]:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])]


def test_a_submitted_referral_emails_the_team_and_the_patient(
    client: Client, settings: Settings, worker: QueueWorker, example: dict[str, Any]
) -> None:
    referral_id = submit_without_documents(client, example)
    assert worker.drain_once() == 1
    emails = sent_emails()
    assert sorted(recipients(m)[0] for m in emails) == sorted([*settings.team_emails, example["patient"]["email"]])
    team = next(m for m in emails if recipients(m) == list(settings.team_emails))
    assert team.subject == f"Second-opinion referral {referral_id}"
    assert team.source == settings.sender_email
    states = referral_item(settings, referral_id)["notifications"]
    assert {kind: state["status"] for kind, state in states.items()} == {"team": "sent", "patient": "sent"}


def test_an_urgent_referral_is_flagged_in_the_subject(
    client: Client, settings: Settings, worker: QueueWorker, example: dict[str, Any]
) -> None:
    submit_without_documents(client, changed(example, "symptoms.fever_or_chills", True))
    worker.drain_once()
    team = next(m for m in sent_emails() if recipients(m) == list(settings.team_emails))
    assert team.subject.startswith("[URGENT] Second-opinion referral ")


@pytest.mark.usefixtures("fast_retries")
def test_ses_failing_then_recovering_sends_each_email_once(
    client: Client, settings: Settings, worker: QueueWorker, example: dict[str, Any]
) -> None:
    ses = FailingSes(failures=3)  # try 1: both fail; try 2: team fails, patient sent; try 3: team sent
    referral_id = submit_without_documents(client, example)
    assert worker.drain_once() == 0  # failed: left on the queue
    states = referral_item(settings, referral_id)["notifications"]
    assert (states["team"]["status"], states["team"]["error"]) == ("failed", "EndpointConnectionError")
    assert referral_item(settings, referral_id)["status"] == "submitted"  # the referral is not touched
    assert worker.drain_once() == 0
    assert worker.drain_once() == 1
    assert ses.calls == 5
    assert sorted(recipients(m)[0] for m in sent_emails()) == sorted(
        [*settings.team_emails, example["patient"]["email"]]
    )
    states = referral_item(settings, referral_id)["notifications"]
    assert {kind: (state["status"], state["attempts"]) for kind, state in states.items()} == {
        "team": ("sent", 3),
        "patient": ("sent", 2),
    }
    assert "error" not in states["team"]


def test_a_failed_try_waits_before_the_next(
    client: Client, settings: Settings, worker: QueueWorker, example: dict[str, Any]
) -> None:
    FailingSes(failures=None)
    submit_without_documents(client, example)
    assert worker.drain_once() == 0
    assert worker.drain_once() == 0
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=settings.notifications_queue)["QueueUrl"]
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessagesNotVisible"], counts["ApproximateNumberOfMessages"]) == ("1", "0")


def test_the_same_message_delivered_twice_sends_each_email_once(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    submit_without_documents(client, example)
    [body] = queued(settings, settings.notifications_queue)
    event = client.events.generate_sqs_event(queue_name=settings.notifications_queue, message_bodies=[body])
    client.lambda_.invoke("send_notifications", event)
    client.lambda_.invoke("send_notifications", event)
    assert len(sent_emails()) == 2


@pytest.mark.usefixtures("fast_retries")
def test_a_message_that_always_fails_ends_in_the_dead_letter_queue(
    client: Client, settings: Settings, worker: QueueWorker, example: dict[str, Any]
) -> None:
    FailingSes(failures=None)
    referral_id = submit_without_documents(client, example)
    for _ in range(8):
        worker.drain_once()
    assert queued(settings, settings.notifications_queue) == []
    [dead] = queued(settings, f"{settings.notifications_queue}-dlq")
    assert json.loads(dead) == {"referral_id": referral_id}
    item = referral_item(settings, referral_id)
    assert item["status"] == "submitted"
    assert json.loads(item["request"])["patient"]["last_name"] == "Okafor"
    assert {kind: state["status"] for kind, state in item["notifications"].items()} == {
        "team": "failed",
        "patient": "failed",
    }
    assert sent_emails() == []


def test_submit_queues_the_notification_once_documents_are_in(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    referral_id = str(post(client, "/referrals", example).body["referral_id"])
    assert queued(settings, settings.notifications_queue) == []  # nothing to announce before submit
    s3 = boto3.client("s3")
    for index, size in enumerate(document["size_bytes"] for document in example["documents"]):
        head = b"%PDF-" if index == 0 else b"\x00" * 128 + b"DICM"
        s3.put_object(Bucket=settings.bucket_name, Key=f"referrals/{referral_id}/{index}", Body=head.ljust(size, b"\0"))
    assert post(client, f"/referrals/{referral_id}/submit").status == 200
    assert [json.loads(body) for body in queued(settings, settings.notifications_queue)] == [
        {"referral_id": referral_id}
    ]


def test_a_queue_outage_at_submit_is_a_503_and_the_retry_announces(
    client: Client, settings: Settings, example: dict[str, Any]
) -> None:
    sqs = boto3.client("sqs")
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=settings.notifications_queue)["QueueUrl"])
    services.intake().queue.__dict__.pop("_url", None)  # forget the cached URL, as a new container would
    del example["documents"]
    headers = {"Idempotency-Key": "outage-1"}
    failed = post(client, "/referrals", example, headers)
    assert failed.status == 503
    sqs.create_queue(QueueName=settings.notifications_queue)
    retried = post(client, "/referrals", example, headers)
    assert retried.status == 201
    assert [json.loads(body) for body in queued(settings, settings.notifications_queue)] == [
        {"referral_id": retried.body["referral_id"]}
    ]
