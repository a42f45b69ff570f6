"""One composition root (asb.bootstrap) and one reader of the environment (asb.settings): what
the handlers and the domain package may and may not do themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asb import bootstrap
from asb.kernel.settings import ConsoleSettings, DigestSettings, MissingSetting

ROOT = Path(__file__).parents[2]
CODE = sorted([*ROOT.glob("functions/*/*.py"), *ROOT.glob("shared/asb/**/*.py")])
ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\(")
MAKES_A_CLIENT = re.compile(r"\bboto3\.(client|resource|Session)\(")


def _places(pattern: re.Pattern[str], allowed: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{number}" for path in CODE if path != allowed
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if pattern.search(line)]


def test_only_settings_reads_the_environment() -> None:
    assert len(CODE) > 40  # the handlers and the package were read
    assert _places(ENVIRONMENT, ROOT / "shared/asb/kernel/settings.py") == []


def test_only_the_composition_root_makes_aws_clients() -> None:
    assert _places(MAKES_A_CLIENT, ROOT / "shared/asb/bootstrap.py") == []


def test_every_function_with_a_service_gets_it_from_the_root() -> None:
    for handler in ROOT.glob("functions/*/app.py"):
        source = handler.read_text()
        if "import boto3" in source or "Store(" in source:
            pytest.fail(f"{handler.relative_to(ROOT)} wires its own service")


def test_the_root_uses_a_given_client_and_makes_each_other_one_once() -> None:
    given = object()
    clients = bootstrap.Clients(dynamodb=given)
    assert clients.dynamodb() is given
    assert clients.kms() is clients.kms()
    assert clients.kms() is not clients.s3()


def test_a_missing_setting_is_named_at_cold_start() -> None:
    with pytest.raises(MissingSetting, match="STAFF_EMAIL_DOMAIN"):
        DigestSettings.load({"CASES_TABLE_NAME": "cases", "SENDER_ADDRESS": "asb@example.org",
                             "PUBLIC_BASE_URL": "https://example.org/v1/"})
    console = ConsoleSettings.load({"STAFF_SIGN_IN_URL": "/_local/sign-in/",
                                    "STAFF_CLIENT_ID": "local"})
    assert (console.sign_in_url, console.client_id) == ("/_local/sign-in", "local")
