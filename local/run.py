"""`make run`: the emulator with the stage's resources, the queue worker and `chalice local`, on one machine.

No AWS account is touched: every boto3 call goes to the emulator through AWS_ENDPOINT_URL.
Ports: MOTO_PORT (default 5000) and API_PORT (default 8000).
"""

from __future__ import annotations

import importlib
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

from local.emulator import LOCAL_CREDENTIALS, port_in_use, start_emulator, wait_for_port
from local.stage import ROOT, stage_environment


def main() -> None:
    moto_port = int(os.environ.get("MOTO_PORT", "5000"))
    api_port = int(os.environ.get("API_PORT", "8000"))
    for port in (moto_port, api_port):
        if port_in_use(port):
            sys.exit(f"port {port} is in use: stop what runs there, or set MOTO_PORT / API_PORT")

    os.environ.update(LOCAL_CREDENTIALS, AWS_ENDPOINT_URL=f"http://127.0.0.1:{moto_port}")
    # chalice local applies the stage's variables to the routes; the worker's handlers need the same.
    os.environ.update(stage_environment("dev"))
    # The team's development credential (kept out of .chalice/config.json, whose values would win).
    os.environ.setdefault("STAFF_DEV_TOKEN", secrets.token_urlsafe(24))

    emulator, emulator_log = start_emulator(moto_port)
    children = [emulator]
    stop = threading.Event()

    def shut_down(*_: object) -> None:
        stop.set()
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)

    import boto3  # after AWS_ENDPOINT_URL is set: every client made below reaches the emulator

    from chalicelib.config import Settings
    from local.bootstrap import create_resources
    from local.outbox import FOLDER, Outbox
    from local.worker import QueueWorker

    create_resources(
        Settings.from_env(), boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs"), boto3.client("ses")
    )

    chalice = Path(sys.executable).with_name("chalice")
    api = subprocess.Popen(
        [str(chalice), "local", "--host", "127.0.0.1", "--port", str(api_port), "--stage", "dev", "--no-autoreload"],
        cwd=ROOT,
    )
    children.insert(0, api)
    worker = QueueWorker(importlib.import_module("app"), boto3.client("sqs"))
    threading.Thread(target=worker.run, args=(stop,), daemon=True).start()
    threading.Thread(target=Outbox(os.environ["AWS_ENDPOINT_URL"]).run, args=(stop,), daemon=True).start()
    wait_for_port(api_port, api, "chalice local")

    print(
        f"\nLocal stack ready (stage dev, no AWS account used):\n"
        f"  Form      http://127.0.0.1:{api_port}/   (the patient's web form)\n"
        f"  API       http://127.0.0.1:{api_port}   (OpenAPI: http://127.0.0.1:{api_port}/openapi.json)\n"
        f"  Emulator  http://127.0.0.1:{moto_port}   (AWS_ENDPOINT_URL; its log: {emulator_log})\n"
        f"  Email     every message sent is saved as an .eml file in {FOLDER}\n"
        f"  Staff     GET http://127.0.0.1:{api_port}/staff/referrals with the header\n"
        f"            Authorization: Bearer {os.environ['STAFF_DEV_TOKEN']}\n"
        f"Press Ctrl-C to stop.\n",
        flush=True,
    )
    api.wait()
    shut_down()


if __name__ == "__main__":
    main()
