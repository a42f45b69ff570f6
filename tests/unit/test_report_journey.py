"""The report form as question pages (issue 19): which page comes next, each page checked on its
own, what is skipped, going back, changing an answer from the check page, and what the check
page finally sends to POST /reports. The pages are read as a browser reads them: the inputs of
the form a button is in, and that button's own name and value."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from asb.intake.service import parse_submission
from asb.web.body import form_fields
from asb.web.journey_pages import render_form, render_journey
from asb.web.report_form import submission_from_form
from asb.web.report_journey import (
    CHECK,
    CHECK_SECTIONS,
    HELP,
    START,
    STEPS,
    JourneyPage,
    after_refusal,
    respond,
)
from tests.conftest import sample_event
from tests.fakes import FakeHomesRegister
from tests.landlords_homes import (
    ELM_ROW,
    FLAT_3,
    FLAT_4,
    HOMES,
    NUMBER_12,
    NUMBER_14,
    NUMBER_16,
    NUMBER_18,
    TENANCIES,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
Fields = dict[str, list[str]]


class Forms(HTMLParser):
    """Each form of a page: its action, its inputs' values as a browser would send them, and
    its buttons (id -> name, value, formaction)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": [], "buttons": {}})
        elif tag == "input" and self.forms and "name" in a:
            sent = a.get("type") not in ("checkbox", "radio") or "checked" in a
            if sent:
                self.forms[-1]["fields"].append((a["name"], a.get("value", "")))  # type: ignore[union-attr]
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"][a.get("id", "")] = a  # type: ignore[index]


def press(page: str, button: str, answers: Fields | None = None) -> tuple[str, Fields]:
    """Presses the button with that id, with these answers typed in or ticked on the page:
    where the post goes, and what it carries."""
    for form in Forms(page).forms:
        buttons: dict[str, dict[str, str]] = form["buttons"]  # type: ignore[assignment]
        if button in buttons:
            fields: Fields = {}
            for name, value in form["fields"]:  # type: ignore[attr-defined]
                if name not in (answers or {}):
                    fields.setdefault(name, []).append(value)
            fields.update(answers or {})
            pressed = buttons[button]
            if pressed.get("name"):
                fields.setdefault(pressed["name"], []).append(pressed.get("value", ""))
            return pressed.get("formaction") or str(form["action"]), fields
    raise AssertionError(f"no button #{button} on the page")


def post(page: str, button: str, answers: Fields | None = None) -> JourneyPage:
    action, fields = press(page, button, answers)
    assert action == "./"
    return respond(fields, NOW, REGISTER.homes_at)


def shown(page: JourneyPage) -> str:
    return render_journey(page)


SAMPLE = form_fields(sample_event("intake-form-encoded")["body"])
REGISTER = FakeHomesRegister(HOMES, TENANCIES)
# The sample's place and the home of the person doing it, chosen from the landlord's homes.
PICKED = {"location.uprn": [FLAT_3.uprn], "perpetrator.uprn": [FLAT_4.uprn]}


def sample_answers(step: str) -> Fields:
    """The sample form post's answers to one page's questions (blank ones left out)."""
    own = next(s for s in STEPS if s.name == step)
    return {name: values for name, values in SAMPLE.items()
            if own.asks(name) and any(v for v in values)}


def walk(answers_for: dict[str, Fields]) -> tuple[list[str], str]:
    """From the start page, continues from page to page, answering each as `answers_for` says:
    the pages seen, and the check page's HTML."""
    seen = []
    next_page = post(shown(JourneyPage(START, {"idempotency_key": ["k-1"]})), "start")
    while next_page.name != CHECK:
        assert not next_page.errors, (next_page.name, next_page.errors)
        seen.append(next_page.name)
        html = shown(next_page)
        next_page = post(html, "continue", answers_for.get(next_page.name, {}))
        assert len(seen) < 20
    return seen, shown(next_page)


