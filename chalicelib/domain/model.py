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
        )

    def submitted(self, now: dt.datetime) -> ReferralRecord:
        received = [DocumentState(DocumentStatus.received) for _ in self.documents]
        return replace(self, status=Status.submitted, submitted_at=now, documents=received)
