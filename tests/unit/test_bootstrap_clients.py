"""A builder wires every client its service may use; each is made at its first call, so a route
that never calls a service does not pay for its client at cold start."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from asb import bootstrap


class MadeClient:
    def __init__(self, service: str) -> None:
        self.service = service

    def head_object(self, **_: Any) -> str:
        return f"{self.service} answered"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    services: list[str] = []

    def client(service: str, **_: Any) -> MadeClient:
        services.append(service)
        return MadeClient(service)

    monkeypatch.setattr(boto3, "client", client)
    return services


def test_wiring_a_client_makes_none(made: list[str]) -> None:
    clients = bootstrap.Clients()
    clients.s3(), clients.kms(), clients.dynamodb()
    assert made == []


def test_a_client_is_made_once_at_its_first_call(made: list[str]) -> None:
    clients = bootstrap.Clients()
    s3: Any = clients.s3()
    assert s3.head_object(Bucket="b", Key="k") == "s3 answered"
    clients.s3().head_object(Bucket="b", Key="k")
    assert made == ["s3"]


def test_a_given_client_is_used_as_it_is(made: list[str]) -> None:
    given = MadeClient("kms")
    kms: Any = bootstrap.Clients(kms=given).kms()
    assert kms is given
    assert made == []
