"""Every number and list the service's decisions rest on, in one place a landlord can change.

Sources are in ASB-REFERENCE.md of the team handbook; the section is named beside each value.
"""

from __future__ import annotations

from typing import Final, Literal

# Behaviours a reporter can choose (section 2). One published list: the web form, the JSON
# API and triage all read it from here.
BEHAVIOURS: Final[dict[str, str]] = {
    "noise": "Noise",
    "verbal_abuse": "Verbal abuse or insults",
    "harassment": "Harassment",
    "threats": "Threats",
    "violence": "Violence or assault",
    "hate": "Hate incident (targeted because of who someone is)",
    "drugs": "Drug dealing or drug use",
    "vandalism": "Vandalism or damage to property",
    "intimidation": "Intimidation",
    "domestic_abuse": "Domestic abuse",
    "communal_areas": "Misuse of communal areas",
    "alcohol": "Alcohol-related behaviour",
    "pets_and_animals": "Pets or animals",
    "rubbish_and_fly_tipping": "Rubbish or fly-tipping",
    "vehicles": "Vehicles or parking causing nuisance",
    "children_and_young_people": "Nuisance from children or young people",
    "other": "Something else",
}

# Hate-incident strands (the regulator's definition, section 1).
HATE_STRANDS: Final[dict[str, str]] = {
    "disability": "Disability",
    "race": "Race",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "transgender_identity": "Transgender identity",
}

RELATIONSHIPS: Final[dict[str, str]] = {
    "resident": "I live in one of the landlord's homes",
    "non_resident": "I don't live in one of the landlord's homes, but I'm reporting one of its residents",
    "staff": "I work for the landlord",
    "agency": "I'm reporting for an agency (police, council, support service)",
}

CONTACT_CHANNELS: Final[dict[str, str]] = {
    "email": "Email",
    "phone": "Phone call",
    "sms": "Text message",
    "letter": "Letter",
}

Relationship = Literal["resident", "non_resident", "staff", "agency"]
ContactChannel = Literal["email", "phone", "sms", "letter"]

# Intake limits.
MAX_REPORT_BYTES: Final = 64 * 1024
IDEMPOTENCY_KEY_MAX_LENGTH: Final = 255
IDEMPOTENCY_RECORD_HOURS: Final = 24
OUTBOX_EVENT_RETENTION_DAYS: Final = 7
# A report about an incident more than this many days ago is still taken, but the reporter is
# told it may not count towards an ASB Case Review (section 6: complaints within 1 month).
REFERENCE_PREFIX: Final = "ASB"
REFERENCE_DIGITS: Final = 6