NAMED = {**{step.name: sample_answers(step.name) for step in STEPS},
         "where-home": {"location.uprn": [FLAT_3.uprn]},
         "their-home": {"perpetrator.uprn": [FLAT_4.uprn]}}


def sent(check_page: str) -> Fields:
    action, fields = press(check_page, "submit")
    assert action == "reports"
    return fields


def test_a_named_reporter_is_asked_every_page_once_and_sends_what_the_one_page_form_sent() -> None:
    seen, check = walk(NAMED)
    assert seen == ["what", "details", "when", "where", "where-home", "who", "about-them",
                    "their-home", "harm", "you", "about-you", "contact", "safe-contact",
                    "adjustments", "sharing"]
    posted = sent(check)
    assert not set(posted) & {"page", "go", "change", "checking", "answered"}
    assert all(name == "idempotency_key" or any(s.asks(name) or name in s.sets for s in STEPS)
               for name in posted)
    # The addresses are the register's words for the homes chosen: the sample's, as typed.
    expected = parse_submission(submission_from_form({**SAMPLE, **PICKED})[0], NOW)
    assert parse_submission(submission_from_form(posted)[0], NOW) == expected
    assert posted["idempotency_key"] == ["k-1"]


def test_an_anonymous_reporter_is_not_asked_about_themselves() -> None:
    answers = {**NAMED, "you": {"anonymous": ["yes"]}, "who": {"perpetrator.known": ["no"]}}
    seen, check = walk(answers)
    assert seen == ["what", "details", "when", "where", "where-home", "who", "harm", "you",
                    "sharing"]
    posted = sent(check)
    assert not [name for name in posted if name.startswith(("reporter.", "perpetrator.name"))]
    assert parse_submission(submission_from_form(posted)[0], NOW).anonymous


def test_each_page_is_checked_on_its_own_and_comes_back_with_its_answers() -> None:
    details = JourneyPage("details", {"idempotency_key": ["k-1"], "incident.behaviours": ["noise"]})
    refused = post(shown(details), "continue", {"incident.description": ["Too short"]})
    assert refused.name == "details"
    assert [(e.field, e.message) for e in refused.errors] == [
        ("incident.description",
         "Tell us a little more about what happened (at least 10 characters)")]
    page = shown(refused)
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert '<a href="#incident-description-field">Tell us a little more' in page
    assert ">Too short</textarea>" in page
    # the questions of later pages (where, who, your name) are not this page's problem
    assert refused.answers["incident.behaviours"] == ["noise"]


@pytest.mark.parametrize(("boxes", "says"), [
    ({"incident.first_occurred.day": ["20"], "incident.first_occurred.year": ["2026"]},
     "The date it started must include a month"),
    ({"incident.first_occurred.day": ["1"], "incident.first_occurred.month": ["1"],
      "incident.first_occurred.year": ["2027"]}, "The date must be today or in the past"),
    ({"incident.first_occurred.day": ["2"], "incident.first_occurred.month": ["11"],
      "incident.first_occurred.year": ["2026"], "incident.last_occurred.day": ["1"],
      "incident.last_occurred.month": ["11"], "incident.last_occurred.year": ["2026"]},
     "The last time must be on or after the first time"),
])
def test_the_dates_page_names_the_box_or_the_order_that_is_wrong(boxes: Fields, says: str) -> None:
    so_far = {**sample_answers("what"), **sample_answers("details")}
    refused = post(shown(JourneyPage("when", so_far)), "continue", boxes)
    assert refused.name == "when"
    assert [e.message for e in refused.errors] == [says]


def test_a_preferred_way_marked_unsafe_is_refused_on_the_page_that_marks_it() -> None:
    answers = {**sample_answers("about-you"), "reporter.email": ["sam@example.org"],
               "reporter.preferred_contact": ["email"]}
    refused = post(shown(JourneyPage("safe-contact", answers)), "continue",
                   {"reporter.unsafe_channels": ["email"]})
    assert [(e.field, e.message) for e in refused.errors] == [
        ("reporter.unsafe_channels", "The way you prefer to be contacted is also marked as unsafe")]
    assert 'href="#reporter-unsafe_channels-field"' in shown(refused)


