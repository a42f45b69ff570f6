"""make dev's fictional landlord: the same every time, loads without a refused line, in the
triage patches' districts yet never at a real postcode."""

from __future__ import annotations

from collections import Counter
from datetime import date

from asb.homes.export_files import read_export
from asb.homes.register_import import Register, merge
from asb.triage.assignment import assign
from infra.local.landlord import NEVER_IN_A_UNIT, fictional_landlord


def test_the_landlord_is_the_same_every_time_and_loads_whole() -> None:
    landlord = fictional_landlord()
    assert landlord == fictional_landlord()
    rows = landlord.rows()
    assert rows.rejections == ()
    assert rows.homes is not None and len(rows.homes) == 3_000
    merged = merge(Register(), rows, date(2026, 12, 2))
    assert merged.rejections == ()
    assert merged.summary.homes_added == 3_000 and merged.summary.tenancies_started > 2_000
    assert 2_000 < merged.register.homes_owned() < 3_000
    tenures = Counter(h.tenure.value for h in merged.register.homes.values())
    assert set(tenures) == {"general_needs", "supported", "shared_ownership", "leasehold",
                            "not_ours"}
    kinds = Counter(t.tenancy_type.value for t in merged.register.tenancies.values())
    assert set(kinds) == {"secure", "assured", "starter", "introductory", "demoted"}
    assert any(len(t.tenants) == 2 for t in merged.register.tenancies.values())
    assert fictional_landlord(homes=50).rows().homes is not None


def test_each_home_is_in_its_patchs_districts_at_a_postcode_nobody_lives_at() -> None:
    rows = read_export(fictional_landlord().homes_csv.encode())
    for row in rows.homes or ():
        home = row.home
        assert assign(home.postcode).team == home.patch  # triage assigns it to its patch's team
        unit = home.postcode.split()[1]
        assert set(unit[1:]) & set(NEVER_IN_A_UNIT), home.postcode
    tenancies = fictional_landlord().tenancies_csv
    assert "@example.org" in tenancies and "07700 900" in tenancies



def test_under_another_landlords_policy_its_homes_are_in_that_landlords_patches() -> None:
    """make dev POLICY=...: Fenmoor's register, in its districts under its teams."""
    from infra.local.template import ROOT
    from infra.policy import read_document

    fenmoor = read_document(ROOT / "shared/asb/policy/landlords/fenmoor.yaml")["patches"]
    patches = {district: (p["officer"], p["team"]) for district, p in fenmoor.items()}
    rows = read_export(fictional_landlord(homes=400, policy_patches=patches).homes_csv.encode())
    homes = [row.home for row in rows.homes or ()]
    assert len(homes) == 400
    assert {patches[home.postcode.split()[0]][1] == home.patch for home in homes} == {True}
    assert {home.patch for home in homes} == {"fenmoor-north", "fenmoor-south"}
