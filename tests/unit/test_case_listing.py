"""What a listed case shows to triage by: its behaviours in words and its place, never a door."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asb.case.retention import ERASED
from asb.casework.listing import area, behaviour, listed_case


@pytest.mark.parametrize(("address", "shown"), [
    ("12 Orchard Close, Yeovil", "Orchard Close"),
    ("Flat 3, 14 Orchard Close, Yeovil", "Orchard Close"),
    ("Flat 3 14 Orchard Close", "Orchard Close"),
    ("Apartment 2b\n5 Mill Lane\nYeovil", "Mill Lane"),
    ("14-16 High Street", "High Street"),
    ("2a Quarry Road, Yeovil", "Quarry Road"),
    ("The car park behind the shops, Yeovil", "The car park behind the shops"),
    ("14", None),
    (ERASED, None),
    (None, None),
])
def test_the_place_is_the_street_without_the_home(address: str | None, shown: str | None) -> None:
    assert area(address) == shown


def test_behaviours_are_listed_by_code_and_in_the_catalogues_words() -> None:
    assert behaviour("verbal_abuse") == {"code": "verbal_abuse", "label": "Verbal abuse or insults"}
    assert behaviour("drugs") == {"code": "drugs", "label": "Drug dealing or drug use"}  # legacy
    assert behaviour("not_in_any_list") == {"code": "not_in_any_list", "label": "Not in any list"}


def test_a_listed_case_carries_behaviours_and_place_and_not_the_address() -> None:
    shown = listed_case({"reference": "ASB-2026-000001", "status": "triaged",
                         "postcode": "BA20 1AB", "behaviours": ["noise", "threats"],
                         "location_address": "7 Alder Walk, Yeovil"})
    assert shown == {"reference": "ASB-2026-000001", "status": "triaged", "postcode": "BA20 1AB",
                     "behaviours": [{"code": "noise", "label": "Loud noise"},
                                    {"code": "threats", "label": "Threats"}],
                     "place": {"postcode": "BA20 1AB", "area": "Alder Walk"}, "pathway": "asb"}
    # An anonymised case keeps its district and its behaviours; its street is gone.
    assert listed_case({"postcode": "BA20", "behaviours": ["noise"], "location_address": ERASED})[
        "place"] == {"postcode": "BA20", "area": None}
    assert listed_case({"reference": "ASB-2026-000002"})["behaviours"] == []


def test_a_listed_case_shows_its_pathway_from_the_index_copy_in_its_targets() -> None:
    """The listing indexes' projections are fixed: a case item off the ASB pathway carries it in
    its targets (asb.dynamo.case_items), which the list shows as the case's pathway."""
    from asb.case.models import Case, CaseStatus
    from asb.dynamo.case_items import case_from_item, case_item

    opened = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    case = Case(reference="ASB-2026-000009", status=CaseStatus.TRIAGED, opened_at=opened,
                updated_at=opened, location_address="3 Ash Lane", pathway="domestic_abuse",
                anonymous=False, behaviours=["domestic_abuse"], hate_incident=False,
                targets={"first_contact_due": "2026-12-01"})
    item = case_item(case)
    assert item["targets"] == {"first_contact_due": "2026-12-01", "pathway": "domestic_abuse"}
    assert case_from_item(item) == case  # the case's own targets, as they were
    shown = listed_case({k: v for k, v in item.items() if k in ("reference", "targets")})
    assert shown["pathway"] == "domestic_abuse"
    assert shown["targets"] == {"first_contact_due": "2026-12-01"}
    untriaged = case.model_copy(update={"targets": None})
    assert case_from_item(case_item(untriaged)).targets is None
    asb = case_item(case.model_copy(update={"pathway": "asb", "behaviours": ["threats"]}))
    assert "pathway" not in asb and listed_case(asb)["pathway"] == "asb"
    # Stored before pathways and disclosing domestic abuse: listed (and counted) as it.
    before = case_item(case.model_copy(update={"pathway": "asb"}))
    assert "pathway" not in before and listed_case(before)["pathway"] == "domestic_abuse"