def test_the_you_page_needs_an_answer() -> None:
    refused = post(shown(JourneyPage("you", {})), "continue")
    assert [(e.field, e.message) for e in refused.errors] == [
        ("anonymous", "Choose whether to tell us who you are")]


def test_back_goes_to_the_page_before_with_every_answer_kept() -> None:
    answers = {"idempotency_key": ["k-1"], "incident.behaviours": ["noise"],
               "location.address": ["7 Willow Court"], "anonymous": ["yes"]}
    back = post(shown(JourneyPage("sharing", answers)), "back")
    assert (back.name, back.answers) == ("you", answers)  # harm's page is before "you"
    back = post(shown(back), "back")
    assert back.name == "harm"
    assert post(shown(JourneyPage("what", answers)), "back").name == START
    assert "id=\"back\"" not in shown(JourneyPage(START, answers))


def test_not_knowing_who_skips_their_details_and_drops_any_given() -> None:
    answers = {**PICKED, "location.postcode": ["ba21 5aa"], "perpetrator.known": ["yes"],
               "perpetrator.name": ["Jo Bloggs"], "perpetrator.postcode": ["ba21 5aa"]}
    page = post(shown(JourneyPage("who", answers)), "continue", {"perpetrator.known": ["no"]})
    assert page.name == "harm"
    assert not [name for name in page.answers if name.startswith("perpetrator.")
                and name != "perpetrator.known"]


def check_page(answers: dict[str, Fields]) -> str:
    return walk(answers)[1]


def test_change_on_the_check_page_opens_the_page_and_continue_comes_back() -> None:
    check = check_page(NAMED)
    assert "Flat 3, Mill House, Station Road, Yeovil" in check
    page = post(check, "change-location-uprn")
    assert (page.name, page.checking) == ("where-home", True)
    page = post(shown(page), "continue", {"location.uprn": ["not_listed"]})
    assert page.name == "where-address"  # newly asked, then back to the check page
    again = post(shown(page), "continue", {"location.address": ["2 Mill Lane, Yeovil"]})
    assert again.name == CHECK
    check = shown(again)
    assert "2 Mill Lane, Yeovil" in check and "Flat 3, Mill House" not in check
    assert post(shown(post(check, "change-location-postcode")), "back").name == CHECK
    assert post(check, "back").name == "sharing"  # from the check page, the last question


def test_changing_to_give_a_name_asks_the_questions_about_you_then_comes_back() -> None:
    check = check_page({**NAMED, "you": {"anonymous": ["yes"]}})
    page = post(check, "change-anonymous")
    seen = []
    while page.name != CHECK:
        seen.append(page.name)
        page = post(shown(page), "continue", {**NAMED, "you": {"anonymous": ["no"]}}[page.name])
    assert seen == ["you", "about-you", "contact", "safe-contact", "adjustments"]
    posted = sent(shown(page))
    assert parse_submission(submission_from_form(posted)[0], NOW).reporter


def test_a_refused_report_opens_the_first_page_with_a_problem_then_the_next() -> None:
    fields = {**SAMPLE, **PICKED, "location.uprn": ["not_listed"], "location.address": [""],
              "reporter.email": ["not an email"]}
    from asb.kernel.errors import InvalidReport

    with pytest.raises(InvalidReport) as refused:
        parse_submission(submission_from_form(fields)[0], NOW)
    page = after_refusal(fields, refused.value.errors)
    assert (page.name, [e.field for e in page.errors]) == ("where-address", ["location.address"])
    assert 'name="refused" value="contact"' in shown(page)  # the page's name, not the answer
    assert "not an email" not in re.sub(r'name="reporter.email" value="[^"]*"', "", shown(page))
    page = post(shown(page), "continue", {"location.address": ["Flat 3, Mill House, Yeovil"]})
    assert (page.name, [e.field for e in page.errors]) == ("contact", ["reporter.email"])
    assert "There is a problem" in shown(page)  # opened with its errors, to put right
    page = post(shown(page), "continue", {"reporter.email": ["priya@example.net"]})
    assert (page.name, page.errors) == (CHECK, ())


