"""Properties of the domain models and decision functions, fuzzed with hypothesis.

What an ASB officer, a reporter and the data protection officer would insist on, whatever the
input: a report is accepted or refused field by field (never a crash); more harm never lowers
the triage; targets fall on working days after the report, across clock changes; the ASB Case
Review threshold counts complaints, not their order; retention never erases early nor under a
legal hold; equality figures never show a group of 1 to 4. Each test is bounded (a modest
number of examples, each with a deadline) so the file runs in seconds in `make test`.
(Minimisation's property lives in test_disclosures.py.)
"""

from __future__ import annotations

import copy
import json
import re
import typing
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from asb.case.categorise import CATEGORIES, categorise, emergency
from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus, Report
from asb.case.people import people_of
from asb.case.records import Measure
from asb.case.retention import RETENTION, retain_until
from asb.case.risk import answers_from_report, assess
from asb.case.submission import EqualityMonitoring, HarmAnswers, ReportSubmission
from asb.case.targets import emergency_consideration_due, end_of_day, local_day, no_activity_due, targets_for
from asb.case.tasks import ESCALATED, DueTask, TaskState
from asb.casework.commands import close, release_legal_hold, set_legal_hold
from asb.casework.models import ClosureIn
from asb.data_protection.rights import ErasureIn, erase
from asb.due_work.sweep import SWEPT_KINDS, action_for
from asb.dynamo.case_items import case_item
from asb.intake.service import fingerprint, new_report, open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidReport, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import (
    BEHAVIOUR_CATEGORY,
    BEHAVIOURS,
    CASE_REVIEW_QUALIFYING_COMPLAINTS,
    EMERGENCY_BEHAVIOURS,
    EMERGENCY_CONSIDERATION_DUE_HOUR,
    FIRST_REVIEW_DAYS,
    HATE_STRANDS,
    RETENTION_YEARS,
)
from asb.policy.working_days import add_working_days, is_working_day, on_or_after
from asb.reporting.equality import HIDDEN, SMALLEST_GROUP, aggregate
from asb.triage.case_review_threshold import Complaint, counts_on, made_in_time, qualifies, threshold
from asb.triage.service import decide, triaged_case
from asb.web.journey_pages import render_form
from asb.web.report_form import IDEMPOTENCY_FIELD, submission_from_form
from tests.conftest import sample_event

LONDON = ZoneInfo("Europe/London")
CLOCK = FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # a Wednesday
NOW = CLOCK.now()
VALID: dict[str, Any] = json.loads(sample_event("intake-valid-json")["body"])

# Bounded: a few dozen examples each, none slower than the deadline (a holiday calendar's first
# load included).
BOUNDED = settings(max_examples=60, deadline=timedelta(seconds=2),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings(BOUNDED, max_examples=250)

# Whatever landlord's policy is loaded (ASB_POLICY_FILE: tests/unit/test_second_landlord.py runs
# these properties under another): its categories, the most serious first.
SERIOUSNESS = {category: len(CATEGORIES) - n for n, category in enumerate(CATEGORIES)}
MOST_SERIOUS = CATEGORIES[0]
LEVELS = {"standard": 0, "medium": 1, "high": 2}

# English bank holidays as gov.uk publishes them: a check independent of the `holidays` library.
GOV_UK_BANK_HOLIDAYS = {date.fromisoformat(d) for d in (
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
    "2025-12-25", "2025-12-26",
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28",
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
    "2027-12-27", "2027-12-28",
)}


# ------------------------------------------------------------------ the report model

def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found:
            return found
    return None


def _model_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield prefix + name
        nested = _model_of(info.annotation)
        if nested:
            yield from _model_paths(nested, f"{prefix}{name}.")


MODEL_PATHS = frozenset(_model_paths(ReportSubmission))
FIELD_NAMES = sorted({p.rsplit(".", 1)[-1] for p in MODEL_PATHS})

# Values a report's fields take, right and nearly right, then anything at all.
INTERESTING_TEXT = st.sampled_from([
    "", " ", "x", "yes", "no", "true", "false", "on", "1", "0", "null", "{msg}", "{}", "\x00",
    "2026-11-01", "2026-11-25", "2026-11-26", "2026-02-30", "2026-13-01", "0001-01-01",
    "9999-12-31", "2026-11-22T23:40:00Z", "2026-11-22T23:40:00", "2026-11-25T09:00:01Z",
    "2026-11-25T23:30:00+05:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-23:59",
    "23:30", "25:00", "09:00+01:00", *BEHAVIOURS, *HATE_STRANDS, "email", "sms", "phone",
    "letter", "resident", "agency", "BA20 1AB", "ba201ab", "SW1A 1AA", "BA2O 1AB",
    "07700 900123", "+44 7700 900123", "0770", "a@b.c", "name@example.org", "@", "x" * 201,
    "x" * 2001, "Loud music and shouting every night.", "12 Orchard Close, Yeovil",
])
TEXT = INTERESTING_TEXT | st.text(max_size=40)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | TEXT
           | st.integers(min_value=-(10**30), max_value=10**30))
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=12)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=20,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_reports(draw: st.DrawFn) -> dict[str, Any]:
    """The valid sample with one to five fields replaced, deleted or added."""
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        path = draw(st.sampled_from(list(_paths(data))))
        target = _at(data, path)
        operation = draw(st.sampled_from(["replace", "delete", "add"]))
        if operation == "add" and isinstance(target, dict):
            target[draw(KEYS)] = draw(JSON_VALUES)
        elif operation == "add" and isinstance(target, list):
            target.append(draw(JSON_VALUES))
        elif not path:
            continue
        elif operation == "delete":
            del _at(data, path[:-1])[path[-1]]
        else:
            _at(data, path[:-1])[path[-1]] = draw(JSON_VALUES)
    return data


