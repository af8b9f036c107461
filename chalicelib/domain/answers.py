"""What the API answers, as models: they are the contract the OpenAPI document publishes."""

from __future__ import annotations

import datetime as dt

from chalicelib.domain.base import Model
from chalicelib.domain.clinical import ClinicalSummary
from chalicelib.domain.errors import FieldError
from chalicelib.domain.model import DocumentStatus, Event, NotificationKind, NotificationState, Status
from chalicelib.domain.referral import ContentType, DocumentKind, Referral


class Upload(Model):
    """A presigned S3 POST for one declared document: send `fields` and then the file as `file`."""

    document_index: int
    url: str
    fields: dict[str, str]
    expires_at: dt.datetime


class ReferralCreated(Model):
    referral_id: str
    status: Status
    summary: ClinicalSummary
    emergency_guidance: str | None
    uploads: list[Upload]


class DocumentProgress(Model):
    document_index: int
    status: DocumentStatus
    problem: str | None = None


class ReferralProgress(Model):
    referral_id: str
    status: Status
    submitted_at: dt.datetime | None
    documents: list[DocumentProgress]


class ErrorAnswer(Model):
    errors: list[FieldError]


class StatusChanged(Model):
    referral_id: str
    status: Status
    version: int
    allowed_moves: list[Status]


class ReferralListItem(Model):
    """A line of the team's queue: no names or free text, so listing is not a read of anyone's record."""

    referral_id: str
    status: Status
    submitted_at: dt.datetime
    urgent: bool
    summary: ClinicalSummary


class ReferralPage(Model):
    referrals: list[ReferralListItem]
    next_cursor: str | None


class DocumentDownload(Model):
    document_index: int
    kind: DocumentKind
    filename: str
    content_type: ContentType
    size_bytes: int
    status: DocumentStatus
    problem: str | None
    download_url: str | None  # a short-lived presigned GET, when the file arrived
    download_expires_at: dt.datetime | None


class ReferralDetail(Model):
    referral_id: str
    status: Status
    version: int
    allowed_moves: list[Status]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    request: Referral
    summary: ClinicalSummary
    notifications: dict[NotificationKind, NotificationState]
    documents: list[DocumentDownload]
    history: list[Event]