def test_back_from_a_refused_change_shows_the_check_page_with_its_problem() -> None:
    page = post(check_page(NAMED), "change-reporter-email")
    refused = post(shown(page), "continue", {"reporter.email": ["sam@@example"]})
    assert refused.name == "contact" and refused.errors
    back = post(shown(refused), "back")
    assert back.name == CHECK
    assert [e.field for e in back.errors] == ["reporter.email"]
    check = shown(back)
    assert "<title>Error: Check your answers" in check
    assert '<a href="#reporter-email-field">Enter an email address' in check
    assert 'id="reporter-email-field"' in check


def test_a_year_too_long_for_a_date_is_refused_on_the_check_page_naming_it() -> None:
    answers = {**SAMPLE, **PICKED, "incident.first_occurred.year": ["9" * 20]}
    page = respond({**answers, "page": [CHECK], "go": ["back"]}, NOW, REGISTER.homes_at)
    assert page.name == "sharing"
    check = respond({**answers, "page": ["sharing"], "go": ["continue"]}, NOW, REGISTER.homes_at)
    assert check.name == CHECK
    assert [(e.field, e.message) for e in check.errors] == [
        ("incident.first_occurred", "The date it started: the year must have 4 numbers, like 2026")]
    assert "9" * 20 in shown(check)  # as typed, not as a date


@pytest.mark.parametrize("part", ["day", "month"])
def test_a_day_or_month_of_more_than_2_numbers_is_refused_naming_the_box(part: str) -> None:
    boxes = {"incident.first_occurred.day": ["1"], "incident.first_occurred.month": ["1"],
             "incident.first_occurred.year": ["2026"], f"incident.first_occurred.{part}": ["9" * 20]}
    refused = post(shown(JourneyPage("when", {})), "continue", boxes)
    assert [e.message for e in refused.errors] == [
        f"The date it started: the {part} must have 1 or 2 numbers, like 27 3 2026"]


def test_the_date_boxes_take_2_2_and_4_numbers() -> None:
    page = shown(JourneyPage("when", {}))
    assert re.findall(r'name="incident.first_occurred.(\w+)"[^>]*maxlength="(\d)"', page) == [
        ("day", "2"), ("month", "2"), ("year", "4")]


def test_each_page_says_to_use_its_back_link_not_the_browsers() -> None:
    assert "not your\nbrowser's back button" in shown(JourneyPage(START, {}))
    page = shown(JourneyPage("details", {}))
    assert re.search(r'id="back">Back</button>\s*(?:\{#.*?#\}\s*)?<p class="back-hint"[^>]*>'
                     r"To go back, use this Back link, not your browser's back button", page)


def test_a_page_asking_one_question_is_titled_with_it() -> None:
    for step in STEPS:
        page = shown(JourneyPage(step.name, {}))
        heading = re.search(r"<h1[^>]*>(?:<label[^>]*>)?([^<]+)<", page)
        assert heading, step.name
        assert f"<title>{heading.group(1)} \N{EN DASH} Report" in page, step.name


def test_a_report_not_saved_comes_back_as_the_check_page_with_its_key() -> None:
    page = render_form(SAMPLE, not_saved="We could not save your report just now.")
    assert "Your report has not been sent yet" in page and "Check your answers" in page
    assert 'value="0d4c1e52-93f5-4a0e-8a8b-6c3d2e1f0a9b"' in page
    assert sent(page)["incident.description"] == SAMPLE["incident.description"]


