"""`make tick`: fires the running local service's schedules now, or as of AT=<ISO time>."""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("PORT", "3000")
    payload = {"at": os.environ.get("AT") or None, "schedule": os.environ.get("SCHEDULE") or None}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_local/tick", data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            fired = json.load(answer)["fired"]
    except OSError as error:
        sys.stderr.write(f"the local service is not running on port {port} ({error}); "
                         "start it with `make dev`\n")
        return 1
    for item in fired:
        sys.stdout.write(f"{item['schedule']:<48} as of {item['at']}  {item['outcome']}\n")
    if not fired:
        sys.stdout.write("no schedules in template.yaml\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
