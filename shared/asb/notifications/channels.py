"""The ways a message leaves: email (SES v2), SMS (SNS), and letters as PDF for the print room."""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from asb.notifications.plan import Message
from asb.notifications.render import Rendered
from asb_pdf import FAMILY, NoFont, drawable, exactly, unicode_pdf


class ChannelFailed(Exception):
    """This channel could not take the message; the next safe one is tried."""


class Channel(Protocol):
    def send(self, message: Message, rendered: Rendered, now: datetime) -> str: ...


def uk_e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44"):
        return f"+{digits}"
    if digits.startswith("0"):
        return f"+44{digits[1:]}"
    return f"+{digits}"


class EmailChannel:
    def __init__(self, sesv2: Any, sender: str) -> None:
        self._ses = sesv2
        self._sender = sender

    def send(self, message: Message, rendered: Rendered, now: datetime) -> str:
        if not message.recipient.email:
            raise ChannelFailed("no email address")
        content = self._with_pdf(message, rendered, now) if rendered.enclosure else {
            "Simple": {
                "Subject": {"Data": rendered.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": rendered.text, "Charset": "UTF-8"},
                         "Html": {"Data": rendered.html, "Charset": "UTF-8"}},
            }}
        try:
            answer = self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [message.recipient.email]}, Content=content)
        except (ClientError, BotoCoreError) as error:
            raise ChannelFailed(type(error).__name__) from None
        return str(answer.get("MessageId", ""))

    def _with_pdf(self, message: Message, rendered: Rendered, now: datetime) -> dict[str, Any]:
        """The email as raw MIME with its letter attached as a PDF: SES v2's Raw content (its
        Simple content's attachments are newer than moto's SES, which would drop them)."""
        assert rendered.enclosure is not None
        recipient = message.recipient
        try:
            pdf = letter_pdf(recipient.name or "", recipient.address or "", rendered.enclosure,
                             now, recipient.large_print)
        except NoFont:
            raise ChannelFailed("a character of the name or address has no font") from None
        mail = EmailMessage()
        try:
            mail["To"] = str(recipient.email)
        except ValueError:  # a line break in the address: no header may carry it
            raise ChannelFailed("the email address cannot be written in a header") from None
        mail["Subject"] = rendered.subject
        mail["From"] = self._sender
        mail.set_content(rendered.text)
        mail.add_alternative(rendered.html, subtype="html")
        mail.add_attachment(pdf, maintype="application", subtype="pdf",
                            filename=f"{message.template}-{message.case_reference}.pdf")
        return {"Raw": {"Data": mail.as_bytes()}}


class SmsChannel:
    def __init__(self, sns: Any) -> None:
        self._sns = sns

    def send(self, message: Message, rendered: Rendered, now: datetime) -> str:
        if not message.recipient.phone:
            raise ChannelFailed("no phone number")
        try:
            answer = self._sns.publish(
                PhoneNumber=uk_e164(message.recipient.phone), Message=rendered.text.strip(),
                MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String",
                                                           "StringValue": "Transactional"}},
            )
        except (ClientError, BotoCoreError) as error:
            raise ChannelFailed(type(error).__name__) from None
        return str(answer.get("MessageId", ""))


class LetterChannel:
    """A PDF per letter in the print room's bucket; large print when the reader asked for it."""

    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

    def send(self, message: Message, rendered: Rendered, now: datetime) -> str:
        recipient = message.recipient
        if not recipient.address:
            raise ChannelFailed("no postal address")
        try:
            pdf = letter_pdf(recipient.name or "", recipient.address, rendered, now,
                             recipient.large_print)
        except NoFont:
            raise ChannelFailed("a character of the name or address has no font") from None
        key = f"letters/{now:%Y-%m-%d}/{message.case_reference}/{message.notification_id}.pdf"
        try:
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=pdf,
                                ContentType="application/pdf",
                                Metadata={"reference": message.case_reference,
                                          "large-print": str(recipient.large_print).lower()})
        except (ClientError, BotoCoreError) as error:
            raise ChannelFailed(type(error).__name__) from None
        return key


def letter_pdf(name: str, address: str, rendered: Rendered, now: datetime,
               large_print: bool) -> bytes:
    """Raises NoFont when the name or address has a character no embedded font can draw."""
    size = 18 if large_print else 12
    pdf = unicode_pdf()  # imports fpdf2: only when a letter is written
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font(FAMILY, size=size)
    height = size * 0.55

    def write(text: str, as_typed: bool = False) -> None:
        safe = exactly(pdf, text) if as_typed else drawable(pdf, text)
        pdf.multi_cell(0, height, safe, new_x="LMARGIN", new_y="NEXT")

    for line in [name, *[part.strip() for part in address.split(",")]]:
        if line:
            write(line, as_typed=True)
    pdf.ln(height)
    write(f"{now:%-d %B %Y}")
    pdf.ln(height)
    pdf.set_font(FAMILY, style="B", size=size)
    write(rendered.subject)
    pdf.set_font(FAMILY, size=size)
    pdf.ln(height / 2)
    write(rendered.text)
    return bytes(pdf.output())
