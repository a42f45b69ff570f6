"""Equality monitoring in aggregate (Equality Act 2010): counts per answer for a reporting year,
with every group under 5 hidden - and more, while the total less the groups shown would give
away the hidden ones together as fewer than 5."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from asb.case.submission import EqualityMonitoring

SMALLEST_GROUP = 5
HIDDEN = "fewer than 5"
NOT_ANSWERED = "not answered"


def _suppressed(counts: Counter[str]) -> dict[str, int | str]:
    small = {k for k, n in counts.items() if n < SMALLEST_GROUP}
    # The total less the groups shown gives the hidden groups together: while that is itself
    # under 5 (one hidden group, or two of 1 and 2), hide the next smallest too.
    while small and sum(counts[k] for k in small) < SMALLEST_GROUP and len(small) < len(counts):
        small.add(min(sorted(k for k in counts if k not in small), key=lambda k: counts[k]))
    return {k: (HIDDEN if k in small else n) for k, n in sorted(counts.items())}


def aggregate(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    answered = list(rows)
    characteristics = {}
    for name in EqualityMonitoring.model_fields:
        counts = Counter(str(row.get(name) or NOT_ANSWERED) for row in answered)
        characteristics[name] = _suppressed(counts) if answered else {}
    total: int | str = len(answered) if len(answered) >= SMALLEST_GROUP or not answered \
        else HIDDEN
    return {"respondents": total, "characteristics": characteristics}
