"""`@answers(app, SomeError)`: the function answers that error, for every route of the resolver.
It is Powertools' `app.exception_handler`, typed: Powertools leaves that decorator's return
unannotated, which would make each handler it decorates untyped under mypy --strict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver

Answer = TypeVar("Answer", bound=Callable[..., Any])


def answers(app: ApiGatewayResolver, *errors: type[Exception]) -> Callable[[Answer], Answer]:
    register: Callable[[Answer], Answer] = app.exception_handler(list(errors))
    return register