def _names_a_field(error: FieldError, data: Any) -> bool:
    """A field of the report model (list positions aside), or one the client itself sent."""
    if error.field == "body":  # the report as a whole, or a field with no name
        return not isinstance(data, dict) or "" in data
    sent = {".".join(str(p) for p in path) for path in _paths(data) if path}
    in_model = ".".join(p for p in error.field.split(".") if not p.isdigit())
    return error.field in sent or in_model in MODEL_PATHS


def _can_be_handled(submission: ReportSubmission) -> None:
    """What intake and triage do with an accepted report works, and it reads back the same."""
    ids = iter(f"id-{n}" for n in range(10))
    opened = open_case(submission, "ASB-2026-000001", "api", NOW, lambda: next(ids))
    file = CaseFolder(opened.case, [opened.report])
    decision = decide(file, [], NOW)
    triaged_case(file, opened.report, decision, NOW)
    people_of(submission)
    fingerprint(submission)
    stored = json.loads(submission.model_dump_json())
    assert ReportSubmission.model_validate(stored, context={"now": NOW}) == submission
    as_stored = opened.report.model_dump(mode="json", exclude_none=True)  # as report_items does
    assert Report.model_validate(as_stored) == opened.report


def _accepted_or_refused(data: Any) -> ReportSubmission | list[FieldError]:
    """The contract of parse_submission: a report, or InvalidReport naming each field -
    never another exception."""
    try:
        submission = parse_submission(copy.deepcopy(data), NOW)
    except InvalidReport as error:
        assert error.errors
        for field_error in error.errors:
            assert field_error.message.strip(), field_error
            assert _names_a_field(field_error, data), field_error
        return error.errors
    _can_be_handled(submission)
    return submission


@FUZZ
@given(JSON_VALUES | st.dictionaries(st.sampled_from(list(VALID)) | KEYS, JSON_VALUES))
def test_any_json_is_accepted_or_refused_field_by_field(data: Any) -> None:
    _accepted_or_refused(data)


@FUZZ
@given(mutated_reports())
def test_a_mutated_report_is_accepted_or_refused_field_by_field(data: dict[str, Any]) -> None:
    _accepted_or_refused(data)


FORM_NAMES = st.sampled_from(sorted(MODEL_PATHS | {IDEMPOTENCY_FIELD})) | st.text(max_size=20) \
    | st.builds(".".join, st.lists(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), max_size=4))


@FUZZ
@given(st.dictionaries(FORM_NAMES, st.lists(TEXT, min_size=1, max_size=3), max_size=12))
def test_any_form_post_is_accepted_or_refused_field_by_field(fields: dict[str, list[str]]
                                                               ) -> None:
    data, key = submission_from_form(fields)
    assert key is None or (key and key == key.strip())
    outcome = _accepted_or_refused(data)
    if isinstance(outcome, list):  # the form comes back with its errors, whatever was sent
        assert "</form>" in render_form(fields, outcome)


POSTCODE_SHAPED = st.from_regex(r"[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}", fullmatch=True)
PHONE_SHAPED = st.from_regex(r"\+?[\d ()-]{10,18}", fullmatch=True)


@BOUNDED
@given(POSTCODE_SHAPED, PHONE_SHAPED)
def test_an_accepted_postcode_or_phone_number_is_a_plain_uk_one(postcode: str,
                                                                 phone: str) -> None:
    data = copy.deepcopy(VALID)
    data["location"]["postcode"] = postcode
    data["reporter"]["phone"] = phone
    submission = _accepted_or_refused(data)
    if isinstance(submission, list):
        return
    assert submission.location.postcode is not None
    assert re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", submission.location.postcode,
                        flags=re.ASCII)
    assert submission.reporter and submission.reporter.phone
    digits = [c for c in submission.reporter.phone if c.isdigit()]
    assert set(digits) <= set("0123456789") and 10 <= len(digits) <= 15


