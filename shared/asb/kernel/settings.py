"""Each function's environment, read once through a small model, never through os.environ in logic.

Plain dataclasses rather than pydantic: a function that needs no validation should not pay for it
at cold start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Self
from urllib.parse import urlsplit


class MissingSetting(RuntimeError):
    pass


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise MissingSetting(f"environment variable {name} is not set")
    return value


def policy_file(env: Mapping[str, str] = os.environ) -> str:
    """ASB_POLICY_FILE: another landlord's policy document (dev and tests), or "" for the packaged
    seed landlord's. Read by asb.policy.config at import, before any function's settings."""
    return env.get("ASB_POLICY_FILE", "").strip()


@dataclass(frozen=True)
class PolicyAppConfig:
    """Where a deployed function's policy is deployed: the AppConfig application, environment and
    configuration profile, read through the AppConfig Agent extension (asb.policy.deployed)."""

    application: str
    environment: str
    profile: str


# template.yaml's Globals; the local runtime gives functions none of them.
POLICY_APPCONFIG_VARIABLES: Final = ("ASB_POLICY_APPLICATION", "ASB_POLICY_ENVIRONMENT",
                                     "ASB_POLICY_PROFILE")


def policy_appconfig(env: Mapping[str, str] = os.environ) -> PolicyAppConfig | None:
    """The three AppConfig names of POLICY_APPCONFIG_VARIABLES, or None when none is set: locally,
    where the policy is its file. Some set and not all is a mistake in the function's
    configuration, not a choice of the seed: MissingSetting naming the unset ones (the function's
    start fails, where it would otherwise run by the seed unnoticed)."""
    names = [env.get(name, "").strip() for name in POLICY_APPCONFIG_VARIABLES]
    if not any(names):
        return None
    if not all(names):
        unset = [n for n, value in zip(POLICY_APPCONFIG_VARIABLES, names, strict=True) if not value]
        given = [n for n, value in zip(POLICY_APPCONFIG_VARIABLES, names, strict=True) if value]
        raise MissingSetting(f"environment variables not set: {', '.join(unset)} (set: "
                             f"{', '.join(given)}); the deployed policy's AppConfig names are "
                             f"all three or none")
    application, environment, profile = names
    return PolicyAppConfig(application=application, environment=environment, profile=profile)


@dataclass(frozen=True)
class PublisherSettings:
    triage_queue_url: str
    notification_queue_url: str
    disclosure_queue_url: str = ""
    repairs_queue_url: str = ""  # the landlord's repairs system reads it (property checks)

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        return cls(triage_queue_url=_required(env, "TRIAGE_QUEUE_URL"),
                   notification_queue_url=_required(env, "NOTIFICATION_QUEUE_URL"),
                   disclosure_queue_url=_required(env, "DISCLOSURE_QUEUE_URL"),
                   repairs_queue_url=_required(env, "REPAIRS_QUEUE_URL"))

    def queue_urls(self) -> dict[str, str]:
        return {"triage": self.triage_queue_url, "notification": self.notification_queue_url,
                "disclosure": self.disclosure_queue_url, "repairs": self.repairs_queue_url}


@dataclass(frozen=True)
class CaseSettings:
    """Intake, triage and the staff API: the cases table (and, for figures, the homes owned)."""

    cases_table: str
    homes_owned: int = 0
    data_key_id: str = ""
    tracking_key_id: str = ""  # the reporters' tracking links (asb.link_keys); none without
    evidence_bucket: str = ""  # reporters' files: tracking, officers' openings, retention
    figures_bucket: str = ""  # the regulator figures' CSV (RegulatorFiguresFunction)

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        return cls(cases_table=_required(env, "CASES_TABLE_NAME"),
                   homes_owned=int(env.get("HOMES_OWNED") or 0),
                   data_key_id=_required(env, "DATA_KEY_ID"),
                   tracking_key_id=env.get("TRACKING_KEY_ID") or "",
                   evidence_bucket=env.get("EVIDENCE_BUCKET") or "",
                   figures_bucket=env.get("FIGURES_BUCKET") or "")


@dataclass(frozen=True)
class HomesSettings:
    """The landlord's homes and tenancies (HomesTable): the import, and whoever reads them."""

    homes_table: str

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        return cls(homes_table=_required(env, "HOMES_TABLE_NAME"))


