"""Witness statements as exhibits of the court bundle (issue 23, item 2): headed by the witness's
label ([Witness A]), their words redacted as every exhibit's are, a signed statement saying so
and when, a statement given as a checked file carrying that file; numbered in date order with
the other exhibits and drawn into the PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from asb.case.change import CaseFolder
from asb.case.records import Evidence, WitnessStatement
from asb.enforcement.bundle_pdf import bundle_pdf
from asb.enforcement.bundles import BundleIn, CourtBundle, court_bundle
from asb.enforcement.redaction import redaction
from asb.kernel.errors import InvalidChange
from tests.pdfs import text_lines
from tests.unit.test_court_bundle import PARTIES, PERSONS, a_folder

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SIGNED = WitnessStatement(
    record_id="s-1", at=NOW, party_id="p-sam", made_on=date(2026, 11, 3),
    text="I, Sam Lee, saw Dean Morgan shout at Alex Morgan outside number 12. "
         "Call me on 07700 900999.",
    signed=True, signed_on=date(2026, 11, 4), taken_by="o.hughes", by="o.hughes")
UNSIGNED = WitnessStatement(
    record_id="s-2", at=NOW, party_id="p-alex", made_on=date(2026, 11, 30),
    text="Dean Morgan played music until 3am.", signed=False, taken_by="r.patel",
    by="o.hughes")
ON_FILE = WitnessStatement(
    record_id="s-3", at=NOW, party_id="p-sam", made_on=date(2026, 11, 5),
    evidence_id="e-photo", signed=False, taken_by="o.hughes", by="o.hughes")


def folder() -> CaseFolder:
    return replace(a_folder(), witness_statements={s.record_id: s
                                                   for s in (SIGNED, UNSIGNED, ON_FILE)})


def bundle_of(*items: tuple[str, str]) -> CourtBundle:
    shown = folder()
    dean = shown.parties["p-dean"]
    body = BundleIn.model_validate({"hearing_id": "h-1", "items": [
        {"kind": kind, "id": item_id} for kind, item_id in items]})
    return court_bundle(shown, "m-1", body, redaction(shown, PERSONS, dean), "o.hughes", NOW)


def test_a_statement_is_headed_by_its_witnesss_label_its_words_redacted() -> None:
    bundle = bundle_of(("witness_statement", "s-1"))
    (exhibit,) = bundle.exhibits
    assert exhibit.number == "OH/1" and exhibit.kind == "witness_statement"
    assert exhibit.what == "Witness statement of [Witness A]"
    assert exhibit.on == date(2026, 11, 3) and exhibit.source == "Taken by o.hughes"
    lines = dict(exhibit.lines)
    assert lines["Statement of truth"] == "Signed on Wednesday 4 November 2026"
    words = lines["Statement"]
    assert "Sam" not in words and "Lee" not in words and "07700" not in words
    assert "[Witness A]" in words and "[Witness A's phone]" in words
    assert "Dean Morgan" in words  # the respondent is named


def test_a_complainants_statement_carries_their_label_and_says_it_is_not_signed() -> None:
    (exhibit,) = bundle_of(("witness_statement", "s-2")).exhibits
    assert exhibit.what == "Witness statement of [Resident A]"
    assert dict(exhibit.lines)["Statement of truth"] == "Not signed"
    assert exhibit.source == "Taken by r.patel"


def test_statements_are_numbered_in_date_order_with_the_other_exhibits() -> None:
    bundle = bundle_of(("witness_statement", "s-2"), ("diary_entry", "d-1"),
                       ("witness_statement", "s-1"))
    assert [(e.number, e.item_id) for e in bundle.exhibits] == [
        ("OH/1", "s-1"), ("OH/2", "d-1"), ("OH/3", "s-2")]


def test_a_statement_given_as_a_checked_file_carries_the_file() -> None:
    (exhibit,) = bundle_of(("witness_statement", "s-3")).exhibits
    assert exhibit.file is not None and exhibit.file.object_key == "evidence/photo"
    assert dict(exhibit.lines)["Statement"].startswith("The file attached: image/jpeg")


def test_a_statement_not_on_the_case_is_refused_naming_the_item() -> None:
    with pytest.raises(InvalidChange) as refused:
        bundle_of(("witness_statement", "s-1"), ("witness_statement", "nope"))
    assert [e.field for e in refused.value.errors] == ["items.1.id"]


def test_a_statement_whose_file_is_no_longer_checked_is_refused() -> None:
    shown = folder()
    gone = Evidence(record_id="e-photo", at=NOW, kind="image", report_id="r-2",
                    status="refused", reason="Not a photo")
    shown = replace(shown, evidence={**shown.evidence, "e-photo": gone})
    body = BundleIn.model_validate({"hearing_id": "h-1", "items": [
        {"kind": "witness_statement", "id": "s-3"}]})
    with pytest.raises(InvalidChange) as refused:
        court_bundle(shown, "m-1", body, redaction(shown, PERSONS, shown.parties["p-dean"]),
                     "o.hughes", NOW)
    assert "no longer a checked file" in refused.value.errors[0].message


def test_the_pdf_draws_the_statement_redacted() -> None:
    bundle = bundle_of(("witness_statement", "s-1"))
    text = "\n".join(text_lines(bundle_pdf(bundle, lambda key: b"").pdf))
    assert "Witness statement of [Witness A]" in text
    assert "Signed on Wednesday 4 November 2026" in text
    assert "Sam Lee" not in text and "07700 900999" not in text
    assert len(PARTIES) == 4  # the court bundle's own case, unchanged
