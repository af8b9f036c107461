"""Settings, read once per container from the environment (.chalice/config.json per stage)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    table_name: str
    bucket_name: str
    uploads_queue: str
    notifications_queue: str
    max_upload_bytes: int
    upload_url_seconds: int
    max_body_bytes: int
    idempotency_hours: int
    phone_region: str
    sender_email: str
    team_emails: tuple[str, ...]
    email_privacy: str  # "minimal" (nothing identifying) or "full" (adds name, contact details, goals)
    staff_base_url: str  # where the team opens a referral: <staff_base_url>/staff/referrals/<id>
    notify_retry_seconds: int  # first retry delay of a failed email; doubles with each try
    download_url_seconds: int  # lifetime of the team's presigned report downloads
    staff_user_pool_arn: str  # in AWS: the Cognito user pool of the team's accounts
    staff_dev_token: str  # without a user pool (make run): the development credential; empty accepts nobody

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            table_name=env.get("TABLE_NAME", "spine-referrals-dev"),
            bucket_name=env.get("BUCKET_NAME", "spine-referrals-dev-documents"),
            uploads_queue=env.get("UPLOADS_QUEUE", "spine-referrals-dev-uploads"),
            notifications_queue=env.get("NOTIFICATIONS_QUEUE", "spine-referrals-dev-notifications"),
            max_upload_bytes=int(env.get("MAX_UPLOAD_MIB", "500")) * MIB,
            upload_url_seconds=int(env.get("UPLOAD_URL_SECONDS", "900")),
            max_body_bytes=int(env.get("MAX_BODY_KIB", "256")) * 1024,
            idempotency_hours=int(env.get("IDEMPOTENCY_HOURS", "24")),
            phone_region=env.get("PHONE_REGION", "US"),
            sender_email=env.get("SENDER_EMAIL", "referrals@spine-clinic.example"),
            team_emails=tuple(a.strip() for a in env.get("TEAM_EMAILS", "").split(",") if a.strip()),
            email_privacy=env.get("EMAIL_PRIVACY", "minimal"),
            staff_base_url=env.get("STAFF_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            notify_retry_seconds=int(env.get("NOTIFY_RETRY_SECONDS", "30")),
            download_url_seconds=int(env.get("DOWNLOAD_URL_SECONDS", "300")),
            staff_user_pool_arn=env.get("STAFF_USER_POOL_ARN", ""),
            staff_dev_token=env.get("STAFF_DEV_TOKEN", ""),
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
