"""`make package` on this checkout: a lint-clean template and a small zip that leaves boto3 to Lambda."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

CFN_LINT_ERROR = 2  # cfn-lint's exit status is a bit set: 2 errors, 4 warnings, 8 informational
MAX_ZIP_BYTES = 5_000_000  # the target, as `make bench` reports it


def test_cfn_lint_finds_no_errors_in_the_packaged_template(package_dir: Path) -> None:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    done = subprocess.run([cfn_lint, package_dir / "sam.yaml"], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 4, 8, 12), done.stdout + done.stderr
    assert not done.returncode & CFN_LINT_ERROR


def test_the_zip_holds_the_app_and_its_requirements_but_not_boto3(package_dir: Path) -> None:
    zip_path = package_dir / "deployment.zip"
    with zipfile.ZipFile(zip_path) as deployment:
        top_level = {name.split("/")[0] for name in deployment.namelist()}
    assert {"app.py", "chalicelib", "pydantic", "pydantic_core", "email_validator", "phonenumbers"} <= top_level
    assert not top_level & {"boto3", "botocore", "s3transfer"}, "the Lambda runtime provides boto3"
    assert not top_level & {"local", "tests", "bench", "infra"}, "development code is never deployed"
    assert zip_path.stat().st_size < MAX_ZIP_BYTES