def _moments_near(day: st.SearchStrategy[date]) -> st.SearchStrategy[datetime]:
    """London wall-clock moments on those days, biased to the edges of the day and of 17:00."""
    edges = st.sampled_from([time(0), time(0, 30), time(1, 30), time(16, 59, 59, 999999),
                             time(17), time(23, 0), time(23, 30), time(23, 59, 59),
                             time(23, 59, 59, 999999)])
    return st.builds(lambda d, t: datetime.combine(d, t, LONDON).astimezone(UTC),
                     day, edges | st.times())


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


# Days around the clock changes (the last Sunday of March and of October), and any day.
CLOCK_CHANGE_DAYS = st.builds(
    lambda year, month, shift: _last_sunday(year, month) + timedelta(days=shift),
    st.integers(min_value=2025, max_value=2030), st.sampled_from([3, 10]),
    st.integers(min_value=-2, max_value=2))
ANY_DAY = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
MOMENTS = _moments_near(CLOCK_CHANGE_DAYS | ANY_DAY)


def _last_day_of_month_beginning(day: date) -> date:
    """The day before the same day next month, or next month's last day if it has no such day."""
    year, month = (day.year, day.month + 1) if day.month < 12 else (day.year + 1, 1)
    try:
        return date(year, month, day.day) - timedelta(days=1)
    except ValueError:
        after = date(year + (month == 12), month % 12 + 1, 1)
        return after - timedelta(days=1)


@BOUNDED
@given(MOMENTS, st.integers(min_value=0, max_value=40))
def test_a_report_about_today_is_taken_whatever_the_hour(now: datetime, days_ago: int) -> None:
    """'Today' is the reporter's day in England, not UTC's; and a report made within the
    calendar month beginning with the incident qualifies for the ASB Case Review."""
    incident = local_day(now) - timedelta(days=days_ago)
    data = copy.deepcopy(VALID)
    data["incident"] = {**data["incident"], "first_occurred": incident.isoformat()}
    data["incident"].pop("last_occurred")
    submission = parse_submission(data, now)
    report = new_report(submission, "ASB-2026-000001", "api", now, "r1")
    complaint = Complaint(report.received_at, report.incident_on, ("threats",))
    assert qualifies(complaint) == (local_day(now) <= _last_day_of_month_beginning(incident))
    if days_ago <= 27:  # every month has at least 28 days
        assert qualifies(complaint)
    if days_ago >= 31:  # and none more than 31
        assert not qualifies(complaint)


@BOUNDED
@given(MOMENTS, st.integers(min_value=-6 * 60, max_value=12 * 60))
def test_an_incident_moment_in_the_past_makes_a_qualifying_complaint(now: datetime,
                                                                       minutes: int) -> None:
    """However the reporter writes the moment (any UTC offset), it is on or before the day the
    report arrives."""
    moment = (now - timedelta(minutes=abs(minutes))).astimezone(
        ZoneInfo("Asia/Tokyo") if minutes < 0 else UTC)
    data = copy.deepcopy(VALID)
    data["incident"] = {**data["incident"], "first_occurred": None,
                        "last_occurred": moment.isoformat()}
    submission = parse_submission(data, now)
    report = new_report(submission, "ASB-2026-000001", "api", now, "r1")
    assert report.incident_on == local_day(moment)
    assert made_in_time(Complaint(report.received_at, report.incident_on, ()))


# ------------------------------------------------------------------ risk, category, emergency

BEHAVIOUR_LISTS = st.lists(st.sampled_from(list(BEHAVIOURS)), min_size=1, max_size=5,
                           unique=True)
HARM_QUESTIONS = [name for name in HarmAnswers.model_fields if name != "targeted_for_identity"]
HARM = st.fixed_dictionaries({}, optional={
    **{name: st.none() | st.booleans() for name in HARM_QUESTIONS},
    "targeted_for_identity": st.lists(st.sampled_from(list(HATE_STRANDS)), unique=True),
})


def submission_with(behaviours: list[str], harm: dict[str, Any]) -> ReportSubmission:
    data = copy.deepcopy(VALID)
    data["incident"]["behaviours"] = behaviours
    data["harm"] = harm
    return parse_submission(data, NOW)


