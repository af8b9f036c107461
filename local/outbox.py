"""Local email: every message the emulator's SES accepted, saved as an .eml file in local/outbox/.

The emulator keeps sent mail at GET /moto-api/data.json (ses.Message), with the HTML part as its body.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from email.message import EmailMessage
from pathlib import Path
from urllib.request import urlopen

FOLDER = Path(__file__).resolve().parent / "outbox"


class Outbox:
    def __init__(self, emulator_url: str, folder: Path = FOLDER) -> None:
        self._url = f"{emulator_url}/moto-api/data.json"
        self._folder = folder
        self._seen: set[str] = set()

    def collect(self) -> list[Path]:
        """Write the messages sent since the last call; returns their files."""
        with urlopen(self._url, timeout=5) as answer:  # noqa: S310 (the emulator on loopback)
            messages = json.load(answer).get("ses", {}).get("Message", [])
        written = []
        for message in messages:
            if message["id"] in self._seen:
                continue
            self._seen.add(message["id"])
            email = EmailMessage()
            email["From"] = message["source"]
            email["To"] = ", ".join(address for group in message["destinations"].values() for address in group)
            email["Subject"] = message["subject"]
            email.set_content(message["body"], subtype="html")
            self._folder.mkdir(exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            path = self._folder / f"{stamp}-{message['id'][:16]}.eml"
            path.write_bytes(bytes(email))
            written.append(path)
            # The subject carries the referral id only; recipients and contents stay in the file.
            print(f"mail: {message['subject']} -> {path}")
        return written

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(1):
            try:
                self.collect()
            except OSError as exc:  # the emulator restarting or going away: try again
                print(f"outbox: cannot reach the emulator ({type(exc).__name__})")
