"""Case records as stored: an item decoded into its record model, less the keys the store
derives; the model's `as_stored()` is what is written back (asb.case.records)."""

from __future__ import annotations

from typing import Any, TypeVar

from asb.case.records import StoredRecord
from asb.dynamo import keys

Kept = TypeVar("Kept", bound=StoredRecord)

# Attributes the store derives from the case and the record's kind, id and year.
_DERIVED = frozenset({keys.PK, keys.SK, keys.ENTITY, "case_reference", "year_list"})


def record_from_item(model: type[Kept], item: dict[str, Any]) -> Kept:
    return model.model_validate({k: v for k, v in item.items() if k not in _DERIVED})
