"""Builds the notification service from settings and boto3 clients (one place for both
notification functions)."""

from __future__ import annotations

import boto3

from asb.kernel.clock import SystemClock
from asb.link_keys import KmsLinkKeys
from asb.notifications.channels import EmailChannel, LetterChannel, SmsChannel
from asb.notifications.plan import DutyOfficer
from asb.notifications.service import NotificationService, TrackingLinks
from asb.sealing import KmsSealer
from asb.settings import NotificationSettings
from asb.store.notification_store import DynamoDBNotificationStore


def notification_service(settings: NotificationSettings) -> NotificationService:
    kms = boto3.client("kms")
    links = TrackingLinks(KmsLinkKeys(kms, settings.tracking_key_id), settings.public_base_url) \
        if settings.tracking_key_id and settings.public_base_url else None
    return NotificationService(
        DynamoDBNotificationStore(boto3.client("dynamodb"), settings.cases_table,
                                  KmsSealer(kms, settings.data_key_id)),
        {
            "email": EmailChannel(boto3.client("sesv2"), settings.sender),
            "sms": SmsChannel(boto3.client("sns")),
            "letter": LetterChannel(boto3.client("s3"), settings.letters_bucket),
        },
        DutyOfficer(settings.duty_officer_email, settings.duty_officer_phone,
                    settings.managers_email, settings.dpo_email,
                    settings.staff_email_domain,
                    service_url=settings.public_base_url),
        SystemClock(),
        links,
    )
