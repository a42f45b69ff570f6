"""What a listed case shows to triage by, beyond its listing index: what is happening (each
behaviour by its code and the words staff read) and where (the postcode, and the street or area
without a house or flat number, so a list shows no more of a household than its postcode does:
the door is on the case's own page, whose every read is audited)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asb.case.retention import ERASED
from asb.policy.config import BEHAVIOUR_CATALOGUE, LEGACY_BEHAVIOURS

# The case item's attributes a listed case needs that the listing indexes do not project.
DETAIL_FIELDS = ("behaviours", "location_address")

_LABELS = {name: b.label for name, b in {**BEHAVIOUR_CATALOGUE, **LEGACY_BEHAVIOURS}.items()}
# A part of an address that names one home, not a place: "Flat 3", "Apartment 2b", "14", "14a".
_DWELLING = re.compile(
    r"^(?:(?:flat|apartment|apt|unit|room|maisonette)\.?\s*\w+|\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?)$",
    re.IGNORECASE)
_HOME_NUMBER = re.compile(
    r"^(?:(?:flat|apartment|apt|unit|room|maisonette)\.?\s*\w+\s+)?(?:\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?\s+)?",
    re.IGNORECASE)


def behaviour(code: str) -> dict[str, str]:
    """A behaviour as the API lists it: its stored code and the catalogue's words."""
    return {"code": code, "label": _LABELS.get(code, code.replace("_", " ").capitalize())}


def area(address: str | None) -> str | None:
    """The street or area of a place: its first line without a house or flat number
    ("Flat 3, 14 Orchard Close, Yeovil" -> "Orchard Close"); None once retention erased it."""
    if not address or address == ERASED:
        return None
    parts = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
    places = [p for p in parts if not _DWELLING.match(p)]
    if not places:
        return None
    return _HOME_NUMBER.sub("", places[0]).strip() or None


def listed_case(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A case as a list shows it: its summary with its behaviours and its place; the address
    it was read with is not passed on."""
    shown = {k: v for k, v in summary.items() if k not in DETAIL_FIELDS}
    targets = dict(summary.get("targets") or {})
    shown["pathway"] = targets.pop("pathway", "asb")  # the listing index's copy (case_items)
    if summary.get("targets") is not None:
        shown["targets"] = targets or None
    postcode = summary.get("postcode")
    shown["behaviours"] = [behaviour(str(code)) for code in summary.get("behaviours") or []]
    shown["place"] = {"postcode": postcode, "area": area(summary.get("location_address"))}
    return shown
