"""Referrals in one DynamoDB table. Every write that must not clobber carries a condition.

Items: PK=REFERRAL#<id>, SK=META holds the referral, SK=EVENT#<time>#<random> its audit history;
PK=IDEMPOTENCY#<sha256 of key> maps a client's Idempotency-Key to the referral it created (with a TTL).
Two sparse indexes serve the team's queue, newest first: by-status (status, submitted_at) and
by-submitted (listed, submitted_at); a referral enters both when it is submitted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from chalicelib.domain.answers import ReferralListItem
from chalicelib.domain.clinical import ClinicalSummary
from chalicelib.domain.model import (
    PATIENT,
    Action,
    DocumentState,
    DocumentStatus,
    Event,
    NotificationKind,
    NotificationState,
    NotificationStatus,
    ReferralRecord,
    Status,
)
from chalicelib.domain.referral import IntakeRules, Referral

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


@dataclass(frozen=True)
class IdempotencyClaim:
    key_hash: str
    request_hash: str
    referral_id: str
    expires_at: int  # epoch seconds, the table's TTL attribute


class IdempotencyKeyTaken(Exception):
    """Another request already claimed this Idempotency-Key."""


class InvalidCursor(Exception):
    """A page cursor that this query did not hand out."""


LISTED = "referral"  # the by-submitted index's single partition: every submitted referral
BY_STATUS, BY_SUBMITTED = "by-status", "by-submitted"


def _referral_key(referral_id: str) -> dict[str, str]:
    return {"PK": f"REFERRAL#{referral_id}", "SK": "META"}


def _idempotency_key(key_hash: str) -> dict[str, str]:
    return {"PK": f"IDEMPOTENCY#{key_hash}", "SK": "IDEMPOTENCY"}


def _document_item(state: DocumentState) -> dict[str, str]:
    return {"status": state.status.value, **({"problem": state.problem} if state.problem else {})}


def _notification_item(state: NotificationState) -> dict[str, Any]:
    item: dict[str, Any] = {"status": state.status.value, "attempts": state.attempts}
    if state.sent_at:
        item["sent_at"] = state.sent_at.isoformat()
    if state.error:
        item["error"] = state.error
    return item


def _notification_state(item: dict[str, Any]) -> NotificationState:
    return NotificationState(
        status=NotificationStatus(item["status"]),
        attempts=int(item["attempts"]),
        sent_at=dt.datetime.fromisoformat(item["sent_at"]) if "sent_at" in item else None,
        error=item.get("error"),
    )


def _notifications_item(record: ReferralRecord) -> dict[str, Any]:
    return {kind.value: _notification_item(state) for kind, state in record.notifications.items()}


def _to_item(record: ReferralRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        **_referral_key(record.referral_id),
        "referral_id": record.referral_id,
        "status": record.status.value,
        "created_at": record.created_at.isoformat(),
        "urgent": record.summary.urgent,
        # The request and summary never change after intake: JSON keeps them exact (no Decimal round trip).
        "request": record.request.model_dump_json(),
        "summary": record.summary.model_dump_json(),
        "documents": [_document_item(state) for state in record.documents],
        "notifications": _notifications_item(record),
        "version": record.version,
    }
    if record.submitted_at:
        item["submitted_at"] = record.submitted_at.isoformat()
        item["listed"] = LISTED
    return item


def _event_item(referral_id: str, event: Event) -> dict[str, Any]:
    # The random suffix keeps two events of the same microsecond apart.
    item: dict[str, Any] = {
        "PK": f"REFERRAL#{referral_id}",
        "SK": f"EVENT#{event.at.isoformat()}#{secrets.token_hex(4)}",
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action.value,
    }
    for name in ("from_status", "to_status", "note"):
        if value := getattr(event, name):
            item[name] = str(value)
    return item


def _event(item: dict[str, Any]) -> Event:
    return Event(
        at=dt.datetime.fromisoformat(item["at"]),
        actor=item["actor"],
        action=Action(item["action"]),
        from_status=Status(item["from_status"]) if "from_status" in item else None,
        to_status=Status(item["to_status"]) if "to_status" in item else None,
        note=item.get("note"),
    )


def _from_item(item: dict[str, Any]) -> ReferralRecord:
    created_at = dt.datetime.fromisoformat(item["created_at"])
    # Re-validated under the rules of the day it arrived, so a stored referral always reads back.
    rules = IntakeRules(today=created_at.date(), max_upload_bytes=2**63)
    return ReferralRecord(
        referral_id=item["referral_id"],
        status=Status(item["status"]),
        created_at=created_at,
        request=Referral.model_validate_json(item["request"], context=rules),
        summary=ClinicalSummary.model_validate_json(item["summary"]),
        documents=[DocumentState(DocumentStatus(d["status"]), d.get("problem")) for d in item["documents"]],
        submitted_at=dt.datetime.fromisoformat(item["submitted_at"]) if "submitted_at" in item else None,
        notifications={
            NotificationKind(kind): _notification_state(state) for kind, state in item["notifications"].items()
        },
        version=int(item["version"]),
    )


def _is_condition_failure(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class ReferralRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, record: ReferralRecord, claim: IdempotencyClaim | None, now: dt.datetime) -> None:
        """Store a new referral, its first event and idempotency claim in one transaction that never overwrites."""
        puts = [
            self._put(_to_item(record), "attribute_not_exists(PK)"),
            self._put(_event_item(record.referral_id, record.created_event()), "attribute_not_exists(PK)"),
        ]
        if claim:
            claim_item = {
                **_idempotency_key(claim.key_hash),
                "request_hash": claim.request_hash,
                "referral_id": claim.referral_id,
                "expires_at": claim.expires_at,
            }
            # A claim past its TTL may linger until DynamoDB deletes it; it no longer counts.
            puts.append(self._put(claim_item, "attribute_not_exists(PK) OR expires_at < :now", int(now.timestamp())))
        client = self._table.meta.client
        try:
            client.transact_write_items(TransactItems=puts)
        except client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons", [])
            if claim and len(reasons) > 2 and reasons[2].get("Code") == "ConditionalCheckFailed":
                raise IdempotencyKeyTaken from None
            raise

    def _put(self, item: dict[str, Any], condition: str, now: int | None = None) -> Any:
        # The table's own client takes plain Python values: boto3's resource layer serializes them.
        put: dict[str, Any] = {"TableName": self._table.name, "Item": item, "ConditionExpression": condition}
        if now is not None:
            put["ExpressionAttributeValues"] = {":now": now}
        return {"Put": put}

    def get(self, referral_id: str) -> ReferralRecord | None:
        item = self._table.get_item(Key=_referral_key(referral_id), ConsistentRead=True).get("Item")
        return _from_item(item) if item else None

    def claim(self, key_hash: str) -> IdempotencyClaim | None:
        item = self._table.get_item(Key=_idempotency_key(key_hash), ConsistentRead=True).get("Item")
        if not item:
            return None
        return IdempotencyClaim(
            key_hash=key_hash,
            request_hash=str(item["request_hash"]),
            referral_id=str(item["referral_id"]),
            expires_at=int(item["expires_at"]),  # type: ignore[arg-type]
        )

    def save_submitted(self, record: ReferralRecord) -> bool:
        """Move a referral from awaiting_uploads to submitted; False if it was no longer awaiting."""
        update = self._update(
            record.referral_id,
            "SET #status = :submitted, submitted_at = :at, listed = :listed,"
            " documents = :documents, notifications = :notifications",
            "#status = :awaiting",
            {
                ":submitted": Status.submitted.value,
                ":awaiting": Status.awaiting_uploads.value,
                ":at": record.submitted_at.isoformat() if record.submitted_at else None,
                ":listed": LISTED,
                ":documents": [_document_item(state) for state in record.documents],
                ":notifications": _notifications_item(record),
            },
        )
        at = record.submitted_at or record.created_at
        event = Event(at, PATIENT, Action.submitted, Status.awaiting_uploads, Status.submitted)
        return self._transact(update, event, record.referral_id)

    def move(self, record: ReferralRecord, event: Event) -> bool:
        """Apply a status move and record it, if nobody changed the referral since `record` was read."""
        assert event.to_status is not None
        update = self._update(
            record.referral_id,
            "SET #status = :to, version = version + :one",
            "#status = :from AND version = :version",
            {":to": event.to_status.value, ":from": record.status.value, ":version": record.version, ":one": 1},
        )
        return self._transact(update, event, record.referral_id)

    def _update(self, referral_id: str, expression: str, condition: str, values: dict[str, Any]) -> Any:
        return {
            "Update": {
                "TableName": self._table.name,
                "Key": _referral_key(referral_id),
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": values,
            }
        }

    def _transact(self, update: Any, event: Event, referral_id: str) -> bool:
        """A conditional update and its audit event, both or neither; False when the condition failed."""
        client = self._table.meta.client
        try:
            client.transact_write_items(
                TransactItems=[update, self._put(_event_item(referral_id, event), "attribute_not_exists(PK)")]
            )
        except client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons") or [{}]
            if reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def history(self, referral_id: str) -> tuple[ReferralRecord | None, list[Event]]:
        """The referral and its audit events, oldest first, in one query."""
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": f"REFERRAL#{referral_id}"},
            "ConsistentRead": True,
        }
        while True:
            answer = self._table.query(**query)
            items += answer["Items"]
            if "LastEvaluatedKey" not in answer:
                break
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        meta = next((item for item in items if item["SK"] == "META"), None)
        events = [_event(item) for item in items if str(item["SK"]).startswith("EVENT#")]
        return (_from_item(meta) if meta else None), events

    def add_event(self, referral_id: str, event: Event) -> None:
        self._table.put_item(Item=_event_item(referral_id, event), ConditionExpression="attribute_not_exists(PK)")

    def page(
        self, status: Status | None, urgent: bool | None, limit: int, cursor: str | None
    ) -> tuple[list[ReferralListItem], str | None]:
        """Submitted referrals, newest first, from an index (never a scan); returns the next page's cursor."""
        index, partition, value = (BY_STATUS, "status", status.value) if status else (BY_SUBMITTED, "listed", LISTED)
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": "#partition = :partition",
            "ExpressionAttributeNames": {"#partition": partition},
            "ExpressionAttributeValues": {":partition": value},
            "ScanIndexForward": False,
        }
        if urgent is not None:
            query["FilterExpression"] = "urgent = :urgent"
            query["ExpressionAttributeValues"][":urgent"] = urgent
        key_names = ("PK", "SK", partition, "submitted_at")
        if cursor:
            query["ExclusiveStartKey"] = _decode_cursor(cursor, key_names, partition, value)
        found: list[dict[str, Any]] = []
        more = True
        while more and len(found) < limit:
            answer = self._table.query(**query, Limit=limit - len(found))
            found += answer["Items"]
            more = "LastEvaluatedKey" in answer
            if more:
                query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        # The next page starts after the last referral shown (a filtered query may have read further).
        next_cursor = _encode_cursor({name: found[-1][name] for name in key_names}) if more and found else None
        referrals = [
            ReferralListItem(
                referral_id=item["referral_id"],
                status=Status(item["status"]),
                submitted_at=dt.datetime.fromisoformat(item["submitted_at"]),
                urgent=bool(item["urgent"]),
                summary=ClinicalSummary.model_validate_json(item["summary"]),
            )
            for item in found
        ]
        return referrals, next_cursor

    def record_documents(self, referral_id: str, states: dict[int, DocumentState]) -> bool:
        """Remember what was found for some documents; False if the referral does not exist."""
        if not states:
            return True
        try:
            self._table.update_item(
                Key=_referral_key(referral_id),
                UpdateExpression="SET " + ", ".join(f"documents[{index}] = :d{index}" for index in states),
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={f":d{index}": _document_item(state) for index, state in states.items()},
            )
        except ClientError as exc:
            if _is_condition_failure(exc):
                return False
            raise
        return True

    def claim_notification(self, referral_id: str, kind: NotificationKind, now: dt.datetime, lease: int) -> bool:
        """Take the right to send one email: False when it was sent, or another delivery is sending it now.

        The claim lapses after `lease` seconds, so a sender that died mid-way does not block the retries.
        """
        try:
            self._table.update_item(
                Key=_referral_key(referral_id),
                UpdateExpression=(
                    "SET notifications.#kind.claimed_until = :until ADD notifications.#kind.attempts :one"
                ),
                ConditionExpression=(
                    "notifications.#kind.#status <> :sent AND (attribute_not_exists(notifications.#kind.claimed_until)"
                    " OR notifications.#kind.claimed_until < :now)"
                ),
                ExpressionAttributeNames={"#kind": kind.value, "#status": "status"},
                ExpressionAttributeValues={
                    ":sent": NotificationStatus.sent.value,
                    ":now": int(now.timestamp()),
                    ":until": int(now.timestamp()) + lease,
                    ":one": 1,
                },
            )
        except ClientError as exc:
            if _is_condition_failure(exc):
                return False
            raise
        return True

    def record_notification(self, referral_id: str, kind: NotificationKind, state: NotificationState) -> None:
        """Store how a claimed send went, and release the claim."""
        fields = {name: value for name, value in _notification_item(state).items() if name != "attempts"}
        removed = ["claimed_until"] + ([] if state.error else ["error"])  # a sent email's old error is history
        self._table.update_item(
            Key=_referral_key(referral_id),
            # Every name aliased: "status" and "error" are DynamoDB reserved words.
            UpdateExpression="SET "
            + ", ".join(f"notifications.#kind.#{name} = :{name}" for name in fields)
            + " REMOVE "
            + ", ".join(f"notifications.#kind.#{name}" for name in removed),
            ExpressionAttributeNames={"#kind": kind.value, **{f"#{name}": name for name in [*fields, *removed]}},
            ExpressionAttributeValues={f":{name}": value for name, value in fields.items()},
        )


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, names: tuple[str, ...], partition: str, value: str) -> dict[str, Any]:
    try:
        key: Any = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise InvalidCursor from None
    valid = isinstance(key, dict) and set(key) == set(names) and all(isinstance(v, str) for v in key.values())
    if not valid or key[partition] != value:
        raise InvalidCursor
    return dict(key)
