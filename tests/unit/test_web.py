"""The form's Content-Security-Policy lets the browser post files exactly where the API presigns them."""

from __future__ import annotations

from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from chalicelib.adapters.s3 import DocumentStorage
from chalicelib.web import content_security_policy, upload_origin

BUCKET = "spine-referrals-prod-documents"


@pytest.mark.parametrize(
    ("region", "env"),
    [
        ("us-east-1", {}),
        ("eu-west-1", {}),
        ("us-east-1", {"AWS_ENDPOINT_URL": "http://127.0.0.1:5123"}),  # the local emulator
        ("us-east-1", {"AWS_ENDPOINT_URL": "http://other:1", "AWS_ENDPOINT_URL_S3": "http://localhost:5123"}),
    ],
)
def test_connect_src_names_the_origin_of_the_presigned_upload_form(region: str, env: dict[str, str]) -> None:
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    client = boto3.client(
        "s3",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4"),
    )
    url = DocumentStorage(client, BUCKET).presign_upload("referrals/x/0", "application/pdf", 10, 60)["url"]
    parts = urlsplit(url)
    directives = dict(
        directive.strip().split(" ", 1) for directive in content_security_policy(upload_origin(BUCKET, env)).split(";")
    )
    assert directives["connect-src"].split() == ["'self'", f"{parts.scheme}://{parts.netloc}"]
    assert directives["script-src"] == directives["style-src"] == "'self'"