def triage_of(submission: ReportSubmission) -> tuple[int, int, bool]:
    """(category seriousness, risk level, emergency): higher is more urgent."""
    answers = answers_from_report(submission)
    risk = assess(answers)
    category = categorise(submission.incident.behaviours, submission.is_hate_incident, risk)
    urgent = emergency(submission.incident.behaviours, answers.get("threats_or_violence"), risk)
    return SERIOUSNESS[category.category], LEVELS[risk.level], urgent.emergency


def _no_less_urgent(worse: tuple[int, int, bool], base: tuple[int, int, bool]) -> bool:
    return worse[0] >= base[0] and worse[1] >= base[1] and worse[2] >= base[2]


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.sampled_from(list(BEHAVIOURS)))
def test_another_behaviour_never_lowers_category_risk_or_emergency(
        behaviours: list[str], harm: dict[str, Any], extra: str) -> None:
    base = triage_of(submission_with(behaviours, harm))
    worse = triage_of(submission_with(list(dict.fromkeys([*behaviours, extra])), harm))
    assert _no_less_urgent(worse, base)


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.sampled_from([*HARM_QUESTIONS, *HATE_STRANDS]))
def test_another_harm_indicator_never_lowers_category_risk_or_emergency(
        behaviours: list[str], harm: dict[str, Any], indicator: str) -> None:
    base = triage_of(submission_with(behaviours, harm))
    if indicator in HATE_STRANDS:
        strands = list(dict.fromkeys([*harm.get("targeted_for_identity", []), indicator]))
        more = {**harm, "targeted_for_identity": strands}
    else:
        more = {**harm, indicator: True}
    assert _no_less_urgent(triage_of(submission_with(behaviours, more)), base)


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.data())
def test_a_more_serious_behaviour_never_lowers_the_category(
        behaviours: list[str], harm: dict[str, Any], data: st.DataObject) -> None:
    replaced = data.draw(st.sampled_from(behaviours))
    graver = [b for b in BEHAVIOURS
              if SERIOUSNESS[BEHAVIOUR_CATEGORY[b]] > SERIOUSNESS[BEHAVIOUR_CATEGORY[replaced]]]
    if not graver:
        return
    replacement = data.draw(st.sampled_from(graver))
    changed = list(dict.fromkeys(replacement if b == replaced else b for b in behaviours))
    before = triage_of(submission_with(behaviours, harm))
    assert triage_of(submission_with(changed, harm))[0] >= before[0]


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.sampled_from(sorted(EMERGENCY_BEHAVIOURS)))
def test_violence_threats_or_harassment_is_an_emergency_in_category_a(
        behaviours: list[str], harm: dict[str, Any], named: str) -> None:
    category, _, urgent = triage_of(submission_with([*behaviours, named]
                                                    if named not in behaviours else behaviours,
                                                    harm))
    assert urgent and category == SERIOUSNESS[MOST_SERIOUS]


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.sampled_from(list(HATE_STRANDS)))
def test_a_hate_incident_is_category_a_however_it_is_flagged(
        behaviours: list[str], harm: dict[str, Any], strand: str) -> None:
    """The landlord lists hate crime in A: the behaviour or the "targeted for who you are"
    answer alone makes it so."""
    targeted = {**harm, "targeted_for_identity": [strand]}
    assert triage_of(submission_with(behaviours, targeted))[0] == SERIOUSNESS[MOST_SERIOUS]
    named = list(dict.fromkeys([*behaviours, "hate"]))
    assert triage_of(submission_with(named, harm))[0] == SERIOUSNESS[MOST_SERIOUS]


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, st.randoms(use_true_random=False))
def test_triage_is_deterministic_and_ignores_the_order_of_behaviours(
        behaviours: list[str], harm: dict[str, Any], random: Any) -> None:
    submission = submission_with(behaviours, harm)
    shuffled = list(behaviours)
    random.shuffle(shuffled)
    assert triage_of(submission) == triage_of(submission) == \
        triage_of(submission_with(shuffled, harm))
    ids = iter(f"id-{n}" for n in range(10))
    opened = open_case(submission, "ASB-2026-000001", "api", NOW, lambda: next(ids))
    file = CaseFolder(opened.case, [opened.report])
    assert decide(file, [], NOW) == decide(file, [], NOW)


