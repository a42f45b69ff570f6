"""Human case references: ASB-<year>-<6 digits>, sequential within the year."""

from __future__ import annotations

import re

from asb.policy.config import REFERENCE_DIGITS, REFERENCE_PREFIX

_PATTERN = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d{{{REFERENCE_DIGITS}}})$")


def case_reference(year: int, sequence: int) -> str:
    if not 0 < sequence < 10**REFERENCE_DIGITS:
        raise ValueError(f"sequence {sequence} does not fit {REFERENCE_DIGITS} digits")
    return f"{REFERENCE_PREFIX}-{year}-{sequence:0{REFERENCE_DIGITS}d}"


def is_case_reference(text: str) -> bool:
    return bool(_PATTERN.match(text))
