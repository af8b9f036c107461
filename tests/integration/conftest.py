"""The app through chalice.test.Client, against moto with the stage's resources made by local/bootstrap."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws

from app import app
from chalicelib import services
from chalicelib.adapters import aws
from chalicelib.config import Settings, get_settings
from local.bootstrap import create_resources
from local.stage import ROOT, stage_environment

STAFF_TOKEN = "integration-staff-token"
STAFF = {"Authorization": f"Bearer {STAFF_TOKEN}"}


def _forget_clients() -> None:
    for cached in (aws.reset, services.intake.cache_clear, get_settings.cache_clear):
        cached()


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # moto intercepts; nothing may leave the process
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # The stage's variables for the whole test, not only inside each chalice.test.Client invocation.
    for name, value in {**stage_environment("dev"), "STAFF_DEV_TOKEN": STAFF_TOKEN}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    with mock_aws():
        _forget_clients()
        create_resources(
            settings, boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs"), boto3.client("ses")
        )
        yield settings
    _forget_clients()


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    with Client(app, stage_name="dev", project_dir=str(ROOT)) as chalice_client:
        yield chalice_client


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def error_fields(self) -> list[str]:
        return [error["field"] for error in self.body["errors"]]


def post(
    client: Client, path: str, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None
) -> Answer:
    data = raw if raw is not None else json.dumps(body).encode() if body is not None else b""
    return request(client, "POST", path, data, headers)


def request(client: Client, method: str, path: str, data: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
    response = client.http.request(
        method, path, headers={"Content-Type": "application/json", **(headers or {})}, body=data
    )
    return Answer(response.status_code, json.loads(response.body or b"null"), dict(response.headers))


def stored_items(settings: Settings) -> list[dict[str, Any]]:
    return boto3.resource("dynamodb").Table(settings.table_name).scan()["Items"]


def referral_count(settings: Settings) -> int:
    return sum(item["SK"] == "META" for item in stored_items(settings))


def referral_item(settings: Settings, referral_id: str) -> dict[str, Any]:
    key = {"PK": f"REFERRAL#{referral_id}", "SK": "META"}
    return boto3.resource("dynamodb").Table(settings.table_name).get_item(Key=key)["Item"]


class AwsCalls:
    """Counts the AWS API calls the app's own clients make (presigning is not a call)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        for client in (aws.s3(), aws.dynamodb_table(get_settings().table_name).meta.client):
            client.meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[f"{model.service_model.service_name}.{model.name}"] += 1

    def of(self, service: str) -> dict[str, int]:
        return {name: n for name, n in self.counts.items() if name.startswith(service + ".")}


@pytest.fixture
def aws_calls(client: Client) -> AwsCalls:
    return AwsCalls()
