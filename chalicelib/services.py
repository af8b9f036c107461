"""The use cases: one function each. Handlers translate HTTP or SQS into these calls and back."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from pydantic import ValidationError

from chalicelib import logs
from chalicelib.adapters import aws
from chalicelib.adapters.dynamodb import IdempotencyClaim, IdempotencyKeyTaken, ReferralRepository
from chalicelib.adapters.s3 import DocumentStorage, object_keys
from chalicelib.config import Settings, get_settings
from chalicelib.domain.answers import DocumentProgress, ReferralCreated, ReferralProgress, Upload
from chalicelib.domain.clinical import EMERGENCY_GUIDANCE
from chalicelib.domain.documents import document_key, parse_document_key, upload_problem
from chalicelib.domain.errors import (
    DocumentsNotReady,
    FieldError,
    IdempotencyKeyReused,
    ReferralNotFound,
    from_validation_error,
)
from chalicelib.domain.model import DocumentState, DocumentStatus, ReferralRecord, Status
from chalicelib.domain.referral import IntakeRules, Referral


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Intake:
    """What the use cases work with; tests build one around moto's clients."""

    repository: ReferralRepository
    storage: DocumentStorage
    settings: Settings
    clock: Callable[[], dt.datetime] = _utcnow


@cache
def intake() -> Intake:
    settings = get_settings()
    return Intake(
        repository=ReferralRepository(aws.dynamodb_table(settings.table_name)),
        storage=DocumentStorage(aws.s3(), settings.bucket_name),
        settings=settings,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def create_referral(intake: Intake, body: str, idempotency_key: str | None) -> ReferralCreated:
    now = intake.clock()
    rules = IntakeRules(now.date(), intake.settings.max_upload_bytes, intake.settings.phone_region)
    try:
        request = Referral.model_validate_json(body, context=rules)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    record = ReferralRecord.new(request, now)
    claim = None
    if idempotency_key:
        expires = now + dt.timedelta(hours=intake.settings.idempotency_hours)
        # The validated request, so a retry that differs only in spacing or key order still matches.
        claim = IdempotencyClaim(
            _sha256(idempotency_key), _sha256(request.model_dump_json()), record.referral_id, int(expires.timestamp())
        )
    try:
        intake.repository.add(record, claim, now)
    except IdempotencyKeyTaken:
        assert claim is not None
        return _replay(intake, claim, now)
    logs.info("referral.created", referral_id=record.referral_id, status=record.status, urgent=record.summary.urgent)
    return _created(intake, record, now)


def _replay(intake: Intake, claim: IdempotencyClaim, now: dt.datetime) -> ReferralCreated:
    first = intake.repository.claim(claim.key_hash)
    record = intake.repository.get(first.referral_id) if first else None
    if first is None or first.request_hash != claim.request_hash or record is None:
        raise IdempotencyKeyReused(
            [FieldError(field="Idempotency-Key", message="was already used for a different request; use a new key")]
        )
    logs.info("referral.replayed", referral_id=record.referral_id)
    return _created(intake, record, now)


def _created(intake: Intake, record: ReferralRecord, now: dt.datetime) -> ReferralCreated:
    # Forms are only handed out while uploads are awaited: a submitted referral's files are final.
    uploads = []
    if record.status is Status.awaiting_uploads:
        seconds = intake.settings.upload_url_seconds
        for index, document in enumerate(record.request.documents):
            post = intake.storage.presign_upload(
                document_key(record.referral_id, index), document.content_type.value, document.size_bytes, seconds
            )
            expires_at = now + dt.timedelta(seconds=seconds)
            uploads.append(Upload(document_index=index, url=post["url"], fields=post["fields"], expires_at=expires_at))
    return ReferralCreated(
        referral_id=record.referral_id,
        status=record.status,
        summary=record.summary,
        emergency_guidance=EMERGENCY_GUIDANCE if record.summary.urgent else None,
        uploads=uploads,
    )


def _progress(record: ReferralRecord) -> ReferralProgress:
    return ReferralProgress(
        referral_id=record.referral_id,
        status=record.status,
        submitted_at=record.submitted_at,
        documents=[
            DocumentProgress(document_index=index, status=state.status, problem=state.problem)
            for index, state in enumerate(record.documents)
        ],
    )


def _get(intake: Intake, referral_id: str) -> ReferralRecord:
    record = intake.repository.get(referral_id)
    if record is None:
        raise ReferralNotFound([FieldError(field="referral_id", message="no referral has this id")])
    return record


def _document_state(intake: Intake, record: ReferralRecord, index: int) -> DocumentState:
    """What S3 holds for one declared document, judged against the declaration."""
    found = intake.storage.inspect(document_key(record.referral_id, index))
    problem = upload_problem(record.request.documents[index], found)
    return DocumentState(DocumentStatus.rejected if problem else DocumentStatus.received, problem)


def submit_referral(intake: Intake, referral_id: str) -> ReferralProgress:
    record = _get(intake, referral_id)
    if record.status is not Status.awaiting_uploads:
        return _progress(record)  # submitting twice is not an error: the first one counted
    states = {index: _document_state(intake, record, index) for index in range(len(record.documents))}
    problems = {index: state for index, state in states.items() if state.problem}
    if problems:
        intake.repository.record_documents(referral_id, states)
        logs.info("referral.submit_refused", referral_id=referral_id, documents=sorted(problems))
        raise DocumentsNotReady(
            [FieldError(field=f"documents.{index}", message=str(state.problem)) for index, state in problems.items()]
        )
    submitted = record.submitted(intake.clock())
    if not intake.repository.save_submitted(submitted):
        return _progress(_get(intake, referral_id))  # a concurrent submit won; report what it stored
    logs.info("referral.submitted", referral_id=referral_id, urgent=record.summary.urgent)
    return _progress(submitted)


def record_uploads(intake: Intake, notifications: Iterable[str]) -> None:
    """Note each arrived object against its referral's declared document, from S3's event notifications."""
    for key in (key for notification in notifications for key in object_keys(notification)):
        parsed = parse_document_key(key)
        record = intake.repository.get(parsed[0]) if parsed else None
        if parsed is None or record is None or parsed[1] >= len(record.request.documents):
            logs.info("upload.unexpected", key=key if parsed else "(not a document key)")
            continue
        referral_id, index = parsed
        state = _document_state(intake, record, index)
        intake.repository.record_documents(referral_id, {index: state})
        logs.info("upload.recorded", referral_id=referral_id, document_index=index, status=state.status)
