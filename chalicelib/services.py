"""The use cases: one function each. Handlers translate HTTP or SQS into these calls and back."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from functools import cache, cached_property

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from chalicelib import logs
from chalicelib.adapters import aws
from chalicelib.adapters.dynamodb import IdempotencyClaim, IdempotencyKeyTaken, InvalidCursor, ReferralRepository
from chalicelib.adapters.s3 import DocumentStorage, object_keys
from chalicelib.adapters.ses import Mailer
from chalicelib.adapters.sqs import NotificationQueue, referral_id_of
from chalicelib.config import Settings, get_settings
from chalicelib.domain.answers import (
    DocumentDownload,
    DocumentProgress,
    ReferralCreated,
    ReferralDetail,
    ReferralPage,
    ReferralProgress,
    StatusChanged,
    Upload,
)
from chalicelib.domain.clinical import EMERGENCY_GUIDANCE
from chalicelib.domain.documents import document_key, parse_document_key, upload_problem
from chalicelib.domain.emails import PrivacyMode, patient_email, team_email
from chalicelib.domain.errors import (
    DocumentsNotReady,
    FieldError,
    IdempotencyKeyReused,
    InvalidRequest,
    ReferralNotFound,
    StatusConflict,
    from_validation_error,
)
from chalicelib.domain.model import (
    Action,
    DocumentState,
    DocumentStatus,
    Event,
    NotificationKind,
    NotificationState,
    NotificationStatus,
    ReferralRecord,
    Status,
    allowed_moves,
)
from chalicelib.domain.referral import IntakeRules, Referral
from chalicelib.domain.staff import QueueFilter, StatusMove


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Intake:
    """What the use cases work with. Each adapter, and so its boto3 client, is made on first use only."""

    def __init__(self, settings: Settings, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.settings = settings
        self.clock = clock

    @cached_property
    def repository(self) -> ReferralRepository:
        return ReferralRepository(aws.dynamodb_table(self.settings.table_name))

    @cached_property
    def storage(self) -> DocumentStorage:
        return DocumentStorage(aws.s3(), self.settings.bucket_name)

    @cached_property
    def queue(self) -> NotificationQueue:
        return NotificationQueue(aws.sqs(), self.settings.notifications_queue, self.settings.notify_retry_seconds)

    @cached_property
    def mailer(self) -> Mailer:
        return Mailer(aws.ses(), self.settings.sender_email)


@cache
def intake() -> Intake:
    return Intake(get_settings())


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
    _announce(intake, record)
    return _created(intake, record, now)


def _replay(intake: Intake, claim: IdempotencyClaim, now: dt.datetime) -> ReferralCreated:
    first = intake.repository.claim(claim.key_hash)
    record = intake.repository.get(first.referral_id) if first else None
    if first is None or first.request_hash != claim.request_hash or record is None:
        raise IdempotencyKeyReused(
            [FieldError(field="Idempotency-Key", message="was already used for a different request; use a new key")]
        )
    logs.info("referral.replayed", referral_id=record.referral_id)
    _announce(intake, record)
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
        _announce(intake, record)
        return _progress(record)  # submitting twice is not an error: the first one counted
    states = {index: _document_state(intake, record, index) for index in range(len(record.documents))}
    problems = {index: state for index, state in states.items() if state.problem}
    if problems:
        intake.repository.record_documents(referral_id, states)
        logs.info("referral.submit_refused", referral_id=referral_id, documents=sorted(problems))
        raise DocumentsNotReady(
            [FieldError(field=f"documents.{index}", message=str(state.problem)) for index, state in problems.items()]
        )
    for index in range(len(record.documents)):
        intake.storage.keep(document_key(referral_id, index))
    submitted = record.submitted(intake.clock())
    if not intake.repository.save_submitted(submitted):
        return _progress(_get(intake, referral_id))  # a concurrent submit won; report what it stored
    logs.info("referral.submitted", referral_id=referral_id, urgent=record.summary.urgent)
    _announce(intake, submitted)
    return _progress(submitted)


def _announce(intake: Intake, record: ReferralRecord) -> None:
    """Queue the notifications of a submitted referral whose emails are not all sent.

    If this fails after the referral was stored, the caller answers 503 and the client's retry (same
    Idempotency-Key, or submit again) comes back here; a message queued twice still sends each email once.
    """
    if record.unannounced:
        intake.queue.announce(record.referral_id)
        logs.info("notifications.queued", referral_id=record.referral_id)


class NotificationsFailed(Exception):
    """Some email could not be sent this time; raised so that SQS delivers the message again."""


CLAIM_SECONDS = 120  # how long one delivery may hold an email before another may send it


def send_notifications(intake: Intake, message_body: str, receipt_handle: str, receive_count: int) -> None:
    """Send a submitted referral's emails (team, patient), each at most once however often this runs."""
    referral_id = referral_id_of(message_body)
    record = _get(intake, referral_id)
    settings = intake.settings
    emails = {
        NotificationKind.team: team_email(
            record, settings.team_emails, PrivacyMode(settings.email_privacy), settings.staff_base_url
        ),
        NotificationKind.patient: patient_email(record),
    }
    failed = []
    for kind, email in emails.items():
        if not intake.repository.claim_notification(referral_id, kind, intake.clock(), CLAIM_SECONDS):
            continue  # sent already, or being sent by another delivery of the same message
        try:
            intake.mailer.send(email)
        except (BotoCoreError, ClientError) as exc:
            state = NotificationState(NotificationStatus.failed, error=type(exc).__name__)
            intake.repository.record_notification(referral_id, kind, state)
            logs.error("notification.failed", referral_id=referral_id, kind=kind, attempt=receive_count)
            failed.append(kind)
            continue
        state = NotificationState(NotificationStatus.sent, sent_at=intake.clock())
        intake.repository.record_notification(referral_id, kind, state)
        logs.info("notification.sent", referral_id=referral_id, kind=kind)
    if failed:
        intake.queue.retry_later(receipt_handle, receive_count)
        raise NotificationsFailed(", ".join(failed))


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


