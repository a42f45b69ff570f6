"""The table of bank holidays in England and Wales the service reads at run time, made from the
`holidays` library.

`python -m infra.bank_holidays` writes shared/asb/bank_holidays.json; a test fails when it
differs from what the installed library says (upgrade the library, then run this).
"""

from __future__ import annotations

import json
from typing import Any

from infra.local.template import ROOT

TABLE = ROOT / "shared" / "asb" / "bank_holidays.json"
YEARS = range(2020, 2041)


def generate() -> dict[str, Any]:
    from holidays import country_holidays

    return {
        "source": "holidays (python-holidays), country GB, subdivision ENG",
        "years": {str(year): sorted(d.isoformat() for d in country_holidays(
            "GB", subdiv="ENG", years=year)) for year in YEARS},
    }


def main() -> None:
    TABLE.write_text(json.dumps(generate(), indent=1) + "\n")
    print(TABLE)


if __name__ == "__main__":
    main()
