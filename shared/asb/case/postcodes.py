"""The UK postcode rule, in one place and without pydantic: the report form and intake (through
asb.case.submission) and the homes import read it."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def normalised_postcode(value: str) -> str | None:
    """'ba201ab' -> 'BA20 1AB'; None for anything that is not a full UK postcode."""
    match = _POSTCODE.match(re.sub(r"\s+", "", value.upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None