@dataclass(frozen=True)
class DigestSettings:
    """The daily digest: each officer's email, from the sender, with links to the console."""

    cases_table: str
    sender: str
    staff_email_domain: str
    public_base_url: str

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        return cls(cases_table=_required(env, "CASES_TABLE_NAME"),
                   sender=_required(env, "SENDER_ADDRESS"),
                   staff_email_domain=_required(env, "STAFF_EMAIL_DOMAIN"),
                   public_base_url=_required(env, "PUBLIC_BASE_URL").rstrip("/"))


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the console signs officers in: Cognito's hosted UI, or make dev's local stand-in."""

    sign_in_url: str
    client_id: str
    # Where the page may POST a witness's statement file (the evidence bucket's addresses; the
    # local AWS's under make dev), space-separated.
    upload_origins: str = ""

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        local = urlsplit(env.get("AWS_ENDPOINT_URL") or "")
        return cls(sign_in_url=_required(env, "STAFF_SIGN_IN_URL").rstrip("/"),
                   client_id=_required(env, "STAFF_CLIENT_ID"),
                   upload_origins=f"{local.scheme}://{local.netloc}" if local.netloc
                   else env.get("EVIDENCE_UPLOAD_ORIGINS") or "")


@dataclass(frozen=True)
class NotificationSettings:
    cases_table: str
    idempotency_table: str
    sender: str
    letters_bucket: str
    duty_officer_email: str | None
    duty_officer_phone: str | None
    managers_email: str | None = None
    dpo_email: str | None = None  # overdue subject access requests
    staff_email_domain: str | None = None  # an assigned officer is told at <user>@<domain>
    data_key_id: str = ""
    tracking_key_id: str = ""  # with public_base_url: the acknowledgement carries the link
    public_base_url: str = ""

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        return cls(
            cases_table=_required(env, "CASES_TABLE_NAME"),
            idempotency_table=_required(env, "IDEMPOTENCY_TABLE_NAME"),
            sender=_required(env, "SENDER_ADDRESS"),
            letters_bucket=_required(env, "LETTERS_BUCKET"),
            duty_officer_email=env.get("DUTY_OFFICER_EMAIL") or None,
            duty_officer_phone=env.get("DUTY_OFFICER_PHONE") or None,
            managers_email=env.get("MANAGERS_EMAIL") or None,
            dpo_email=env.get("DPO_EMAIL") or None,
            staff_email_domain=env.get("STAFF_EMAIL_DOMAIN") or None,
            data_key_id=_required(env, "DATA_KEY_ID"),
            tracking_key_id=env.get("TRACKING_KEY_ID") or "",
            public_base_url=(env.get("PUBLIC_BASE_URL") or "").rstrip("/"),
        )


@dataclass(frozen=True)
class PartnerSettings:
    """The partner publisher and inbound consumer: the table, the signing key, and the
    partners' delivery queues by name (PARTNER_QUEUES="constabulary=https://...,council=...")."""

    cases_table: str
    signing_key_id: str = ""
    partner_queues: dict[str, str] | None = None

    @classmethod
    def load(cls, env: Mapping[str, str] = os.environ) -> Self:
        pairs = [p.split("=", 1) for p in env.get("PARTNER_QUEUES", "").split(",") if "=" in p]
        return cls(cases_table=_required(env, "CASES_TABLE_NAME"),
                   signing_key_id=env.get("SIGNING_KEY_ID", ""),
                   partner_queues={name.strip(): url.strip() for name, url in pairs})
