"""Uploaded reports in S3: presigned browser uploads and a look at what arrived."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_plus

from botocore.exceptions import ClientError

from chalicelib.domain.documents import SIGNATURE_BYTES, StoredObject

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


# Uploads arrive tagged "unsubmitted"; submit re-tags them. The bucket's lifecycle rule deletes what is
# still "unsubmitted" after a while: reports of referrals that were never sent are not kept.
STATE_TAG = "referral-state"
_UNSUBMITTED = f"<Tagging><TagSet><Tag><Key>{STATE_TAG}</Key><Value>unsubmitted</Value></Tag></TagSet></Tagging>"


class DocumentStorage:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def presign_upload(self, key: str, content_type: str, size: int, expires_in: int) -> dict[str, Any]:
        """A browser-ready POST form bound to this key, this type and exactly this size. Signed locally."""
        return self._client.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type, "tagging": _UNSUBMITTED},
            Conditions=[
                {"Content-Type": content_type},
                {"tagging": _UNSUBMITTED},
                ["content-length-range", size, size],
            ],
            ExpiresIn=expires_in,
        )

    def presign_download(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        """A short-lived GET that saves the file under the patient's own file name. Signed locally."""
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                # RFC 5987 encoding: the name is the patient's text and must not break the header.
                "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(filename)}",
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires_in,
        )

    def keep(self, key: str) -> None:
        """Mark an upload as part of a submitted referral, out of reach of the unsubmitted-uploads expiry."""
        self._client.put_object_tagging(
            Bucket=self._bucket, Key=key, Tagging={"TagSet": [{"Key": STATE_TAG, "Value": "submitted"}]}
        )

    def inspect(self, key: str) -> StoredObject | None:
        """Size and first bytes of an object, in one ranged GET; None when nothing is there."""
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{SIGNATURE_BYTES - 1}")
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in ("NoSuchKey", "404"):
                return None
            if code == "InvalidRange":  # an empty object has no byte 0
                return StoredObject(size=0, head=b"")
            raise
        head = answer["Body"].read()
        # "bytes 0-131/5242880": the total after the slash; a small object may come whole, without a range.
        content_range = answer.get("ContentRange")
        size = int(content_range.rsplit("/", 1)[1]) if content_range else answer["ContentLength"]
        return StoredObject(size=size, head=head)


def object_keys(notification: str) -> list[str]:
    """The object keys in an S3 event notification, as delivered in an SQS message body."""
    event = json.loads(notification)
    # S3 also sends an s3:TestEvent with no Records when the notification is first configured.
    return [unquote_plus(record["s3"]["object"]["key"]) for record in event.get("Records", [])]
