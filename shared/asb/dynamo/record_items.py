"""Case records as stored: an item decoded into its record model, less the keys the store
derives; the model's `as_stored()` is what is written back (asb.case.records)."""

from __future__ import annotations

from typing import Any, TypeVar

from asb.case.records import (
    ActionPlanVersion,
    Contact,
    DiaryEntry,
    Meeting,
    Referral,
    StoredRecord,
    WitnessNeeds,
    WitnessStatement,
)
from asb.dynamo import keys

Kept = TypeVar("Kept", bound=StoredRecord)

# Attributes the store derives from the case and the record's kind, id and year.
_DERIVED = frozenset({keys.PK, keys.SK, keys.ENTITY, "case_reference", "year_list"})


def record_from_item(model: type[Kept], item: dict[str, Any]) -> Kept:
    return model.model_validate({k: v for k, v in item.items() if k not in _DERIVED})


def _by_id(model: type[Kept], entity: str, items: list[dict[str, Any]]) -> dict[str, Kept]:
    return {str(i["record_id"]): record_from_item(model, i) for i in items
            if i.get(keys.ENTITY) == entity}


def open_deadlines(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Enforcement's dates still on the DueWork index, each as stored less the keys the store
    derives, by record id (`<measure id>.<slot>`)."""
    return {str(i["record_id"]): {k: v for k, v in i.items() if k not in _DERIVED}
            for i in items if i.get(keys.ENTITY) == "Deadline" and i.get("due_kind")}


def shown_records(items: list[dict[str, Any]]) -> tuple[
        dict[str, DiaryEntry], dict[str, Contact], dict[str, Referral],
        dict[str, ActionPlanVersion]]:
    """The records only ever written and shown back to staff, from a case's items: diary
    entries, contacts, referrals and the action plan's versions, each by record id."""
    return (_by_id(DiaryEntry, "DiaryEntry", items), _by_id(Contact, "Contact", items),
            _by_id(Referral, "Referral", items), _by_id(ActionPlanVersion, "ActionPlan", items))


def witness_records(items: list[dict[str, Any]]) -> tuple[
        dict[str, WitnessStatement], dict[str, WitnessNeeds]]:
    """Witness statements by record id, and each witness's needs by party id."""
    return (_by_id(WitnessStatement, "WitnessStatement", items),
            _by_id(WitnessNeeds, "WitnessNeeds", items))


def meetings(items: list[dict[str, Any]]) -> dict[str, Meeting]:
    """The case's multi-agency meetings, by meeting id (its record id)."""
    return _by_id(Meeting, "Meeting", items)
