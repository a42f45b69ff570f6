"""Readers of a record that retention has erased in place: each record is built as
asb.retention.erase_plan leaves it (free text overwritten), and each reader must still count
or show what is knowable instead of raising."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from asb.case.models import Case, CaseStatus
from asb.case.records import CaseReview, ReviewAppeal, ReviewStep, ThresholdDecision
from asb.case.retention import ERASED, StoredCase, StoredRecord, erase_plan
from asb.case_review.process import statistics
from asb.partners.messages import acknowledged, requested, sent
from asb.partners.models import PartnerAcknowledgement, PartnerRequest
from asb.reporting.regulator import FROM_REGISTER, HomesOwned, figures
from infra.local.partners import SEEDS
from tests.conftest import sample_event

AS_OF = datetime(2032, 11, 26, 2, 0, tzinfo=UTC)
REFERENCE = "ASB-2026-000042"
DECIDED = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
POLICE = {**SEEDS["avon-somerset-police"], "partner_id": "avon-somerset-police"}


def closed_case() -> Case:
    return Case.model_validate({
        "reference": REFERENCE, "status": CaseStatus.CLOSED, "anonymous": False,
        "opened_at": datetime(2026, 11, 2, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 25, tzinfo=UTC), "behaviours": ["noise"],
        "hate_incident": False, "location_address": "12 Orchard Close, Yeovil",
        "category": "B", "closed_at": datetime(2026, 11, 25, tzinfo=UTC),
        "retain_until": date(2032, 11, 25)})


def as_retention_leaves(item: dict[str, Any], entity: str) -> dict[str, Any]:
    """The stored item after anonymising: erase_plan's overwrite and removals applied to it,
    its `filled` worked out as the retention store does (the attributes holding something)."""
    record = StoredRecord(f"{entity.upper()}#1", entity, frozenset(k for k, v in item.items() if v))
    plan = erase_plan(StoredCase(closed_case(), (), (record,)), AS_OF, "audit-1")
    erased = dict(item)
    for erasure in plan.items:
        erased.update(erasure.overwrite)
        for name in erasure.remove:
            erased.pop(name, None)
    return erased


def appealed_review(against: str = "threshold not met") -> dict[str, Any]:
    """A review appealed against its threshold decision, as the process stores it."""
    history = [ReviewStep.model_validate({"from": "applied", "to": against, "by": "m.khan",
                                          "at": DECIDED}),
               ReviewStep.model_validate({"from": against, "to": "appealed", "by": "m.khan",
                                          "at": datetime(2026, 11, 20, 9, 0, tzinfo=UTC)})]
    review = CaseReview(
        record_id="cr1", at=DECIDED, review_id="cr1", status="appealed",
        received_on=date(2026, 11, 3), applicant="Alex Morgan", report_id="r1",
        summary="Nothing has changed.", by="o.hughes", history=history,
        reporting_year=2026, year_on=date(2026, 11, 3),
        threshold=ThresholdDecision(met=False, reasons="One report only.", by="m.khan",
                                    on=date(2026, 11, 10)),
        appeal=ReviewAppeal(received_on=date(2026, 11, 20), grounds="Alex says it goes on.",
                            against=against))
    return {**review.as_stored(), "case_reference": REFERENCE}


def test_an_erased_appeal_against_threshold_not_met_still_counts_as_not_met() -> None:
    erased = as_retention_leaves(appealed_review(), "CaseReview")
    assert erased["appeal"] == ERASED and erased["summary"] == ERASED
    counted = statistics([erased], True)
    assert counted == statistics([appealed_review()], True)
    assert counted["threshold_not_met"] == 1


def test_an_erased_appeal_against_an_outcome_is_not_counted_as_not_met() -> None:
    erased = as_retention_leaves(appealed_review(against="completed"), "CaseReview")
    assert statistics([erased], True)["threshold_not_met"] == 0


def test_the_regulators_figures_count_an_erased_review_of_the_year() -> None:
    erased = as_retention_leaves(appealed_review(), "CaseReview")
    result = figures([], homes=HomesOwned(2000, FROM_REGISTER), starting=2026,
                     case_reviews=[erased], case_review_lead_body=True)
    assert result.case_reviews["applications"] == 1
    assert result.case_reviews["threshold_not_met"] == 1


def police_request(status: str) -> dict[str, Any]:
    """The police's signed-off request as the service records it, moved on to `status` with
    the package it approved."""
    data = json.loads(sample_event("partner_inbound-police-request")["Records"][0]["body"])
    case = {"reference": data["case_reference"], "officer": "o.hughes", "team": "yeovil"}
    step = requested(case, POLICE, PartnerRequest.model_validate(data), DECIDED)
    recorded = step.records[0].data
    assert recorded["status"] == "requested" and recorded["signed_off_by"]
    return {**recorded, "status": status,
            "package": {"data_categories": ["perpetrator_name"], "perpetrators": ["J. Doe"]}}


def test_an_acknowledgement_of_an_erased_disclosure_is_logged_without_the_signatory() -> None:
    erased = as_retention_leaves(police_request("sent"), "Disclosure")
    assert erased["signed_off_by"] == ERASED and erased["package"] == ERASED
    data = json.loads(sample_event("partner_inbound-acknowledgement")["Records"][0]["body"])
    ack = PartnerAcknowledgement.model_validate({**data, "partner_id": "avon-somerset-police"})
    step = acknowledged(erased, ack, AS_OF)
    assert step is not None
    record, log_line = step.records
    assert record.data["status"] == "acknowledged"
    assert log_line.data["requesting_officer"] == ERASED


def test_sending_a_package_erased_since_its_approval_logs_no_data_categories() -> None:
    erased = as_retention_leaves(police_request("approved"), "Disclosure")
    record, log_line = sent(erased, "police-queue", AS_OF).records
    assert record.data["status"] == "sent"
    assert log_line.data["data_disclosed"] is None
    assert log_line.data["requesting_officer"] == ERASED
    assert sent(police_request("approved"), "police-queue", AS_OF).records[1].data[
        "data_disclosed"] == ["perpetrator_name"]
