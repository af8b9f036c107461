"""boto3 clients, each made on first use and kept for the container's life (not at import: cold start).

Every client honours AWS_ENDPOINT_URL, which is how the local stack and the tests reach the emulator.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ses import SESClient
    from mypy_boto3_sqs import SQSClient


@cache
def s3() -> S3Client:
    # SigV4 explicitly: presigned POSTs in newer regions reject the legacy signature.
    return boto3.client("s3", config=Config(signature_version="s3v4"))


@cache
def dynamodb_table(name: str) -> Table:
    return boto3.resource("dynamodb").Table(name)


@cache
def ses() -> SESClient:
    return boto3.client("ses")


@cache
def sqs() -> SQSClient:
    return boto3.client("sqs")


def reset() -> None:
    """Forget every client (tests start each emulator fresh)."""
    for factory in (s3, dynamodb_table, ses, sqs):
        factory.cache_clear()
