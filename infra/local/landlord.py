"""A fictional landlord for `make dev`: about 3,000 homes and their tenancies, the same every
time (from a seed), as its housing management system would export them (docs/homes-import.md).

Nothing here is real: the towns and streets are invented; every postcode has a valid shape in
the districts the triage patches cover (asb.policy.config.PATCHES, so a report is assigned as
in the service), but its unit's letters include one Royal Mail never uses there (C, I, K, M, O
or V), so no postcode is anyone's address; names are made up, emails at example.org (reserved
for examples) and mobiles in Ofcom's range for drama (07700 900000-900999).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from asb.homes.export_files import HOMES_COLUMNS, TENANCY_COLUMNS, RegisterRows, read_export
from asb.policy.config import PATCHES as PATCHES_BY_POLICY

SEED = 21
HOMES = 3_000

# patch (team) -> its postcode districts and invented towns (the seed landlord's patches)
PATCHES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "yeovil": (("BA20", "BA21", "BA22"), ("Ashcombe", "Brindlecote", "Coldwater Magna")),
    "taunton": (("TA1", "TA2"), ("Dunmere", "Eastwick Parva")),
    "dorchester": (("DT1",), ("Fennimore", "Gorsebrook")),
}
# Towns for another landlord's patches (make dev POLICY=...): each team gets two of them.
OTHER_TOWNS = ("Reedham Fen", "Sallowby", "Witherwick", "Marshcombe", "Osier Cross",
               "Tollbridge", "Eelmere", "Cattows End")
STREET_NAMES = ("Larch", "Wren", "Tansy", "Quarry", "Mallow", "Foxglove", "Pippin", "Saltmarsh",
                "Heron", "Bramling", "Copper", "Thistle", "Marigold", "Hollyhock", "Kestrel",
                "Sorrel", "Millrace", "Bellfounder", "Cobnut", "Damson", "Elderflower",
                "Withy", "Lapwing", "Yarrow", "Nightjar", "Teasel", "Gleaner", "Fieldfare")
STREET_KINDS = ("Walk", "Close", "Road", "Way", "Gardens", "Row", "Lane", "Crescent", "Mews")
COURTS = ("Mill Court", "Tannery House", "Weavers Court", "Orchard House", "Chandlers Court")
FIRST_NAMES = ("Ada", "Bryn", "Cerys", "Dev", "Elin", "Femi", "Gwen", "Hari", "Ines", "Jory",
               "Kezia", "Lowen", "Mared", "Nilufar", "Olek", "Petra", "Quinn", "Rhian",
               "Sami", "Tamsin", "Ugo", "Vesna", "Wynn", "Yusra", "Zofia")
SURNAMES = ("Ashdown", "Bellamy", "Carrow", "Dunstable", "Elwood", "Fairweather", "Gillow",
            "Hartnell", "Ivel", "Jessop", "Kettering", "Lumb", "Marwood", "Nettleton",
            "Orme", "Pilkington", "Quarrie", "Rudd", "Stainer", "Threlfall", "Upcott",
            "Varley", "Wragge", "Yeoman")
TENURES = (("general_needs", 70), ("supported", 8), ("shared_ownership", 7),
           ("leasehold", 10), ("not_ours", 5))
TENANCY_TYPES = (("assured", 50), ("secure", 30), ("starter", 12), ("introductory", 5),
                 ("demoted", 3))
SHORT_TENANCIES = ("starter", "introductory", "demoted")
NEVER_IN_A_UNIT = "CIKMOV"
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Landlord:
    """The landlord's two export files; as a RegisterSource, both loaded in one import (one
    generation written, one switch: the quickest start for `make dev`)."""

    homes_csv: str
    tenancies_csv: str
    name: str = "fictional landlord (infra/local/landlord.py)"

    def rows(self) -> RegisterRows:
        homes, tenancies = (read_export(text.encode())
                            for text in (self.homes_csv, self.tenancies_csv))
        return RegisterRows(homes=homes.homes, tenancies=tenancies.tenancies,
                            rejections=homes.rejections + tenancies.rejections)


def fictional_landlord(seed: int = SEED, homes: int = HOMES,
                       policy_patches: Mapping[str, tuple[str, str]] | None = None) -> Landlord:
    """Its homes in the districts of the landlord's patches (`policy_patches`, district ->
    (officer, team); the loaded policy's by default), so triage assigns each as in the service."""
    chance = random.Random(seed)  # noqa: S311 - invented data, the same every time
    home_rows = _homes(chance, homes, _patches_of(PATCHES_BY_POLICY if policy_patches is None
                                                  else policy_patches))
    return Landlord(_csv(HOMES_COLUMNS, home_rows),
                    _csv(TENANCY_COLUMNS, _tenancies(chance, home_rows)))


