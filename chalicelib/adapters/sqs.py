"""The notifications queue: one message per submitted referral, retried with backoff until its DLQ."""

from __future__ import annotations

import json
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

MAX_DELAY_SECONDS = 900  # SQS caps a visibility change at 12 hours; a quarter hour is patient enough


class NotificationQueue:
    def __init__(self, client: SQSClient, queue_name: str, retry_seconds: int) -> None:
        self._client = client
        self._name = queue_name
        self._retry_seconds = retry_seconds

    @cached_property
    def _url(self) -> str:
        # Looked up once per container: the URL holds the account id, which the stage config does not.
        return self._client.get_queue_url(QueueName=self._name)["QueueUrl"]

    def announce(self, referral_id: str) -> None:
        self._client.send_message(QueueUrl=self._url, MessageBody=json.dumps({"referral_id": referral_id}))

    def retry_later(self, receipt_handle: str, receive_count: int) -> None:
        """Back off exponentially before SQS hands the message out again: 1, 2, 4 ... times the first delay."""
        delay = min(self._retry_seconds * 2 ** (receive_count - 1), MAX_DELAY_SECONDS)
        self._client.change_message_visibility(
            QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=delay
        )


def referral_id_of(message_body: str) -> str:
    return str(json.loads(message_body)["referral_id"])
