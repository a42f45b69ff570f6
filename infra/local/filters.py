"""Lambda event filtering (FilterCriteria), as the event source mapping applies it before invoking."""

from __future__ import annotations

import json
from typing import Any


def passes(filters: list[dict[str, Any]] | None, record: dict[str, Any]) -> bool:
    """A record is delivered when any filter's pattern matches it (no filters: every record)."""
    if not filters:
        return True
    return any(matches(json.loads(f["Pattern"]), record) for f in filters)


def matches(pattern: dict[str, Any], value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for key, rule in pattern.items():
        if isinstance(rule, dict):
            if not matches(rule, value.get(key)):
                return False
        elif not _any_rule(rule, key in value, value.get(key)):
            return False
    return True


def _any_rule(rules: list[Any], present: bool, value: Any) -> bool:
    return any(_rule(rule, present, value) for rule in rules)


def _rule(rule: Any, present: bool, value: Any) -> bool:
    if not isinstance(rule, dict):
        return present and value == rule
    if "exists" in rule:
        return present is bool(rule["exists"])
    if "prefix" in rule:
        return isinstance(value, str) and value.startswith(rule["prefix"])
    if "anything-but" in rule:
        excluded = rule["anything-but"]
        excluded = excluded if isinstance(excluded, list) else [excluded]
        return present and value not in excluded
    if "numeric" in rule:
        return isinstance(value, int | float) and _numeric(rule["numeric"], value)
    return False


def _numeric(conditions: list[Any], value: float) -> bool:
    checks = {"<": float.__lt__, "<=": float.__le__, "=": float.__eq__, ">": float.__gt__,
              ">=": float.__ge__}
    pairs = zip(conditions[::2], conditions[1::2], strict=True)
    return all(checks[op](float(value), float(bound)) for op, bound in pairs)