@BOUNDED
@given(BEHAVIOUR_LISTS, HARM, BEHAVIOUR_LISTS, HARM, st.integers(min_value=1, max_value=60 * 24 * 30))
def test_a_further_report_never_lowers_the_case_nor_puts_back_a_promised_date(
        behaviours: list[str], harm: dict[str, Any], more_behaviours: list[str],
        more_harm: dict[str, Any], minutes_later: int) -> None:
    ids = iter(f"id-{n}" for n in range(20))
    first = submission_with(behaviours, harm)
    opened = open_case(first, "ASB-2026-000001", "api", NOW, lambda: next(ids))
    file = CaseFolder(opened.case, [opened.report])
    decision = decide(file, [], NOW)
    before = triaged_case(file, opened.report, decision, NOW)

    later = NOW + timedelta(minutes=minutes_later)
    report = new_report(submission_with(more_behaviours, more_harm), before.reference, "api",
                        later, "r2")
    tasks = {t.kind: TaskState(True, t.due_at) for t in decision.new_tasks}
    again = CaseFolder(before, [opened.report, report], tasks)
    redecided = decide(again, [], later)
    after = triaged_case(again, report, redecided, later)

    assert before.category and after.category and before.risk and after.risk
    assert SERIOUSNESS[after.category] >= SERIOUSNESS[before.category]
    assert LEVELS[after.risk["level"]] >= LEVELS[before.risk["level"]]
    assert after.emergency >= before.emergency
    assert before.targets and after.targets
    assert all(after.targets[k] <= before.targets[k] for k in before.targets)
    assert all(t.due_at < tasks[t.kind].due_at for t in redecided.moved_tasks)


# ------------------------------------------------------------------ working days and targets

@BOUNDED
@given(st.dates(min_value=date(2024, 12, 1), max_value=date(2027, 11, 30)),
       st.integers(min_value=1, max_value=25), st.integers(min_value=0, max_value=25))
def test_working_days_skip_weekends_and_bank_holidays_and_only_move_on(
        start: date, days: int, more: int) -> None:
    due = add_working_days(start, days)
    assert due > start
    assert due.weekday() < 5 and due not in GOV_UK_BANK_HOLIDAYS and is_working_day(due)
    assert add_working_days(start, days + more) >= due
    assert add_working_days(start, days + 1) > due
    assert add_working_days(due, more) == add_working_days(start, days + more)
    assert add_working_days(start, 0) == start
    # Exactly `days` working days after start, up to and including the due date.
    span = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(is_working_day(d) for d in span) == days


@BOUNDED
@given(ANY_DAY)
def test_on_or_after_is_the_next_working_day(day: date) -> None:
    found = on_or_after(day)
    assert found >= day and is_working_day(found)
    assert not any(is_working_day(day + timedelta(days=n)) for n in range((found - day).days))


@BOUNDED
@given(MOMENTS, st.sampled_from(CATEGORIES), st.sampled_from(list(LEVELS)))
def test_targets_fall_on_working_days_after_the_report_and_more_harm_brings_them_forward(
        opened_at: datetime, category: Any, risk: Any) -> None:
    targets = targets_for(category, risk, opened_at)
    opened = local_day(opened_at)
    assert opened == opened_at.astimezone(LONDON).date()
    for day in (targets.first_contact_due, targets.next_contact_due, targets.review_due):
        assert is_working_day(day) and day > opened
        assert end_of_day(day) > opened_at
    assert targets.next_contact_due > targets.first_contact_due
    assert targets.review_due >= opened + timedelta(days=FIRST_REVIEW_DAYS[risk])
    # Only the London day counts, not the hour.
    assert targets == targets_for(category, risk, datetime.combine(opened, time(12), LONDON))
    for graver in (c for c in CATEGORIES if SERIOUSNESS[c] > SERIOUSNESS[category]):
        assert targets_for(graver, risk, opened_at).first_contact_due <= targets.first_contact_due
    for higher in (r for r in LEVELS if LEVELS[r] > LEVELS[risk]):
        sooner = targets_for(category, higher, opened_at)
        assert sooner.next_contact_due <= targets.next_contact_due
        assert sooner.review_due <= targets.review_due


@BOUNDED
@given(CLOCK_CHANGE_DAYS | ANY_DAY)
def test_the_end_of_a_working_day_is_17_00_in_london_across_clock_changes(day: date) -> None:
    local = end_of_day(day).astimezone(LONDON)
    assert (local.date(), local.time()) == (day, time(17))
    assert end_of_day(day).utcoffset() == timedelta(0)


@BOUNDED
@given(MOMENTS)
def test_emergency_legal_action_is_due_the_same_london_day_never_before_it_is_raised(
        now: datetime) -> None:
    due = emergency_consideration_due(now)
    assert due >= now
    assert local_day(due) == local_day(now)
    if now.astimezone(LONDON).time() < time(EMERGENCY_CONSIDERATION_DUE_HOUR):
        assert due.astimezone(LONDON).time() == time(EMERGENCY_CONSIDERATION_DUE_HOUR)
    assert no_activity_due(now) > now


EVERY = st.none() | st.integers(min_value=1, max_value=20)


