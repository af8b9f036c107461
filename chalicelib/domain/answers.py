"""What the API answers, as models: they are the contract the OpenAPI document publishes."""

from __future__ import annotations

import datetime as dt

from chalicelib.domain.base import Model
from chalicelib.domain.clinical import ClinicalSummary
from chalicelib.domain.errors import FieldError
from chalicelib.domain.model import DocumentStatus, Status


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
