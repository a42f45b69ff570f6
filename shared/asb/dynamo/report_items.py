"""Reports as stored items: sealed on the way in, opened on the way out (sealing.py), in one
place for every store that reads or writes them."""

from __future__ import annotations

from typing import Any

from asb.case.models import Report
from asb.case.submission import STORED
from asb.dynamo import keys
from asb.dynamo.sealing import Sealer, seal_report, unseal_report


def report_item(report: Report, sealer: Sealer) -> dict[str, Any]:
    """The item to store. Equality monitoring is never part of it (intake stores it apart)."""
    stored = report.model_dump(mode="json", exclude_none=True)
    stored["submission"].pop("monitoring", None)
    return seal_report({**keys.report_key(report.case_reference, report.received_at,
                                          report.report_id), keys.ENTITY: "Report", **stored},
                       sealer)


def opened(item: dict[str, Any], sealer: Sealer) -> dict[str, Any]:
    """A stored item as staff see it: a report opened, anything else as it is."""
    return unseal_report(item, sealer) if item.get(keys.ENTITY) == "Report" else item


def report_from_item(item: dict[str, Any], sealer: Sealer) -> Report:
    plain = unseal_report(item, sealer)
    return Report.model_validate({k: v for k, v in plain.items() if k in Report.model_fields},
                                 context=STORED)