@BOUNDED
@given(st.sampled_from(SWEPT_KINDS), MOMENTS, MOMENTS, EVERY)
def test_the_sweep_acts_once_per_due_task_and_the_next_update_is_later(
        kind: str, due_at: datetime, as_of: datetime, every: int | None) -> None:
    task = DueTask("ASB-2026-000001", kind, due_at, "o.hughes", "yeovil", every)
    action = action_for(task, as_of)
    # The event's id is the task's, not the sweep's: a second sweep cannot act again.
    assert action.event.event_id == action_for(task, as_of + timedelta(hours=1)).event.event_id
    assert action.event.event_id != action_for(
        DueTask("ASB-2026-000002", kind, due_at), as_of).event.event_id
    if kind == "CUSTOMER_CONTACT":
        assert action.next_kind == kind and action.next_due_at > as_of
        assert is_working_day(local_day(action.next_due_at))
    else:
        assert (action.next_kind, action.next_due_at) == (kind + ESCALATED, due_at)


# ------------------------------------------------------------------ the ASB Case Review threshold

@st.composite
def complaints(draw: st.DrawFn) -> Complaint:
    received = NOW - timedelta(minutes=draw(st.integers(min_value=0, max_value=250 * 24 * 60)))
    gap = draw(st.none() | st.integers(min_value=-3, max_value=40))
    incident = None if gap is None else local_day(received) - timedelta(days=gap)
    behaviours = draw(st.lists(st.sampled_from(list(BEHAVIOURS)), max_size=3, unique=True))
    return Complaint(received, incident, tuple(behaviours), draw(st.booleans()))


COMPLAINT_LISTS = st.lists(complaints(), max_size=12)
NUISANCES = [b for b in BEHAVIOURS if not qualifies(Complaint(NOW, None, (b,)))]


@BOUNDED
@given(COMPLAINT_LISTS, COMPLAINT_LISTS, st.randoms(use_true_random=False))
def test_the_threshold_counts_complaints_not_their_order_and_more_never_unmeets_it(
        counted: list[Complaint], more: list[Complaint], random: Any) -> None:
    decision = threshold(counted, local_day(NOW))
    shuffled = list(counted)
    random.shuffle(shuffled)
    assert threshold(shuffled, local_day(NOW)) == decision
    with_more = threshold([*counted, *more], local_day(NOW))
    assert with_more.met >= decision.met
    assert with_more.qualifying_complaints >= decision.qualifying_complaints


@BOUNDED
@given(COMPLAINT_LISTS, st.lists(st.sampled_from(NUISANCES), min_size=1, unique=True),
       st.integers(min_value=0, max_value=20))
def test_a_complaint_of_nuisance_alone_never_changes_the_threshold(
        counted: list[Complaint], nuisances: list[str], days_ago: int) -> None:
    """s105: behaviour causing harassment, alarm or distress; nuisance alone does not qualify."""
    nuisance = Complaint(NOW - timedelta(days=days_ago), None, tuple(nuisances))
    assert threshold([*counted, nuisance], local_day(NOW)) == threshold(counted, local_day(NOW))


def _six_months_before(day: date) -> date:
    month = day.month - 6 + (12 if day.month <= 6 else 0)
    year = day.year - (1 if day.month <= 6 else 0)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


@BOUNDED
@given(MOMENTS, st.lists(st.tuples(st.integers(min_value=0, max_value=200), st.times()),
                         min_size=3, max_size=3),
       st.lists(st.sampled_from([b for b in BEHAVIOURS if b not in NUISANCES]), min_size=3,
                max_size=3))
def test_three_complaints_in_six_months_always_meet_the_threshold(
        now: datetime, when: list[tuple[int, time]], behaviours: list[str]) -> None:
    """The statutory threshold: a local one may be lower, never higher. Each complaint, by
    anyone, is made the day of its incident, on a day in the six months up to today."""
    today = local_day(now)
    start = _six_months_before(today)
    mine = []
    for days_ago, at in when:
        day = max(today - timedelta(days=days_ago), start + timedelta(days=1))
        received = min(datetime.combine(day, at, LONDON).astimezone(UTC), now)
        mine.append(Complaint(received, local_day(received), (behaviours[len(mine)],)))
    assert CASE_REVIEW_QUALIFYING_COMPLAINTS <= 3
    assert threshold(mine, today).met
    assert all(counts_on(c, today) for c in mine)


# ------------------------------------------------------------------ retention and legal holds

MEASURES = st.lists(st.fixed_dictionaries({
    "legal": st.booleans(),
    "status": st.sampled_from(["considered", "applied", "granted", "refused", "breached",
                               "expired", "completed", "withdrawn"]),
}, optional={"expires_on": st.dates().map(date.isoformat)}), max_size=4)