def test_a_post_with_fields_no_question_asks_carries_none_of_them() -> None:
    page = respond({"page": ["what"], "incident.behaviours": ["noise"], "step": ["x"],
                    "reporter": ["x"], "idempotency_key": ["k"]}, NOW)
    assert set(page.answers) == {"incident.behaviours", "idempotency_key"}


def questions_as_asked() -> dict[str, str]:
    """Each question's group id -> its label or legend, as each page shows it."""
    found = {}
    for step in STEPS:
        page = shown(JourneyPage(step.name, {}))
        for match in re.finditer(r'id="([\w-]+)-field">\s*(?:<fieldset[^>]*>\s*)?'
                                 r'(?:<legend>)?(?:<h1[^>]*>)?<?(?:label[^>]*>)?([^<]+)</', page):
            found[match.group(1)] = match.group(2)
    return found


REQUIRED = {"anonymous", "reporter-relationship", "reporter-name", "location-address",
            "incident-behaviours", "incident-description", "location-uprn", "perpetrator-uprn",
            "address_to_check"}


def test_every_optional_question_says_so_and_no_required_one_does() -> None:
    """GOV.UK marks the optional questions, not the required ones (issue 19)."""
    questions = questions_as_asked()
    assert len(questions) == sum(len(step.questions) for step in STEPS)
    for field, label in questions.items():
        assert label.strip().endswith("(optional)") == (field not in REQUIRED), (field, label)


def test_each_thing_is_asked_once_and_every_answer_of_the_old_form_is_asked() -> None:
    names = [name for step in STEPS for q in step.questions for name in q.names]
    assert len(names) == len(set(names))
    asked = {name for name in SAMPLE if name != "idempotency_key"}
    assert all(any(step.asks(name) for step in STEPS) for name in asked)
    pages = "".join(shown(JourneyPage(step.name, {})) for step in STEPS)
    assert pages.lower().count("large print") == 1
    assert "We write to you in English" in pages
    assert '<option value="Welsh">Cymraeg (Welsh)</option>' in pages


# ---------------------------------------------------------------- "None of these" (issue 19)
HARMS = next(q for s in STEPS for q in s.questions if q.field == "harm").options
HARM_PAGE = JourneyPage("harm", {"idempotency_key": ["k-1"], **sample_answers("what")})


def stored_harm(answers: dict[str, Fields]) -> dict[str, object]:
    """The harm answers of the report the check page sends, as intake stores them."""
    report = parse_submission(submission_from_form(sent(check_page(answers)))[0], NOW)
    return report.harm.model_dump()


def test_none_of_these_sends_an_explicit_no_to_every_harm() -> None:
    harm = stored_harm({**NAMED, "harm": {"harm.none": ["yes"]}})
    assert {name: harm[name.removeprefix("harm.")] for name in HARMS} == dict.fromkeys(HARMS, False)


def test_a_harm_page_left_blank_is_not_answered_not_a_no() -> None:
    harm = stored_harm({**NAMED, "harm": {}})
    assert {harm[name.removeprefix("harm.")] for name in HARMS} == {None}


def test_none_of_these_ticked_with_a_harm_is_refused_naming_the_question() -> None:
    refused = post(shown(HARM_PAGE), "continue",
                   {"harm.threats_or_violence": ["yes"], "harm.none": ["yes"]})
    assert (refused.name, [(e.field, e.message) for e in refused.errors]) == (
        "harm", [("harm.none", "Select the harms that apply, or select 'None of these'")])
    page = shown(refused)
    assert ('<a href="#harm-field">Select the harms that apply, or select &#39;None of these&#39;'
            in page)
    ticked = [name for name, _ in Forms(page).forms[-1]["fields"]  # type: ignore[attr-defined]
              if name.startswith("harm")]
    assert ticked == ["harm.threats_or_violence", "harm.none"]  # as the reporter left them


