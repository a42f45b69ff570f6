"""Which tools and powers are open to the landlord on a case (ASB-REFERENCE section 5): its own
tools, offered; possession and demotion only against an alleged perpetrator who is a tenant of
ours today. Recording a measure (asb.enforcement.measures) and the staff case view (so that the
console offers no power the API would refuse) read the same rule from here."""

from __future__ import annotations

from datetime import date

from asb.case.change import CaseFolder
from asb.case.homes import HomesRegister
from asb.case.models import CaseStatus
from asb.case.parties import Party, Role
from asb.policy.config import TOOL_CATALOGUE


def perpetrator_is_our_tenant(folder: CaseFolder, register: HomesRegister, day: date) -> bool:
    """Tenure decides the powers: an alleged perpetrator's party on the case, not unlinked, tied
    to a tenancy of the landlord's (by intake from the home the reporter chose, or by an
    officer) that the register says is current on `day` - a tenancy may end after the tie."""
    return any(p.active and Role.ALLEGED_PERPETRATOR in p.roles and p.tenancy is not None
               and _current(register, p.tenancy.reference, day)
               for p in folder.parties.values())


def party_is_our_tenant(party: Party, register: HomesRegister, day: date) -> bool:
    """One party: not unlinked, tied to a tenancy of ours current on `day`."""
    return party.active and party.tenancy is not None and _current(
        register, party.tenancy.reference, day)


def _current(register: HomesRegister, reference: str, day: date) -> bool:
    tenancy = register.tenancy(reference)
    return tenancy is not None and tenancy.current_on(day)


def powers_open(folder: CaseFolder, register: HomesRegister | None, day: date) -> list[str]:
    """The catalogue's tools the landlord may record on this case on `day`, in catalogue order:
    none on a closed case; never a power only a partner holds, nor one kept for old records;
    possession and demotion only against our tenant (without the register, never). The register
    is read only when an alleged perpetrator's party is tied to a tenancy."""
    if folder.case.status == CaseStatus.CLOSED:
        return []
    ours = [key for key, tool in TOOL_CATALOGUE.items() if tool.offered and tool.ours]
    tenant = register is not None and perpetrator_is_our_tenant(folder, register, day)
    return [key for key in ours if tenant or not TOOL_CATALOGUE[key].tenancy_only]
