"""Stand-in for Lambda's SQS poller: `chalice local` serves HTTP but does not dispatch queue events.

It finds the app's @app.on_sqs_message handlers, receives from their queues in the emulator and invokes
each handler with a real SQS event. As in Lambda, a message is deleted only when its handler returns;
when it raises, the message comes back after its visibility timeout and ends in the dead-letter queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from chalice.app import SQSEventConfig

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

Handler = Callable[[dict[str, Any], Any], Any]


class QueueWorker:
    def __init__(self, app_module: ModuleType, sqs: SQSClient) -> None:
        """`app_module` is the imported app.py: its `app` lists the handlers, the module holds them."""
        self._sqs = sqs
        self._queues: list[tuple[str, str, Handler]] = []
        for source in app_module.app.event_sources:
            if isinstance(source, SQSEventConfig) and source.queue:
                url = sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                handler = getattr(app_module, source.handler_string.rsplit(".", 1)[-1])
                self._queues.append((url, arn, handler))

    def drain_once(self, wait_seconds: int = 0) -> int:
        """Deliver what is waiting on every queue once; returns how many messages were handled."""
        handled = 0
        for url, arn, handler in self._queues:
            answer = self._sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds, AttributeNames=["All"]
            )
            for message in answer.get("Messages", []):
                event = {"Records": [_record(message, arn)]}
                try:
                    handler(event, None)
                except Exception as exc:  # noqa: BLE001 (as in Lambda: the message is retried; the worker goes on)
                    print(f"worker: {arn.rsplit(':', 1)[-1]} handler failed ({type(exc).__name__}); will retry")
                    continue
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                handled += 1
        return handled

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                handled = self.drain_once(wait_seconds=1)
            except (BotoCoreError, ClientError) as exc:  # the emulator restarting or going away: try again
                print(f"worker: cannot reach the queues ({type(exc).__name__})")
                handled = 0
                stop.wait(1)
            if not handled:
                stop.wait(0.1)


def _record(message: Any, queue_arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }
