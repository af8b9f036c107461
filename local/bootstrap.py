"""Create a stage's table, bucket and queues in the emulator (also used by the integration tests).

The same shapes as the deployed resources: encrypted, private, S3 ObjectCreated -> SQS, dead-letter queues.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from chalicelib.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ses import SESClient
    from mypy_boto3_sqs import SQSClient

MAX_RECEIVES = 5  # tries before a message moves to its dead-letter queue


def create_table(dynamodb: DynamoDBClient, name: str) -> None:
    if name in dynamodb.list_tables()["TableNames"]:
        return
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("PK", "SK", "status", "submitted_at", "listed")
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-status",
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": "submitted_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "by-submitted",
                "KeySchema": [
                    {"AttributeName": "listed", "KeyType": "HASH"},
                    {"AttributeName": "submitted_at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )


def create_queue(sqs: SQSClient, name: str) -> str:
    """A queue with its dead-letter queue; returns the queue's ARN."""
    dead_letter_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dead_letter_arn = sqs.get_queue_attributes(QueueUrl=dead_letter_url, AttributeNames=["QueueArn"])["Attributes"]
    redrive = {"deadLetterTargetArn": dead_letter_arn["QueueArn"], "maxReceiveCount": str(MAX_RECEIVES)}
    url = sqs.create_queue(
        QueueName=name,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": "30", "SqsManagedSseEnabled": "true"},
    )["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def create_bucket(s3: S3Client, name: str, uploads_queue_arn: str) -> None:
    if name not in {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=name)
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    # The browser posts reports straight to the bucket from the form's origin.
    s3.put_bucket_cors(
        Bucket=name,
        CORSConfiguration={
            "CORSRules": [
                {"AllowedMethods": ["POST"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 600}
            ]
        },
    )
    s3.put_bucket_notification_configuration(
        Bucket=name,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": uploads_queue_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )


def create_resources(
    settings: Settings, dynamodb: DynamoDBClient, s3: S3Client, sqs: SQSClient, ses: SESClient
) -> None:
    create_table(dynamodb, settings.table_name)
    uploads_arn = create_queue(sqs, settings.uploads_queue)
    create_queue(sqs, settings.notifications_queue)
    create_bucket(s3, settings.bucket_name, uploads_arn)
    ses.verify_email_identity(EmailAddress=settings.sender_email)  # SES sends only from verified senders