def _years_on(day: date, years: int) -> date:
    """The anniversary; 29 February's is 28 February (as test_retention pins)."""
    if (day.month, day.day) == (2, 29):
        return date(day.year + years, 2, 28)
    return day.replace(year=day.year + years)


@BOUNDED
@given(_moments_near(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))),
       MEASURES)
def test_a_closed_case_is_kept_at_least_six_years_from_closure_and_from_its_orders(
        closed_at: datetime, measures: list[dict[str, Any]]) -> None:
    kept = retain_until(closed_at, measures)
    assert kept >= _years_on(local_day(closed_at), RETENTION_YEARS)
    for order in measures:
        if order["legal"] and order["status"] in ("granted", "breached"):
            if order.get("expires_on") and date.fromisoformat(order["expires_on"]).year < 8994:
                assert kept >= _years_on(date.fromisoformat(order["expires_on"]),
                                         RETENTION_YEARS)
            else:  # no end date (or none a calendar can hold): kept until one is recorded
                assert kept.year >= 8994


DPO = StaffMember("d.p.officer", frozenset({"dpo"}), None)


def _order(record_id: str, facts: dict[str, Any], at: datetime) -> Measure:
    return Measure(record_id=record_id, at=at, measure="injunction", name="order",
                   legal=facts["legal"], rationale="Proportionate to the harm caused.",
                   status=facts["status"], approval="approved", by="o.hughes", recorded_at=at,
                   expires_on=facts.get("expires_on"))


def _open_case(opened_at: datetime) -> Case:
    return Case(reference="ASB-2026-000001", status=CaseStatus.OPEN, opened_at=opened_at,
                updated_at=opened_at, anonymous=False, behaviours=["noise"],
                hate_incident=False, location_address="12 Orchard Close, Yeovil",
                postcode="BA20 1AB", category="B")


@BOUNDED
@given(_moments_near(st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))),
       MEASURES.map(lambda ms: [m for m in ms if m["status"] not in ("considered", "applied")]),
       st.booleans(), st.integers(min_value=0, max_value=10 * 365))
def test_erasure_is_never_due_before_retention_ends_nor_ever_under_a_legal_hold(
        closed_at: datetime, measures: list[dict[str, Any]], hold: bool,
        days_later: int) -> None:
    ids = iter(f"id-{n}" for n in range(10))
    folder = CaseFolder(_open_case(closed_at - timedelta(days=30)), [],
                        measures={f"m{n}": _order(f"m{n}", m, closed_at)
                                  for n, m in enumerate(measures)})
    closed = close(folder, ClosureIn(outcome="resolved", reasons="The behaviour has stopped."),
                   DPO, closed_at, lambda: next(ids)).case
    later = closed_at + timedelta(days=days_later)
    if hold:
        closed = set_legal_hold(CaseFolder(closed, []), "Litigation about the landlord.", DPO,
                                later, lambda: next(ids)).case
    item = case_item(closed)
    if hold:
        assert item.get("due_kind") != RETENTION
        with pytest.raises(RuleBroken):
            erase(CaseFolder(closed, []), ErasureIn(report_id="0" * 36, reason="Asked to erase."),
                  DPO, later, lambda: next(ids))
        # Released, the case is back on the retention sweep's list, on the same date.
        released = release_legal_hold(CaseFolder(closed, []), "The claim has settled.", DPO,
                                      later, lambda: next(ids)).case
        item = case_item(released)
    assert item["due_kind"] == RETENTION
    due = datetime.fromisoformat(item["due_at"])
    assert local_day(due) >= _years_on(local_day(closed_at), RETENTION_YEARS)


# ------------------------------------------------------------------ equality monitoring

ANSWERS = {name: typing.get_args(typing.get_args(info.annotation)[0])
           for name, info in EqualityMonitoring.model_fields.items()}
MONITORING_ROWS = st.lists(st.fixed_dictionaries({}, optional={
    # A few answers each, so that groups of every size turn up.
    name: st.sampled_from([*values[:3], None]) for name, values in ANSWERS.items()}),
    max_size=60)


@BOUNDED
@given(MONITORING_ROWS)
def test_no_group_of_one_to_four_is_shown_or_can_be_worked_out(rows: list[dict[str, Any]]
                                                                ) -> None:
    published = aggregate(rows)
    total = published["respondents"]
    assert total == HIDDEN or total == 0 or total >= SMALLEST_GROUP
    assert total == HIDDEN or total == len(rows)
    for counts in published["characteristics"].values():
        shown = [n for n in counts.values() if n != HIDDEN]
        assert all(isinstance(n, int) and n >= SMALLEST_GROUP for n in shown)
        if total == HIDDEN:
            assert not shown
            continue
        hidden = total - sum(shown)
        if HIDDEN in counts.values():
            # What the total gives away about the hidden groups is never a small number.
            assert hidden >= SMALLEST_GROUP
        else:
            assert hidden == 0  # the groups add up to the total


