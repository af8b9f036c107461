"""The local stack, exactly as `make run` starts it (on free ports), for tests over HTTP and in the browser.

One stack per test session, shared by tests/e2e and tests/browser (registered in tests/conftest.py).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import requests

from local.emulator import LOCAL_CREDENTIALS, free_port
from local.stage import ROOT, stage_environment

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class LocalStack:
    api: str
    emulator: str
    staff_token: str

    @property
    def staff(self) -> dict[str, str]:
        """The headers of a signed-in staff member."""
        return {"Authorization": f"Bearer {self.staff_token}"}

    def session(self) -> boto3.Session:
        return boto3.Session(
            aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=LOCAL_CREDENTIALS["AWS_REGION"],
        )

    def upload(self, upload: dict[str, Any], filename: str, content_type: str, data: bytes) -> int:
        """Send a file with a presigned form, as a browser would; returns S3's status code."""
        files = {"file": (filename, data, content_type)}
        return requests.post(upload["url"], data=upload["fields"], files=files, timeout=60).status_code

    def s3(self) -> S3Client:
        return self.session().client("s3", endpoint_url=self.emulator)

    def table(self, name: str) -> Table:
        return self.session().resource("dynamodb", endpoint_url=self.emulator).Table(name)


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    moto_port, api_port = free_port(), free_port()
    staff_token = secrets.token_urlsafe(16)
    env = {**os.environ, "MOTO_PORT": str(moto_port), "API_PORT": str(api_port), "STAFF_DEV_TOKEN": staff_token}
    stack = subprocess.Popen([sys.executable, "-m", "local.run"], cwd=ROOT, env=env)
    api = f"http://127.0.0.1:{api_port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"{api}/openapi.json", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if stack.poll() is not None or time.monotonic() > deadline:
            stack.kill()
            pytest.fail("the local stack did not start")
        time.sleep(0.3)
    yield LocalStack(api=api, emulator=f"http://127.0.0.1:{moto_port}", staff_token=staff_token)
    stack.send_signal(signal.SIGTERM)
    stack.wait(timeout=30)


@pytest.fixture(scope="session")
def stage() -> dict[str, str]:
    return stage_environment("dev")
