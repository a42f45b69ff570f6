"""A few of the fictional landlord's homes and tenancies on Orchard Close, Yeovil (the samples'
street), for the tests of the form's address lists and of joining reports by tenancy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from asb.case.homes import Home, Tenancy, TenancyType, Tenant, Tenure

ORCHARD_CLOSE = "BA20 1AB"
NUMBER_12 = Home("100040001012", "12 Orchard Close, Yeovil", ORCHARD_CLOSE,
                 Tenure.GENERAL_NEEDS, "Yeovil North")
NUMBER_14 = Home("100040001014", "14 Orchard Close, Yeovil", ORCHARD_CLOSE,
                 Tenure.GENERAL_NEEDS, "Yeovil North")
NUMBER_16 = Home("100040001016", "16 Orchard Close, Yeovil", ORCHARD_CLOSE,
                 Tenure.GENERAL_NEEDS, "Yeovil North")  # empty: its tenancy has ended
NUMBER_18 = Home("100040001018", "18 Orchard Close, Yeovil", ORCHARD_CLOSE,
                 Tenure.NOT_OURS, "Yeovil North")  # sold: in the register, not the landlord's
MILL_HOUSE = "BA21 5AA"  # the sample form post's place (events/intake-form-encoded.json)
FLAT_3 = Home("100040003003", "Flat 3, Mill House, Station Road, Yeovil", MILL_HOUSE,
              Tenure.GENERAL_NEEDS, "Yeovil South")
FLAT_4 = Home("100040003004", "Flat 4, Mill House, Station Road, Yeovil", MILL_HOUSE,
              Tenure.SUPPORTED, "Yeovil South")
ELM_ROW = Home("100040002009", "9 Elm Row, Taunton", "TA1 1AA", Tenure.GENERAL_NEEDS,
               "Taunton")
HOMES = [NUMBER_12, NUMBER_14, NUMBER_16, NUMBER_18, FLAT_3, FLAT_4, ELM_ROW]

TENANCY_12 = Tenancy("T-000112", NUMBER_12.uprn, TenancyType.ASSURED, date(2019, 4, 1),
                     (Tenant("Alex Morgan"),))
TENANCY_14 = Tenancy("T-000114", NUMBER_14.uprn, TenancyType.STARTER, date(2025, 6, 2),
                     (Tenant("Sam Carter"),))
TENANCY_14_BEFORE = Tenancy("T-000014", NUMBER_14.uprn, TenancyType.ASSURED, date(2011, 1, 10),
                            (Tenant("Jo Reed"),), end_date=date(2025, 5, 30))
TENANCY_16_ENDED = Tenancy("T-000116", NUMBER_16.uprn, TenancyType.SECURE, date(2001, 2, 1),
                           (Tenant("Pat Hill"),), end_date=date(2026, 10, 31))
ELM_ROW_TENANCY = Tenancy("T-000209", ELM_ROW.uprn, TenancyType.SECURE, date(2015, 8, 3),
                          (Tenant("Robin Shah"),))
FLAT_4_TENANCY = Tenancy("T-000304", FLAT_4.uprn, TenancyType.ASSURED, date(2022, 3, 14),
                         (Tenant("Chris Lane"),))
TENANCIES = [TENANCY_12, TENANCY_14, TENANCY_14_BEFORE, TENANCY_16_ENDED, FLAT_4_TENANCY,
             ELM_ROW_TENANCY]


def seed(homes_table: str) -> None:
    """These homes and tenancies as the register, loaded as an import loads it."""
    import boto3

    from asb.homes.register_import import Register
    from asb.homes.store import DynamoDBRegisterStore

    store = DynamoDBRegisterStore(boto3.client("dynamodb"), homes_table)
    store.replace(store.current(), Register({home.uprn: home for home in HOMES},
                                            {t.reference: t for t in TENANCIES}),
                  datetime.now(UTC))


def living_at(home: Home) -> dict[str, object]:
    """A report's alleged perpetrator, whose home the reporter chose from the landlord's."""
    return {"known": True, "address": home.address, "postcode": home.postcode,
            "uprn": home.uprn}


def tenanted_home(client: Any, homes_table: str) -> Home:
    """A home of the landlord's with a tenancy current today, from the register as it is (the
    fictional landlord `make dev` loads), or FLAT_4 after loading these into an empty one."""
    from asb.homes.register_import import Register
    from asb.homes.store import DynamoDBRegisterStore

    store = DynamoDBRegisterStore(client, homes_table)
    stored = store.current()
    today = date.today()
    tenanted = {t.uprn for t in stored.register.tenancies.values() if t.current_on(today)}
    found = next((home for uprn, home in sorted(stored.register.homes.items())
                  if uprn in tenanted and home.landlords), None)
    if found:
        return found
    store.replace(stored, Register({home.uprn: home for home in HOMES},
                                   {t.reference: t for t in TENANCIES}), datetime.now(UTC))
    return FLAT_4
