"""The rules of splitting a report out and joining two cases (asb.casework.regrouping), and
NM01's count of a joined case (asb.reporting.regulator)."""

from __future__ import annotations

import dataclasses
from itertools import count
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.models import CaseStatus
from asb.case.parties import NO_COMPLAINANT_LEFT, Party, PartyStatus, Role, Unlinking
from asb.case.tasks import FIRST_CONTACT, TaskState
from asb.casework.models import JoinIn, SplitIn
from asb.casework.regrouping import join_cases, split_report
from asb.dynamo.case_items import case_item
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.reporting.regulator import HomesOwned, figures
from tests.unit.test_reporters_own_part import LATER, case, low_priority, report, serious

OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "east")
SPLIT = SplitIn(report_id="report-2", reason="A different flat: not the same matter")
OTHER = "ASB-2026-000200"


def _ids() -> Any:
    numbers = count(1)
    return lambda: f"id-{next(numbers)}"


def _folder(**changes: Any) -> CaseFolder:
    return CaseFolder(case(report_count=2, triaged_report_ids=["report-1", "report-2"],
                           **changes), [serious(), low_priority()])


def test_a_split_out_report_opens_a_new_case_triaged_like_a_new_report() -> None:
    regrouping = split_report(_folder(), SPLIT, OFFICER, LATER, "ASB-2026-000300", _ids())
    old, new = (c.case for c in regrouping.changes)
    assert (old.report_count, old.triaged_report_ids) == (1, ["report-1"])
    assert new.status == CaseStatus.NEW and new.split_from == old.reference
    assert new.opened_at == LATER and new.matter_keys == [] and new.triaged_report_ids == []
    assert new.behaviours == ["rubbish_and_fly_tipping"]  # its own report's, nobody else's
    [moved] = regrouping.reports
    assert (moved.case_reference, moved.public_reference) == ("ASB-2026-000300",
                                                             "ASB-2026-000122")
    [received] = regrouping.changes[1].events
    assert received.type == "ReportReceived" and received.detail["report_id"] == "report-2"
    assert regrouping.changes[0].audit.after == {
        "report_id": "report-2", "reference": "ASB-2026-000122", "to": "ASB-2026-000300",
        "reason": SPLIT.reason}
    assert "reason" not in str(regrouping.changes[0].events[0].detail)  # no free text in events


def test_a_split_takes_the_reporters_own_plan_off_the_old_case() -> None:
    folder = _folder(complainant_plans={"report-2": {"version": 2}})
    old = split_report(folder, SPLIT, OFFICER, LATER, "ASB-2026-000300", _ids()).changes[0]
    assert old.case.complainant_plans == {}


def test_the_report_that_opened_the_case_stays() -> None:
    with pytest.raises(RuleBroken, match="stays"):
        split_report(_folder(), SplitIn(report_id="report-1", reason="The first one, please"),
                     OFFICER, LATER, "ASB-2026-000300")


def test_the_lead_complainants_report_stays() -> None:
    folder = _folder(action_plan={"agreed_with": "report-2", "version": 1})
    with pytest.raises(RuleBroken, match="stays"):
        split_report(folder, SPLIT, OFFICER, LATER, "ASB-2026-000300")


def _complainant(report_id: str, unlinked: bool = False) -> Party:
    return Party(party_id=f"party-{report_id}", case_reference="ASB-2026-000121",
                 person_id=f"p-{report_id}", roles=(Role.COMPLAINANT,),
                 status=PartyStatus.CONFIRMED, report_id=report_id, added_at=LATER,
                 added_by="reporter:api",
                 unlinked=Unlinking(reason="Not a complainant after all", by="o.hughes",
                                    at=LATER) if unlinked else None)


def test_a_split_never_leaves_the_case_without_a_complainant() -> None:
    """The opening report's complainant was unlinked: the joining reporter is the case's only
    complainant, and their party would go with their report."""
    first, second = _complainant("report-1", unlinked=True), _complainant("report-2")
    folder = dataclasses.replace(_folder(), parties={p.party_id: p for p in (first, second)})
    with pytest.raises(RuleBroken) as refused:
        split_report(folder, SPLIT, OFFICER, LATER, "ASB-2026-000300")
    assert refused.value.message == NO_COMPLAINANT_LEFT
    still = dataclasses.replace(folder, parties={
        p.party_id: p for p in (_complainant("report-1"), second)})
    assert split_report(still, SPLIT, OFFICER, LATER, "ASB-2026-000300").to == "ASB-2026-000300"


def test_an_unknown_report_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidChange) as refused:
        split_report(_folder(), SplitIn(report_id="report-9", reason="Not on this case"),
                     OFFICER, LATER, "ASB-2026-000300")
    assert refused.value.errors[0].field == "report_id"