def test_the_harm_page_offers_none_of_these_last_after_or_and_shows_it_chosen() -> None:
    page = shown(HARM_PAGE)
    assert re.search(r'>or</div>\s*<div class="choice">\s*<input type="checkbox" id="harm-none" '
                     r'name="harm.none" value="yes">\s*<label for="harm-none">None of these<',
                     page)
    chose_none = post(page, "continue", {"harm.none": ["yes"]})
    assert chose_none.answers["harm.feels_unsafe"] == ["no"] and "harm.none" not in chose_none.answers
    back = post(shown(chose_none), "back")
    assert back.name == "harm" and 'name="harm.none" value="yes" checked' in shown(back)


def test_a_harm_ticked_after_none_of_these_leaves_the_others_unanswered() -> None:
    chose_none = post(shown(HARM_PAGE), "continue", {"harm.none": ["yes"]})
    again = post(shown(JourneyPage("harm", chose_none.answers)), "continue",
                 {"harm.children_affected": ["yes"]})
    assert {name: again.answers.get(name) for name in HARMS} == {
        **dict.fromkeys(HARMS), "harm.children_affected": ["yes"]}


def test_a_refused_none_of_these_left_by_back_keeps_the_harm_ticked() -> None:
    refused = post(shown(HARM_PAGE), "continue",
                   {"harm.feels_unsafe": ["yes"], "harm.none": ["yes"]})
    back = post(shown(refused), "back")
    assert back.answers["harm.feels_unsafe"] == ["yes"] and "harm.none" not in back.answers
    assert "harm.affects_health" not in back.answers


def test_the_risk_score_is_the_same_for_the_same_ticked_harms() -> None:
    """"None of these" and a blank page both score nothing; a harm ticked scores the same
    whether the rest are "no" (the one-page form's sample) or unanswered (a tick list)."""
    from asb.case.risk import answers_from_report, assess

    def score(harm_answers: Fields) -> int:
        posted = sent(check_page({**NAMED, "harm": harm_answers}))
        return assess(answers_from_report(
            parse_submission(submission_from_form(posted)[0], NOW))).score

    assert score({"harm.none": ["yes"]}) == score({})
    ticked = {name: ["yes"] for name, values in sample_answers("harm").items()
              if values == ["yes"]}
    assert score(ticked) == score(sample_answers("harm")) > score({})


# ---------------------------------------------------------------- "Check your answers"
def test_the_check_page_is_a_summary_list_by_section_each_change_naming_its_answer() -> None:
    check = check_page(NAMED)
    headings = re.findall(r'<h2 class="summary-heading">([^<]+)</h2>', check)
    assert headings == [title for title, _ in CHECK_SECTIONS]
    changes = re.findall(r'id="change-([\w-]+)">Change<span class="visually-hidden"> ([^<]+)<',
                         check)
    assert ("location-uprn", "address") in changes  # the home chosen, in the register's words
    assert ("harm", "what is true for you") in changes
    assert ("adjustments", "adjustments") in changes  # a page with nothing given: one row
    assert len({hidden for _, hidden in changes}) == len(changes)  # each says which answer
    page = post(check, "change-incident-last_occurred")
    assert (page.name, page.checking) == ("when", True)


def test_each_page_is_in_one_section_of_the_check_page() -> None:
    listed = [name for _, names in CHECK_SECTIONS for name in names]
    assert sorted(listed) == sorted(step.name for step in STEPS)
    assert all(q.key for step in STEPS for q in step.questions)


