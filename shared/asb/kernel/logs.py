"""Every function's logger. Log lines carry references, ids and outcomes - never personal data -
and, should a record ever carry a field that could hold it (a name, an email, a description),
Powertools' data masking erases it before the line is written. Records without such fields,
which is all of them when the code is right, pass untouched and cost no masking."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

SENSITIVE_FIELDS = frozenset({
    "name", "first_name", "email", "phone", "address", "description", "text", "summary",
    "purpose", "necessity", "reasons", "what_happened", "details", "supporter", "reporter",
    "perpetrator", "submission", "package",
})


def sensitive_paths(value: Any, prefix: str = "$") -> list[str]:
    """JSONPath of every sensitive field in a record, however deep."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}['{key}']"
            if key in SENSITIVE_FIELDS:
                found.append(path)
            else:
                found += sensitive_paths(inner, path)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += sensitive_paths(inner, f"{prefix}[{index}]")
    return found


@cache
def _masking() -> Any:
    from aws_lambda_powertools.utilities.data_masking import DataMasking

    return DataMasking(raise_on_missing_field=False)


class MaskingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: Any) -> str:  # a dict or a PowertoolsLogRecord
        paths = sensitive_paths(log)
        if paths:
            log = _masking().erase(log, fields=paths)
        return super().serialize(log)


def service_logger() -> Logger:
    return Logger(logger_formatter=MaskingFormatter())
