"""`make import-homes FILE=path/to/file.csv`: the landlord's homes or tenancies file put in the
running local service's import bucket under imports/, its S3 event delivered to the import
function by the runtime (infra.local.s3_notifications), and the import's report printed.
Exits 1 when the file was refused (the register is then as it was)."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path
from typing import Any

from infra.local.resources import REGION, LocalResources


def import_bucket() -> str:
    """The bucket's name as template.yaml gives it for the local stack."""
    resources = LocalResources()
    return str(resources.resolve(
        resources.template["Resources"]["HomesImportBucket"]["Properties"]["BucketName"]))


def put_file(path: Path, bucket: str, aws_port: str) -> str:
    import boto3

    key = f"imports/{path.name}"
    boto3.client("s3", region_name=REGION, endpoint_url=f"http://127.0.0.1:{aws_port}",
                 aws_access_key_id="local", aws_secret_access_key="local").put_object(  # noqa: S106
        Bucket=bucket, Key=key, Body=path.read_bytes())
    return key


def deliver(bucket: str, key: str, size: int, port: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_local/s3/object-created",
        data=json.dumps({"bucket": bucket, "key": key, "size": size}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=600) as answer:
        return list(json.load(answer)["delivered"])


def printed(report: dict[str, Any]) -> str:
    accepted = report["accepted"]
    lines = [f"{report['key']}: {report['outcome']} - {report['summary']}",
             f"  lines accepted: {accepted['homes']} homes, {accepted['tenancy_lines']} "
             "tenancy lines",
             *(f"  line {r['line']}: {r['reason']}" for r in report["rejections"]),
             f"  report: s3://{report['bucket']}/{report['report_key']}"]
    if report["outcome"] == "refused":
        lines.append("  nothing was loaded: the register is as it was")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not argv[0]:
        sys.stderr.write("usage: make import-homes FILE=path/to/homes-or-tenancies.csv\n")
        return 2
    path = Path(argv[0])
    if path.suffix.lower() != ".csv" or not path.is_file():
        sys.stderr.write(f"{path}: not a .csv file (the import takes imports/*.csv)\n")
        return 2
    port, aws_port = os.environ.get("PORT", "3000"), os.environ.get("LOCAL_AWS_PORT", "4566")
    from botocore.exceptions import BotoCoreError

    bucket = import_bucket()
    try:
        key = put_file(path, bucket, aws_port)
        delivered = deliver(bucket, key, path.stat().st_size, port)
    except (OSError, BotoCoreError) as error:
        sys.stderr.write(f"the local service is not running ({error}); start it with "
                         "`make dev`\n")
        return 1
    refused = False
    for answer in delivered:
        for report in answer["result"]["imports"]:
            sys.stdout.write(printed({**report, "bucket": bucket}))
            refused = refused or report["outcome"] == "refused"
    return 1 if refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