def _patches_of(policy_patches: Mapping[str, tuple[str, str]]
                ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Team -> its districts and towns: the seed landlord's towns where its patches are the
    policy's, invented ones for another landlord's."""
    districts_of: dict[str, tuple[str, ...]] = {}
    for district, (_, team) in policy_patches.items():
        districts_of[team] = (*districts_of.get(team, ()), district)
    if districts_of == {team: districts for team, (districts, _) in PATCHES.items()}:
        return PATCHES
    return {team: (districts, OTHER_TOWNS[2 * n % len(OTHER_TOWNS):][:2])
            for n, (team, districts) in enumerate(districts_of.items())}


def _homes(chance: random.Random, count: int,
           patches: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
           ) -> list[list[str]]:
    rows: list[list[str]] = []
    streets = [f"{name} {kind}" for name in STREET_NAMES for kind in STREET_KINDS]
    chance.shuffle(streets)
    for street in streets:  # each street once: about 170 of them
        patch = chance.choice(list(patches))
        districts, towns = patches[patch]
        town = chance.choice(towns)
        postcode = _postcode(chance, chance.choice(districts))
        flats = chance.random() < 0.2
        for number in range(1, chance.randint(8, 30)):
            if number % 14 == 0:  # a street's postcode covers a dozen or so homes
                postcode = _postcode(chance, postcode.split()[0])
            address = (f"Flat {number}, {chance.choice(COURTS)}, {street}, {town}" if flats
                       else f"{number} {street}, {town}")
            rows.append([str(990_000_000_001 + len(rows)), address, postcode,
                         _weighted(chance, TENURES), patch])
            if len(rows) == count:
                return rows
    return rows


def _tenancies(chance: random.Random, homes: list[list[str]]) -> list[list[str]]:
    rows = []
    for uprn, _, _, tenure, _ in homes:
        if tenure not in ("general_needs", "supported") or chance.random() < 0.05:
            continue  # leaseholders and owners have no tenancy; a few homes are empty
        reference = f"TEN-{int(uprn) - 990_000_000_000:06d}"
        kind = _weighted(chance, TENANCY_TYPES)
        start = date(1995, 1, 1) + timedelta(days=chance.randint(0, 11_500))
        if kind in SHORT_TENANCIES:  # a year's trial (or a demotion's): begun lately
            start = date(2025, 12, 1) + timedelta(days=chance.randint(0, 330))
        tenants = 2 if chance.random() < 0.25 else 1
        surname = chance.choice(SURNAMES)
        for _ in range(tenants):
            first = chance.choice(FIRST_NAMES)
            email = f"{first}.{surname}{chance.randint(1, 99)}@example.org".lower() \
                if chance.random() < 0.7 else ""
            phone = f"07700 900{chance.randint(0, 999):03d}" if chance.random() < 0.8 else ""
            rows.append([reference, uprn, kind, start.isoformat(), "", f"{first} {surname}",
                         email, phone])
    return rows


def _postcode(chance: random.Random, district: str) -> str:
    letters = [chance.choice(NEVER_IN_A_UNIT), chance.choice(UNIT_LETTERS)]
    chance.shuffle(letters)
    return f"{district} {chance.randint(1, 9)}{''.join(letters)}"


def _weighted(chance: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return chance.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
