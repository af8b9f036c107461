"""Routes and event handlers only: each translates HTTP or SQS to a service call (chalicelib/services.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Chalice, Response

from chalicelib import http
from chalicelib.config import get_settings
from chalicelib.lazy import lazy_import

if TYPE_CHECKING:
    from chalice.app import SQSEvent

    from chalicelib import openapi, services
else:
    # Loaded on each function's first event, not at import: pydantic's schemas, boto3's clients and
    # the domain are work a cold start should only do for the events that need them.
    openapi = lazy_import("chalicelib.openapi")
    services = lazy_import("chalicelib.services")

app = Chalice(app_name="spine-referrals")


@app.route("/referrals", methods=["POST"], content_types=http.ANY_CONTENT_TYPE)
@http.answers
def create_referral() -> Response:
    request = app.current_request
    assert request is not None
    http.turn_away_bots(request)
    body = http.json_body(request, get_settings().max_body_bytes)
    created = services.create_referral(services.intake(), body, http.idempotency_key(request))
    return http.json_response(201, created)


@app.route("/referrals/{referral_id}/submit", methods=["POST"], content_types=http.ANY_CONTENT_TYPE)
@http.answers
def submit_referral(referral_id: str) -> Response:
    return http.json_response(200, services.submit_referral(services.intake(), referral_id))


@app.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    return http.json_response(200, openapi.document())


@app.on_sqs_message(queue=get_settings().uploads_queue, batch_size=10)
def record_uploads(event: SQSEvent) -> None:
    services.record_uploads(services.intake(), (record.body for record in event))


# One message at a time, so that a failing email retries only its own referral's message.
@app.on_sqs_message(queue=get_settings().notifications_queue, batch_size=1)
def send_notifications(event: SQSEvent) -> None:
    for record in event:
        receive_count = int(record.to_dict()["attributes"]["ApproximateReceiveCount"])
        services.send_notifications(services.intake(), record.body, record.receipt_handle, receive_count)