# --- The surgeon's team ---------------------------------------------------------------------------


def list_referrals(intake: Intake, query: dict[str, str]) -> ReferralPage:
    """The team's queue, newest first, one page at a time."""
    try:
        wanted = QueueFilter.model_validate(query)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    try:
        referrals, cursor = intake.repository.page(wanted.status, wanted.urgent, wanted.limit, wanted.cursor)
    except InvalidCursor:
        message = "is not a cursor of this list; start again without it"
        raise InvalidRequest([FieldError(field="cursor", message=message)]) from None
    return ReferralPage(referrals=referrals, next_cursor=cursor)


def open_referral(intake: Intake, referral_id: str, staff_member: str) -> ReferralDetail:
    """The whole referral for the team, with download links; the read is on record before it is shown."""
    record, history = intake.repository.history(referral_id)
    if record is None:
        raise ReferralNotFound([FieldError(field="referral_id", message="no referral has this id")])
    now = intake.clock()
    read = Event(now, staff_member, Action.read)
    intake.repository.add_event(referral_id, read)
    logs.info("referral.opened", referral_id=referral_id)
    seconds = intake.settings.download_url_seconds
    documents = []
    for index, (document, state) in enumerate(zip(record.request.documents, record.documents, strict=True)):
        url = None
        if state.status is DocumentStatus.received:
            key = document_key(referral_id, index)
            url = intake.storage.presign_download(key, document.filename, document.content_type.value, seconds)
        documents.append(
            DocumentDownload(
                document_index=index,
                kind=document.kind,
                filename=document.filename,
                content_type=document.content_type,
                size_bytes=document.size_bytes,
                status=state.status,
                problem=state.problem,
                download_url=url,
                download_expires_at=now + dt.timedelta(seconds=seconds) if url else None,
            )
        )
    return ReferralDetail(
        referral_id=referral_id,
        status=record.status,
        version=record.version,
        allowed_moves=allowed_moves(record.status),
        created_at=record.created_at,
        submitted_at=record.submitted_at,
        request=record.request,
        summary=record.summary,
        notifications=record.notifications,
        documents=documents,
        history=[*history, read],
    )


def move_referral(intake: Intake, referral_id: str, body: str, staff_member: str) -> StatusChanged:
    """Move a referral along the review workflow, refusing illegal moves and stale versions (409)."""
    try:
        move = StatusMove.model_validate_json(body)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
    record = _get(intake, referral_id)
    stale = "the referral changed since you opened it; reload it and try again"
    if move.version is not None and move.version != record.version:
        raise StatusConflict([FieldError(field="version", message=f"{stale} (it is now version {record.version})")])
    allowed = allowed_moves(record.status)
    if move.status not in allowed:
        names = ", ".join(allowed) or "none: it is closed"
        message = f"cannot move from {record.status} to {move.status}; allowed: {names}"
        raise StatusConflict([FieldError(field="status", message=message)])
    event = Event(intake.clock(), staff_member, Action.status_changed, record.status, move.status, move.note)
    if not intake.repository.move(record, event):
        raise StatusConflict([FieldError(field="version", message=stale)])
    logs.info("referral.moved", referral_id=referral_id, from_status=record.status, to_status=move.status)
    status = move.status
    return StatusChanged(
        referral_id=referral_id, status=status, version=record.version + 1, allowed_moves=allowed_moves(status)
    )
