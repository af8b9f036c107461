"""Settings, read once per container from the environment (.chalice/config.json per stage)."""

from __future__ import annotations

import os
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

    @classmethod
    def from_env(cls, env: os._Environ[str] | dict[str, str] = os.environ) -> Settings:
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
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