def test_a_closed_case_is_neither_split_nor_joined() -> None:
    closed = _folder(status=CaseStatus.CLOSED)
    with pytest.raises(RuleBroken, match="closed"):
        split_report(closed, SPLIT, OFFICER, LATER, "ASB-2026-000300")
    with pytest.raises(RuleBroken, match="closed"):
        join_cases(_folder(), _second(status=CaseStatus.CLOSED), _join(), OFFICER, LATER)


def _join() -> JoinIn:
    return JoinIn(case_reference=OTHER, case_version=1, reason="The same household: one matter")


def _second(**changes: Any) -> CaseFolder:
    other = report("report-3", "Jo Neighbour", ["noise"])
    other = other.model_copy(update={"case_reference": OTHER, "reference": OTHER})
    party = Party(party_id="party-3", case_reference=OTHER, person_id="p-3",
                  roles=(Role.COMPLAINANT,), status=PartyStatus.CONFIRMED, report_id="report-3",
                  added_at=LATER, added_by="reporter:api")
    return CaseFolder(case(reference=OTHER, behaviours=["noise"], hate_incident=False,
                           triaged_report_ids=["report-3"], matter_keys=["TENANCY#T-1"],
                           action_plan={"agreed_with": "report-3", "version": 1}, **changes),
                      [other], tasks={FIRST_CONTACT: TaskState(True, None)},
                      parties={"party-3": party})


def test_a_joined_case_closes_into_the_first_which_gains_its_reports_and_plans() -> None:
    regrouping = join_cases(_folder(), _second(), _join(), OFFICER, LATER, _ids())
    ended, grew = regrouping.changes
    assert ended.case.status == CaseStatus.CLOSED and ended.case.joined_into == case().reference
    assert ended.case.targets and ended.case.targets["joined_into"] == case().reference
    assert [t.outcome for t in ended.tasks] == ["joined into another case"]
    assert grew.case.report_count == 3 and grew.case.joined_from == [OTHER]
    assert grew.case.triaged_report_ids == ["report-1", "report-2", "report-3"]
    assert "noise" in grew.case.behaviours and "TENANCY#T-1" in grew.case.matter_keys
    assert grew.case.complainant_plans == {"report-3": {"agreed_with": "report-3",
                                                        "version": 1}}
    assert regrouping.all_parties and regrouping.matter_keys == ("TENANCY#T-1",)
    assert [r.case_reference for r in regrouping.reports] == [case().reference]
    assert [r.public_reference for r in regrouping.reports] == [OTHER]  # the reporter's own
    assert [e.type for e in (*ended.events, *grew.events)] == ["CaseJoinedInto", "CasesJoined"]
    assert ended.audit.after and ended.audit.after["reason"] == _join().reason


def test_a_case_is_not_joined_into_itself_nor_one_with_tools_and_powers() -> None:
    with pytest.raises(InvalidChange):
        join_cases(_folder(), _folder(), _join(), OFFICER, LATER)
    with_measure = _second()
    with_measure.measures["m-1"] = None  # type: ignore[assignment]
    with pytest.raises(RuleBroken, match="other way round"):
        join_cases(_folder(), with_measure, _join(), OFFICER, LATER)


def test_nm01_counts_a_joined_case_once_and_a_split_out_case_as_new() -> None:
    first, second = _folder(), _second()
    regrouping = join_cases(first, second, _join(), OFFICER, LATER, _ids())
    items = [case_item(c.case) for c in regrouping.changes]
    # As the listing index projects them: no joined_into, only the targets.
    projected = [{k: i[k] for k in ("opened_at", "targets", "hate_incident") if k in i}
                 for i in items]
    assert figures(projected, HomesOwned(1000, "test"), 2026).cases_opened == 1
    split = split_report(_folder(), SPLIT, OFFICER, LATER, "ASB-2026-000300", _ids())
    assert figures([case_item(c.case) for c in split.changes], HomesOwned(1000, "test"),
                   2026).cases_opened == 2


class _PlainSealer:
    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        return plain

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        return sealed


class _NoCalls:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"DynamoDB was called ({name}): nothing should be written")


def test_a_split_of_more_than_a_transaction_holds_is_refused_whole_in_words() -> None:
    from asb.casework.regrouping_store import DynamoDBRegroupingStore

    regrouping = split_report(_folder(), SPLIT, OFFICER, LATER, "ASB-2026-000300", _ids())
    diary = [{"pk": f"CASE#{case().reference}", "sk": f"DIARY#{n:03d}", "entity": "DiaryEntry",
              "record_id": f"d-{n}", "report_id": "report-2", "text": "Music again"}
             for n in range(50)]
    store = DynamoDBRegroupingStore(_NoCalls(), "cases", _PlainSealer())  # type: ignore[arg-type]
    with pytest.raises(RuleBroken, match="at most 100"):
        store.commit(regrouping, diary)