def test_the_check_page_shows_each_answer_once_and_a_no_is_not_a_harm() -> None:
    description = " ".join(f"Night {n}: loud music until 3am." for n in range(150))  # ~5,000
    check = check_page({**NAMED, "details": {"incident.description": [description]}})
    visible = re.sub(r'<input type="hidden"[^>]*>', "", check)
    assert visible.count(description) == 1
    shown_harms = re.search(r'id="harm-field">.*?</dd>', visible, re.S)
    assert shown_harms and "Children are affected" not in shown_harms.group(0)  # answered "no"
    assert "This has happened before" in shown_harms.group(0)
    none = check_page({**NAMED, "harm": {"harm.none": ["yes"]}})
    assert re.search(r'id="harm-field">.*?>None of these</dd>', none, re.S)


# ---------------------------------------------------------------- the landlord's homes (issue 21)
def where(postcode: str) -> JourneyPage:
    so_far = {"idempotency_key": ["k-1"], **sample_answers("what"), **sample_answers("details")}
    return post(shown(JourneyPage("where", so_far)), "continue", {"location.postcode": [postcode]})


def radios(page: str, name: str) -> list[tuple[str, str]]:
    """The choices a list of homes offers: each radio's value and label, in order."""
    return re.findall(rf'name="{re.escape(name)}" value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)<',
                      page)


def test_the_place_is_chosen_from_the_landlords_homes_at_its_postcode() -> None:
    listed = where("ba20 1ab")
    assert (listed.name, listed.homes) == ("where-home", (NUMBER_12, NUMBER_14, NUMBER_16))
    page = shown(listed)
    # Ours only (number 18 was sold), then "or" and "It is not listed" (GOV.UK's address lookup)
    assert radios(page, "location.uprn") == [
        (NUMBER_12.uprn, NUMBER_12.address), (NUMBER_14.uprn, NUMBER_14.address),
        (NUMBER_16.uprn, NUMBER_16.address), ("not_listed", "It is not listed")]
    assert "Our homes at ba20 1ab" in page and ">or</div>" in page
    chosen = post(page, "continue", {"location.uprn": [NUMBER_14.uprn]})
    assert chosen.name == "who"  # no address to type: the register's words are carried
    assert chosen.answers["location.address"] == [NUMBER_14.address]
    assert f'name="location.address" value="{NUMBER_14.address}"' in shown(chosen)


def test_a_home_must_be_chosen_and_one_not_listed_at_the_postcode_is_refused() -> None:
    page = shown(where("BA20 1AB"))
    assert [(e.field, e.message) for e in post(page, "continue").errors] == [
        ("location.uprn", "Choose the address, or 'It is not listed'")]
    refused = post(page, "continue", {"location.uprn": [ELM_ROW.uprn]})  # a home in Taunton
    assert (refused.name, [e.message for e in refused.errors]) == (
        "where-home", ["Choose an address from the list, or 'It is not listed'"])
    assert refused.homes == (NUMBER_12, NUMBER_14, NUMBER_16)  # listed again
    assert "location.address" not in refused.answers


def test_not_listed_asks_the_address_in_words_and_no_homes_says_so() -> None:
    page = post(shown(where("BA20 1AB")), "continue", {"location.uprn": ["not_listed"]})
    assert page.name == "where-address"
    nowhere = where("TA9 9ZZ")
    assert (nowhere.name, nowhere.homes) == ("where-home", ())
    html = shown(nowhere)
    assert "We have no homes at TA9 9ZZ" in html
    assert radios(html, "location.uprn") == [("not_listed", "It is not listed")]
    assert 'value="not_listed" checked' in html  # the only choice, already chosen
    assert post(html, "continue").name == "where-address"
    without = where("")  # a park: no postcode, so no list
    assert without.name == "where-address"


def test_changing_the_postcode_from_the_check_page_asks_for_the_home_again() -> None:
    page = post(check_page(NAMED), "change-location-postcode")
    page = post(shown(page), "continue", {"location.postcode": ["BA20 1AB"]})
    assert (page.name, page.homes) == ("where-home", (NUMBER_12, NUMBER_14, NUMBER_16))
    page = post(shown(page), "continue", {"location.uprn": [NUMBER_12.uprn]})
    assert page.name == CHECK
    assert NUMBER_12.address in shown(page)
    assert sent(shown(page))["location.uprn"] == [NUMBER_12.uprn]


