"""What the landlord's policy loaded decides for the sample reports, as JSON on stdout.

`python -m infra.policy_effect` (ASB_POLICY_FILE names a document; unset, the packaged seed
landlord's): each sample report - the intake events in events/ whose body is a report, and
infra/policy_samples/ - opened as a case and triaged by the real decision (asb.triage.service
`decide`; a good-neighbour request as triage routes it) at a fixed moment. asb.policy.config
reads its document once, at import: `make check-policy` (infra/check_policy.py) runs this once
per policy, each in its own interpreter, and sets the two side by side.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any
from urllib.parse import parse_qs

from asb.case.change import CaseFolder
from asb.case.good_neighbour import follow_up_due
from asb.intake.service import open_case, parse_submission
from asb.kernel.errors import InvalidReport
from asb.policy.config import LANDLORD, POLICY_VERSION
from asb.triage.service import decide
from asb.web.report_form import submission_from_form
from infra.local.template import ROOT

EVENTS = ROOT / "events"
SAMPLES = ROOT / "infra" / "policy_samples"
# A Wednesday morning in term time, no bank holiday near: every policy is shown at the same moment.
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Sample:
    name: str
    title: str
    report: dict[str, Any]
    officer_answers: dict[str, bool] = field(default_factory=dict)


def _event_report(event: dict[str, Any]) -> dict[str, Any] | None:
    """The report an intake event's body carries (JSON or the web form's fields), if any."""
    body = event.get("body") or ""
    content_type = {k.lower(): v for k, v in (event.get("headers") or {}).items()}.get("content-type", "")
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            report, _ = submission_from_form(parse_qs(body, keep_blank_values=True))
        elif content_type.startswith("application/json"):
            report = json.loads(body)
        else:
            return None
        parse_submission(report, NOW)
    except (ValueError, InvalidReport):
        return None  # an event of a refused report: not a sample
    return report if isinstance(report, dict) else None


def samples() -> list[Sample]:
    found = []
    for path in sorted(EVENTS.glob("intake-*.json")):
        report = _event_report(json.loads(path.read_text(encoding="utf-8")))
        if report is not None:
            found.append(Sample(f"events/{path.stem}", report["incident"]["description"], report))
    for path in sorted(SAMPLES.glob("*.json")):
        sample = json.loads(path.read_text(encoding="utf-8"))
        found.append(Sample(path.stem, sample["title"], sample["report"],
                            sample.get("officer_answers", {})))
    return found


def effect(sample: Sample) -> dict[str, Any]:
    """Pathway, category, risk, emergency and first-contact due date the policy gives it."""
    try:
        submission = parse_submission(sample.report, NOW)
    except InvalidReport as refused:
        return {"refused": "; ".join(f"{e.field}: {e.message}" for e in refused.errors)}
    ids = (f"sample-{n}" for n in count())
    opened = open_case(submission, "ASB-2026-000001", "api", NOW, lambda: next(ids))
    case = opened.case.model_copy(update={"officer_answers": sample.officer_answers})
    if case.pathway == "good_neighbour":  # triage offers the good-neighbour route, no case
        return {"pathway": case.pathway, "category": None, "risk": None, "emergency": False,
                "first_contact_due": follow_up_due(NOW).date().isoformat()}
    decision = decide(CaseFolder(case, [opened.report]), [], NOW)
    return {"pathway": case.pathway, "category": decision.category.category,
            "risk": f"{decision.risk.level} ({decision.risk.score})",
            "emergency": decision.emergency.emergency,
            "first_contact_due": decision.targets.first_contact_due.isoformat()}


def main() -> int:
    shown = {"landlord": LANDLORD, "version": POLICY_VERSION, "now": NOW.isoformat(),
             "samples": [{"name": s.name, "title": s.title, **effect(s)} for s in samples()]}
    json.dump(shown, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

