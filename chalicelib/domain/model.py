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
    awaiting_uploads = "awaiting_uploads"
    submitted = "submitted"


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

    def submitted(self, now: dt.datetime) -> ReferralRecord:
        received = [DocumentState(DocumentStatus.received) for _ in self.documents]
        return replace(
            self, status=Status.submitted, submitted_at=now, documents=received, notifications=_pending_notifications()
        )