def test_their_home_is_chosen_from_the_list_at_their_postcode() -> None:
    page = post(shown(JourneyPage("about-them", {"perpetrator.known": ["yes"]})), "continue",
                {"perpetrator.postcode": ["ba21 5aa"]})
    assert (page.name, page.homes) == ("their-home", (FLAT_3, FLAT_4))
    page = post(shown(page), "continue", {"perpetrator.uprn": [FLAT_4.uprn]})
    assert page.answers["perpetrator.address"] == [FLAT_4.address]
    not_listed = post(shown(JourneyPage("their-home", {
        "perpetrator.known": ["yes"], "perpetrator.postcode": ["ba21 5aa"]})), "continue",
        {"perpetrator.uprn": ["not_listed"]})
    assert not_listed.name == "their-address"


def neither_listed() -> dict[str, Fields]:
    return {**NAMED, "where-home": {"location.uprn": ["not_listed"]},
            "their-home": {"perpetrator.uprn": ["not_listed"]}}


def test_when_no_home_was_found_the_reporter_is_asked_if_either_lives_in_one_of_ours() -> None:
    seen, check = walk({**neither_listed(), "whose-homes": {"address_to_check": ["yes"]}})
    assert seen[3:10] == ["where", "where-home", "where-address", "who", "about-them",
                          "their-home", "their-address"]
    assert seen[10] == "whose-homes"
    report = parse_submission(submission_from_form(sent(check))[0], NOW)
    assert report.address_to_check  # sent, flagged for an officer to check the address
    assert report.location.uprn is None and report.perpetrator.uprn is None
    assert "whose-homes" not in walk(NAMED)[0]  # a home of ours was chosen: not asked


def test_neither_home_ours_ends_at_who_can_help_and_nothing_is_sent() -> None:
    answers = neither_listed()
    page = post(shown(JourneyPage(START, {"idempotency_key": ["k-1"]})), "start")
    while page.name != "whose-homes":
        page = post(shown(page), "continue", answers.get(page.name, {}))
    helped = post(shown(page), "continue", {"address_to_check": ["no"]})
    assert helped.name == HELP
    html = shown(helped)
    assert "We cannot take this report, but others can help" in html
    for words in ("call 999", "call 101", "local council", "0300 123 4567",
                  "https://www.gov.uk/find-local-council"):
        assert words in html
    buttons = [form["buttons"] for form in Forms(html).forms]
    assert buttons == [{"back": buttons[0]["back"]}]  # only Back: no way on to send it
    assert post(html, "back").name == "whose-homes"
    forced = respond({**helped.answers, "page": [CHECK], "go": ["back"]}, NOW)
    assert forced.name == "sharing"
    to_check = respond({**helped.answers, "page": ["sharing"], "go": ["continue"]}, NOW)
    assert to_check.name == HELP  # the check page is never opened to send it


def test_choosing_one_of_our_homes_after_saying_no_drops_the_no() -> None:
    answers = {**SAMPLE, **PICKED, "location.uprn": ["not_listed"],
               "perpetrator.uprn": ["not_listed"], "address_to_check": ["no"]}
    page = respond({**answers, "page": ["their-home"], "go": ["continue"],
                    "perpetrator.uprn": [FLAT_4.uprn]}, NOW, REGISTER.homes_at)
    assert page.name == "harm" and "address_to_check" not in page.answers


def test_a_sold_home_is_not_listed_and_a_home_pick_is_carried_not_typed() -> None:
    assert NUMBER_18 not in where("BA20 1AB").homes
    page = shown(JourneyPage("where-home", {"location.postcode": ["BA20 1AB"]},
                             homes=(NUMBER_12,)))
    assert 'name="location.address"' not in re.sub(r'<input type="hidden"[^>]*>', "", page)
