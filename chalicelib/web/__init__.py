"""The patient's web form: its page, style sheet and script, kept beside this module and served by app.py.

Nothing comes from another site (no CDN, no tracking), so the form works offline and health data stays in
the page. Each file is read on its first request and kept for the container's life. The
Content-Security-Policy lets the page run only its own script and style, and talk only to the API (its own
origin) and to the bucket the browser uploads reports to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from chalice.app import Response

from chalicelib import http
from chalicelib.config import MIB, Settings

_FOLDER = Path(__file__).parent
_PAGE = "form.html"
# The page's files, served under /assets/ (an allow-list: nothing else here, nor outside, can be asked for).
ASSETS = {
    "form.css": "text/css; charset=utf-8",
    "form.js": "text/javascript; charset=utf-8",
}


def upload_origin(bucket: str, env: Mapping[str, str]) -> str:
    """The origin of the presigned POSTs (adapters/s3.py): the emulator locally, the bucket's host in AWS."""
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{bucket}.s3.amazonaws.com"


def content_security_policy(uploads: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"connect-src 'self' {uploads}",
            # The script sends the form; a native submit (script blocked) would put answers in the URL.
            "form-action 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


@cache
def _body(name: str, max_upload_bytes: int) -> str:
    text = (_FOLDER / name).read_text(encoding="utf-8")
    # The page's own copy of the stage's file size limit, so the form checks what the API will.
    return text.replace("{{max_upload_mib}}", str(max_upload_bytes // MIB)) if name == _PAGE else text


def page(settings: Settings, env: Mapping[str, str] | None = None) -> Response:
    return _file(_PAGE, "text/html; charset=utf-8", settings, env)


def asset(name: str, settings: Settings, env: Mapping[str, str] | None = None) -> Response:
    content_type = ASSETS.get(name)
    if content_type is None:
        return http.json_response(404, {"errors": [{"field": "name", "message": "there is no such file"}]})
    return _file(name, content_type, settings, env)


def _file(name: str, content_type: str, settings: Settings, env: Mapping[str, str] | None) -> Response:
    # os.environ is looked up now, not bound as a default: test clients swap it per invocation.
    env = os.environ if env is None else env
    return Response(
        body=_body(name, settings.max_upload_bytes),
        status_code=200,
        headers={
            "Content-Type": content_type,
            "Content-Security-Policy": content_security_policy(upload_origin(settings.bucket_name, env)),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            # Always asked for again: a new page must not run with an old script.
            "Cache-Control": "no-cache",
        },
    )
