"""`make dev`: runs the whole service locally until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from asb.kernel.settings import policy_file
from infra.local.runtime import LocalRuntime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the ASB case service locally.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--aws-port", type=int,
                        default=int(os.environ.get("LOCAL_AWS_PORT", "4566")))
    parser.add_argument("--homes", type=int,
                        default=int(os.environ.get("FICTIONAL_HOMES", "3000")),
                        help="the fictional landlord's homes the register starts with "
                             "(FICTIONAL_HOMES; 0: an empty register)")
    parser.add_argument("--retry-delay", type=int, default=None,
                        help="seconds before a failed queue message is retried "
                             "(default: the queue's visibility timeout, as in AWS)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S",
                        stream=sys.stderr)
    runtime = LocalRuntime(api_port=args.port, aws_port=args.aws_port,
                           retry_delay=args.retry_delay, fictional_homes=args.homes)
    runtime.start()
    assert runtime.resources
    from asb.policy.config import LANDLORD, PATCHES, POLICY_VERSION

    named = policy_file()
    policy = (f"{named}   (a change to it is taken up)" if named
              else "the packaged seed landlord's (make dev POLICY=<file> for another)")
    officer = next(iter(PATCHES.values()))[0]  # one of the landlord's own officers
    token = f"make token ROLE=officer USER={officer}" + (f" POLICY={named}" if named else "")
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    sys.stderr.write(
        "\nASB case service, running locally\n"
        f"  report form and API   {runtime.api_url}/\n"
        f"  officers' console     {runtime.api_url}/console   (local sign-in)\n"
        f"  local AWS endpoint    {runtime.aws_endpoint}   "
        f"(AWS_ENDPOINT_URL={runtime.aws_endpoint} aws dynamodb list-tables)\n"
        f"  resources from        template.yaml ({len(runtime.resources.template['Resources'])})\n"
        f"  landlord's policy     {LANDLORD}, version {POLICY_VERSION}\n"
        f"                        {policy}\n"
        f"  fire schedules now    make tick   (or AT=2026-12-24T09:00:00Z make tick)\n"
        f"  staff token           {token}   (manager, dpo)\n"
        "  stop                  Ctrl-C\n\n"
    )
    stopping.wait()
    sys.stderr.write("stopping…\n")
    runtime.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
