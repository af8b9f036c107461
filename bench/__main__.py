"""`make bench`: the figures the issues name, each measured side by side with its baseline in one run.

Runs are interleaved (ours, baseline, ours, ...) so that load on the machine falls on both alike,
and medians are reported. The emulator is moto's server, started here on a free port.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from local.emulator import LOCAL_CREDENTIALS, free_port, start_emulator
from local.stage import ROOT, stage_environment

EXAMPLE = (ROOT / "tests" / "fixtures" / "referral.example.json").read_text()
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "300"))


def api_event(
    path: str, body: str, resource: str | None = None, params: dict[str, str] | None = None
) -> dict[str, Any]:
    """An API Gateway proxy event, as Lambda hands it to the app."""
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": "POST",
        "headers": {"content-type": "application/json"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params,
        "stageVariables": None,
        "requestContext": {"resourcePath": resource or path, "httpMethod": "POST", "path": path, "stage": "api"},
        "body": body,
        "isBase64Encoded": False,
    }


# What a fresh Lambda container does for its first referral: import the app, then handle one create.
FIRST_REFERRAL = """
import json, os
import app
answer = app.app(json.loads(os.environ["BENCH_EVENT"]), None)
assert answer["statusCode"] == 201, answer
"""

# The same AWS work with nothing of ours: one transaction writing the referral and its "created" event,
# and the two tagged, size-bound upload forms.
FIRST_RAW_CALLS = """
import json, os, uuid
import boto3, chalice, pydantic
from botocore.config import Config
referral_id = uuid.uuid4().hex
key = {"PK": {"S": "REFERRAL#" + referral_id}}
items = [{**key, "SK": {"S": "META"}, "request": {"S": os.environ["BENCH_BODY"]}}, {**key, "SK": {"S": "EVENT#0"}}]
boto3.client("dynamodb").transact_write_items(TransactItems=[{"Put": {
    "TableName": os.environ["TABLE_NAME"], "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}
    for item in items])
s3 = boto3.client("s3", config=Config(signature_version="s3v4"))
tag = "<Tagging><TagSet><Tag><Key>referral-state</Key><Value>unsubmitted</Value></Tag></TagSet></Tagging>"
for index in range(2):
    fields = {"Content-Type": "application/pdf", "tagging": tag}
    conditions = [{"Content-Type": "application/pdf"}, {"tagging": tag}, ["content-length-range", 1, 1]]
    s3.generate_presigned_post(os.environ["BUCKET_NAME"], f"referrals/{referral_id}/{index}",
                               Fields=fields, Conditions=conditions, ExpiresIn=900)
"""


def fresh_interpreter_ms(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return (time.perf_counter() - started) * 1000


def side_by_side(ours: Callable[[], float], baseline: Callable[[], float], runs: int) -> tuple[float, float]:
    ours_ms, baseline_ms = [], []
    for _ in range(runs):
        ours_ms.append(ours())
        baseline_ms.append(baseline())
    return statistics.median(ours_ms), statistics.median(baseline_ms)


def timed(action: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        started = time.perf_counter()
        action()
        return (time.perf_counter() - started) * 1000

    return run


def main() -> None:
    moto_port = free_port()
    emulator, _ = start_emulator(moto_port)
    try:
        os.environ.update(LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=f"http://127.0.0.1:{moto_port}")
        os.environ.update(stage_environment("dev"))
        env = dict(os.environ)
        rows = measure(env)
    finally:
        emulator.terminate()
        emulator.wait()
    print_table([*rows, deployment_zip()])


def deployment_zip() -> tuple[str, str, str, str, str]:
    """The size of the zip Lambda runs, from a fresh `make package` into a temporary folder (build/ untouched)."""
    with tempfile.TemporaryDirectory() as out:
        package = ["make", "--no-print-directory", "package", f"PACKAGE_DIR={out}/prod"]
        subprocess.run(package, cwd=ROOT, check=True, capture_output=True)
        size = (Path(out) / "prod" / "deployment.zip").stat().st_size
    return ("deployment zip (boto3 left to the runtime)", f"{size / 1e6:.2f} MB", "", "", "< 5 MB")


def measure(env: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    import boto3  # after AWS_ENDPOINT_URL is set
    from botocore.config import Config

    from chalicelib.config import Settings
    from local.bootstrap import create_resources

    settings = Settings.from_env()
    create_resources(settings, boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs"), boto3.client("ses"))
    rows = []

    # 1. Cold start: a fresh interpreter importing the app, against one importing only its frameworks.
    ours, base = side_by_side(
        lambda: fresh_interpreter_ms("import app", env),
        lambda: fresh_interpreter_ms("import boto3, chalice, pydantic", env),
        COLD_RUNS,
    )
    rows.append(("cold start: import app", f"{ours:.0f} ms", f"{base:.0f} ms", f"{ours / base:.2f}x", "<= 1.2x"))

    # 1b. What the first patient waits for: import and first create, against the same AWS work done raw.
    first_env = {**env, "BENCH_EVENT": json.dumps(api_event("/referrals", EXAMPLE)), "BENCH_BODY": EXAMPLE}
    ours, base = side_by_side(
        lambda: fresh_interpreter_ms(FIRST_REFERRAL, first_env),
        lambda: fresh_interpreter_ms(FIRST_RAW_CALLS, first_env),
        COLD_RUNS,
    )
    rows.append(("cold start to the first referral", f"{ours:.0f} ms", f"{base:.0f} ms", f"{ours / base:.2f}x", "-"))

    # 2. Warm create through the handler, against the raw boto3 calls it makes (same emulator, same process).
    import app

    event = api_event("/referrals", EXAMPLE)
    warm_up = app.app(event, None)
    assert warm_up["statusCode"] == 201, warm_up
    referral = json.loads(warm_up["body"])
    table = boto3.resource("dynamodb").Table(settings.table_name)
    s3 = boto3.client("s3", config=Config(signature_version="s3v4"))
    # What the handler stored: the referral and its "created" event, written in one transaction.
    items = table.query(
        KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": f"REFERRAL#{referral['referral_id']}"}
    )["Items"]

    def raw_create() -> None:
        referral_id = uuid.uuid4().hex
        puts: list[Any] = [
            {"Put": {"TableName": table.name, "Item": {**item, "PK": f"REFERRAL#{referral_id}"},
                     "ConditionExpression": "attribute_not_exists(PK)"}}
            for item in items
        ]  # fmt: skip
        table.meta.client.transact_write_items(TransactItems=puts)
        for index, upload in enumerate(referral["uploads"]):
            fields = {name: value for name, value in upload["fields"].items() if name in ("Content-Type", "tagging")}
            s3.generate_presigned_post(
                settings.bucket_name,
                f"referrals/{referral_id}/{index}",
                Fields=fields,
                Conditions=[*({name: value} for name, value in fields.items()), ["content-length-range", 1, 1]],
                ExpiresIn=900,
            )

    ours, base = side_by_side(timed(lambda: app.app(event, None)), timed(raw_create), WARM_RUNS)
    rows.append(("warm POST /referrals vs its raw boto3 calls", f"{ours:.2f} ms", f"{base:.2f} ms",
                 f"{ours / base:.2f}x", "<= 1.3x"))  # fmt: skip

    # 3. AWS calls the handlers make.
    from chalicelib.adapters import aws

    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    for client in (aws.s3(), aws.dynamodb_table(settings.table_name).meta.client, aws.sqs()):
        client.meta.events.register("before-call", count)
    created = json.loads(app.app(event, None)["body"])
    rows.append(("AWS calls per create", _calls(calls), "", "", "1 DynamoDB write"))
    from tests import files

    for upload, data in zip(created["uploads"], (files.pdf(182044), files.dicom(5242880)), strict=True):
        s3.put_object(Bucket=settings.bucket_name, Key=upload["fields"]["key"], Body=data)
    calls.clear()
    path = f"/referrals/{created['referral_id']}/submit"
    submit = api_event(path, "", "/referrals/{referral_id}/submit", {"referral_id": created["referral_id"]})
    assert app.app(submit, None)["statusCode"] == 200
    rows.append(("AWS calls per submit (2 documents)", _calls(calls), "", "", "-"))
    calls.clear()
    assert app.app(submit, None)["statusCode"] == 200
    rows.append(("AWS calls per repeated submit", _calls(calls), "", "", "-"))
    return rows


def _calls(calls: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(calls.items())) or "none"


def print_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    header = ("figure", "ours", "baseline", "ratio", "target")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(5)]
    print(f"\nmedians of {COLD_RUNS} cold / {WARM_RUNS} warm runs, interleaved; python {sys.version.split()[0]}")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
