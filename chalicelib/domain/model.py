"""A referral as the practice keeps it: the request, its clinical summary and where it stands. Pure code."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass, field, replace
from enum import StrEnum

from chalicelib.domain.clinical import ClinicalSummary, summarize
from chalicelib.domain.referral import Referral


class Status(StrEnum):
    awaiting_uploads = "awaiting_uploads"  # created; the patient's files are on their way
    submitted = "submitted"  # with the surgeon's team, to triage
    in_review = "in_review"
    needs_more_info = "needs_more_info"
    consult_scheduled = "consult_scheduled"
    surgery_not_recommended = "surgery_not_recommended"
    closed = "closed"


# The team's review. A referral waiting for more information goes back to review once it arrives;
# any referral can be closed; a closed one stays closed.
_MOVES = {
    Status.submitted: {Status.in_review},
    Status.in_review: {Status.needs_more_info, Status.consult_scheduled, Status.surgery_not_recommended},
    Status.needs_more_info: {Status.in_review},
}


def allowed_moves(status: Status) -> list[Status]:
    if status is Status.closed:
        return []
    return sorted(_MOVES.get(status, set()) | {Status.closed}, key=list(Status).index)


class Action(StrEnum):
    created = "created"
    submitted = "submitted"
    status_changed = "status_changed"
    read = "read"


PATIENT = "patient"  # the actor of the patient's own steps


@dataclass(frozen=True)
class Event:
    """One line of a referral's audit history: who did what, when."""

    at: dt.datetime
    actor: str
    action: Action
    from_status: Status | None = None
    to_status: Status | None = None
    note: str | None = None


class DocumentStatus(StrEnum):
    awaiting = "awaiting"
    received = "received"
    rejected = "rejected"


class NotificationKind(StrEnum):
    team = "team"  # the spine surgeon's office
    patient = "patient"  # the acknowledgment


class NotificationStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # the last try failed; SQS tries again until the dead-letter queue


@dataclass(frozen=True)
class NotificationState:
    status: NotificationStatus = NotificationStatus.pending
    attempts: int = 0
    sent_at: dt.datetime | None = None
    error: str | None = None


def _pending_notifications() -> dict[NotificationKind, NotificationState]:
    return {kind: NotificationState() for kind in NotificationKind}


@dataclass(frozen=True)
class DocumentState:
    status: DocumentStatus = DocumentStatus.awaiting
    problem: str | None = None


def new_referral_id() -> str:
    # 120 random bits in lowercase base32: unguessable, and easy to read out on the phone.
    return base64.b32encode(secrets.token_bytes(15)).decode().lower()


@dataclass(frozen=True)
class ReferralRecord:
    referral_id: str
    status: Status
    created_at: dt.datetime
    request: Referral
    summary: ClinicalSummary
    documents: list[DocumentState] = field(default_factory=list)
    submitted_at: dt.datetime | None = None
    notifications: dict[NotificationKind, NotificationState] = field(default_factory=dict)
    version: int = 1  # bumped by every change the team makes: concurrent edits are refused, not merged

    @property
    def unannounced(self) -> bool:
        """Submitted, with an email not sent yet: its queue message may still be owed."""
        return self.status is Status.submitted and any(
            state.status is not NotificationStatus.sent for state in self.notifications.values()
        )

    @classmethod
    def new(cls, request: Referral, now: dt.datetime) -> ReferralRecord:
        # Without documents there is nothing to wait for: the referral is submitted at once.
        waiting = bool(request.documents)
        return cls(
            referral_id=new_referral_id(),
            status=Status.awaiting_uploads if waiting else Status.submitted,
            created_at=now,
            request=request,
            summary=summarize(request),
            documents=[DocumentState() for _ in request.documents],
            submitted_at=None if waiting else now,
            notifications={} if waiting else _pending_notifications(),
        )

    def created_event(self) -> Event:
        return Event(self.created_at, PATIENT, Action.created, to_status=self.status)

    def submitted(self, now: dt.datetime) -> ReferralRecord:
        received = [DocumentState(DocumentStatus.received) for _ in self.documents]
        return replace(
            self, status=Status.submitted, submitted_at=now, documents=received, notifications=_pending_notifications()
        )
