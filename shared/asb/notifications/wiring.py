"""Builds the notification service from settings and boto3 clients (one place for both
notification functions)."""

from __future__ import annotations

import boto3

from asb.clock import SystemClock
from asb.notifications.channels import EmailChannel, LetterChannel, SmsChannel
from asb.notifications.plan import DutyOfficer
from asb.notifications.service import NotificationService
from asb.sealing import kms_sealer
from asb.settings import NotificationSettings
from asb.store.notification_store import DynamoDBNotificationStore


def notification_service(settings: NotificationSettings) -> NotificationService:
    return NotificationService(
        DynamoDBNotificationStore(boto3.client("dynamodb"), settings.cases_table,
                                  kms_sealer(settings.data_key_id)),
        {
            "email": EmailChannel(boto3.client("sesv2"), settings.sender),
            "sms": SmsChannel(boto3.client("sns")),
            "letter": LetterChannel(boto3.client("s3"), settings.letters_bucket),
        },
        DutyOfficer(settings.duty_officer_email, settings.duty_officer_phone,
                    settings.managers_email),
        SystemClock(),
    )