# ------------------------------------------------------------------ regressions (the findings)

def test_regression_a_report_at_half_past_midnight_in_summer_may_say_it_happened_today() -> None:
    now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    data = copy.deepcopy(VALID)
    data["incident"] = {**data["incident"], "first_occurred": "2026-07-02"}
    data["incident"].pop("last_occurred")
    assert parse_submission(data, now).incident.first_occurred == date(2026, 7, 2)
    data["incident"]["first_occurred"] = "2026-07-03"
    with pytest.raises(InvalidReport):
        parse_submission(data, now)


def test_regression_a_hate_incident_reported_just_after_midnight_meets_the_threshold() -> None:
    now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    data = copy.deepcopy(VALID)
    data["incident"] = {**data["incident"], "first_occurred": None,
                        "last_occurred": "2026-07-02T00:10:00+01:00"}
    data["harm"]["targeted_for_identity"] = ["race"]
    report = new_report(parse_submission(data, now), "ASB-2026-000001", "api", now, "r1")
    assert report.incident_on == date(2026, 7, 2)
    complaint = Complaint(report.received_at, report.incident_on,
                          tuple(report.submission.incident.behaviours), report.hate_incident)
    assert threshold([complaint], local_day(now)).met


def test_regression_a_complaint_on_the_first_day_of_the_six_months_counts() -> None:
    now = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    first_day = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # 183 days and 7 hours earlier
    mine = [Complaint(at, local_day(at), ("threats",))
            for at in (first_day, now - timedelta(days=9), now)]
    assert counts_on(mine[0], local_day(now))
    assert threshold(mine, local_day(now)).met


def test_regression_an_order_without_end_entered_as_9999_12_31_keeps_the_case() -> None:
    order = {"legal": True, "status": "granted", "expires_on": "9999-12-31"}
    closed = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert retain_until(closed, [order]) == retain_until(closed, [{**order, "expires_on": None}])


def test_regression_retention_counts_from_the_london_day_of_closure() -> None:
    closed = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    assert retain_until(closed, []) == date(2026 + RETENTION_YEARS, 7, 2)


def test_regression_emergency_action_raised_in_the_last_second_is_not_already_late() -> None:
    now = datetime(2026, 11, 25, 23, 59, 59, 500000, tzinfo=UTC)
    due = emergency_consideration_due(now)
    assert due >= now and local_day(due) == date(2026, 11, 25)


def test_regression_a_date_or_moment_error_names_the_field_once_in_plain_words() -> None:
    data = copy.deepcopy(VALID)
    data["incident"]["last_occurred"] = "last Tuesday"
    with pytest.raises(InvalidReport) as refused:
        parse_submission(data, NOW)
    assert [e.field for e in refused.value.errors] == ["incident.last_occurred"]
    assert "2026-11-01" in refused.value.errors[0].message


def test_regression_postcodes_and_phone_numbers_take_plain_digits_only() -> None:
    data = copy.deepcopy(VALID)
    data["location"]["postcode"] = "BA\u0662\u0660 \u0661AB"  # Arabic-Indic digits
    with pytest.raises(InvalidReport):
        parse_submission(data, NOW)
    data = copy.deepcopy(VALID)
    data["reporter"]["phone"] = "\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663"
    with pytest.raises(InvalidReport):
        parse_submission(data, NOW)


def test_regression_a_reporter_who_gives_a_phone_and_no_preference_can_be_read_back() -> None:
    data = copy.deepcopy(VALID)
    del data["reporter"]["email"], data["reporter"]["preferred_contact"]
    report = new_report(parse_submission(data, NOW), "ASB-2026-000001", "web_form", NOW, "r1")
    assert report.submission.reporter and report.submission.reporter.preferred_contact is None
    stored = report.model_dump(mode="json", exclude_none=True)  # as report_items stores it
    assert Report.model_validate(stored) == report
    data["reporter"]["preferred_contact"] = "email"  # a choice made is still checked
    with pytest.raises(InvalidReport):
        parse_submission(data, NOW)


def test_regression_two_small_groups_are_not_given_away_by_the_total() -> None:
    rows = [{"sex": "female"}] * 10 + [{"sex": "male"}] + [{"sex": "prefer not to say"}]
    sexes = aggregate(rows)["characteristics"]["sex"]
    assert sexes == {"female": HIDDEN, "male": HIDDEN, "prefer not to say": HIDDEN}
    assert aggregate(rows)["respondents"] == 12
