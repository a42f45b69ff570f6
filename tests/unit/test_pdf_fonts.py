"""Letters and subject-access PDFs print a name and an address as typed, in the scripts residents
of England use (issue 18: a Polish 'Ł' came out as '?'): the text read back out of the PDF, and
the fonts it embeds."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from asb.data_protection.subject_access import export_pdf
from asb.notifications.channels import ChannelFailed, LetterChannel, letter_pdf
from asb.notifications.plan import Message, Recipient
from asb.notifications.render import render
from asb_pdf import FAMILY, drawable, unicode_pdf
from tests.pdfs import font_sizes, fonts, letters, text_lines

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CONTEXT = {"reference": "ASB-2026-000123", "landlord": "The ASB team", "phone": "0300 123 4567",
           "first_name": "Alex", "outcome": "The behaviour has stopped",
           "reasons": "No more reports for six weeks.", "case_review_url": "https://example.org/r",
           "complaints_url": "https://example.org/c", "survey_url": "https://example.org/s"}
POSTCODE = "BA20 1AB"
# Latin with Polish, Romanian, Lithuanian, Turkish and Vietnamese letters, Greek and Cyrillic:
# one font, no shaping, and every line read back exactly.
AS_TYPED = ["Łąka", "ul. Żółkiewskiego 5", "Ștefan cel Mare 12", "Jūratės g. 3",
            "Çağrı Sokak 7",  # noqa: RUF001 - the Turkish dotless i is meant
            "Phố Nguyễn Trãi 27", "Οδός Ερμού 14, Αθήνα", "ул. Ленина, д. 5, кв. 12", "Москва"]


def letter(name: str, *address: str, large_print: bool = False) -> bytes:
    return letter_pdf(name, ", ".join([*address, POSTCODE]), render("closure", "letter", CONTEXT),
                      NOW, large_print)


def test_a_polish_name_and_house_name_and_a_cyrillic_address_come_out_as_typed() -> None:
    pdf = letter("Łucja Wąsowska", *AS_TYPED)
    expected = ["Łucja Wąsowska", *[p.strip() for line in AS_TYPED for p in line.split(",")],
                POSTCODE]
    assert text_lines(pdf)[:len(expected)] == expected
    assert "?" not in "".join(text_lines(pdf)[:len(expected)])
    assert fonts(pdf) == {"NotoSans": True, "NotoSansBold": True}  # nothing else loaded


@pytest.mark.parametrize(("name", "font"), [
    ("محمد عبدالله", "NotoNaskhArabic"),  # Arabic, joined, right to left
    ("عمران خان", "NotoNaskhArabic"),  # Urdu
    ("רחל כהן", "NotoSansHebrew"),
    ("রহিম উদ্দিন", "NotoSansBengali"),  # a conjunct, and a vowel drawn before its consonant
    ("राजेश कुमार", "NotoSansDevanagari"),
    ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "NotoSansGurmukhi"),
    ("ભાવેશ પટેલ", "NotoSansGujarati"),
    ("முருகன் சுப்பிரமணியம்", "NotoSansTamil"),
])
def test_a_name_in_a_shaped_script_is_drawn_with_its_own_embedded_font(name: str,
                                                                      font: str) -> None:
    pdf = letter(name, "12 Orchard Close", "Yeovil")
    assert fonts(pdf)[font] is True
    first, *rest = text_lines(pdf)
    # Read back in the order the glyphs are drawn: the same characters, none replaced.
    assert letters(first) == letters(name)
    # The lines after it keep their font (fpdf2 lost it after a line that began in a fallback).
    assert rest[:3] == ["12 Orchard Close", "Yeovil", POSTCODE]


@pytest.mark.parametrize(("name", "font"), [
    ("김민준", "NotoSansCJKKR"),  # Korean Hangul
    ("ኣብርሃም ተስፋይ", "NotoSansEthiopic"),  # Tigrinya
    ("አበበ ቢቂላ", "NotoSansEthiopic"),  # Amharic
    ("สมชาย ใจดี", "NotoSansThai"),  # marks above and below, shaped
    ("නිමල් පෙරේරා", "NotoSansSinhala"),  # a vowel drawn before its consonant
    ("Արամ Պետրոսյան", "NotoSansArmenian"),
    ("გიორგი ბერიძე", "NotoSansGeorgian"),
    ("వెంకట రావు", "NotoSansTelugu"),
])
def test_a_name_in_korean_ethiopic_thai_sinhala_armenian_georgian_or_telugu_is_printed(
        name: str, font: str) -> None:
    pdf = letter(name, "12 Orchard Close", "Yeovil")
    assert fonts(pdf)[font] is True
    assert set(fonts(pdf)) == {"NotoSans", "NotoSansBold", font}  # only the font it needs
    first, *rest = text_lines(pdf)
    assert letters(first.replace("\x00", "")) == letters(name)
    assert rest[:3] == ["12 Orchard Close", "Yeovil", POSTCODE]


def test_a_chinese_name_loads_the_chinese_font_only_when_it_is_needed() -> None:
    pdf = letter("王小明", "Phố Nguyễn Trãi 27")
    assert fonts(pdf)["NotoSansCJKSC"] is True
    first, second, *_ = text_lines(pdf)
    # pypdf reads this font's two-byte codes with a zero byte before each character.
    assert first.replace("\x00", "") == "王小明" and second == "Phố Nguyễn Trãi 27"
    assert "NotoSansCJKSC" not in fonts(letter("Alex Morgan", "12 Orchard Close"))


def test_a_large_print_letter_is_an_a4_pdf_in_18_point_with_every_font_embedded() -> None:
    pdf = letter("Łucja Wąsowska", "Łąka", "ул. Ленина 5", large_print=True)
    assert font_sizes(pdf) == {18.0}
    assert all(fonts(pdf).values())  # the print room substitutes no font
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert text_lines(pdf)[:4] == ["Łucja Wąsowska", "Łąka", "ул. Ленина 5", POSTCODE]
    assert font_sizes(letter("Alex Morgan", "12 Orchard Close")) == {12.0}


class FakeS3:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put_object(self, **request: Any) -> dict[str, Any]:
        self.objects[request["Key"]] = request["Body"]
        return {}


def message(name: str) -> Message:
    recipient = Recipient(kind="reporter", name=name, address="12 Orchard Close, Yeovil")
    return Message("n-1", "ASB-2026-000123", "closure", recipient, ("letter",))


def test_a_name_no_font_can_draw_is_not_printed_wrong_and_not_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    s3 = FakeS3()
    channel = LetterChannel(s3, "print-room")
    rendered = render("closure", "letter", CONTEXT)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(ChannelFailed):  # the next safe channel is tried
            channel.send(message("សុខ ដារ៉ា"), rendered, NOW)  # Khmer: no font for it
        assert s3.objects == {}
        assert channel.send(message("Łucja Wąsowska"), rendered, NOW)
    assert len(s3.objects) == 1
    assert not any("ស" in record.getMessage() for record in caplog.records)


def test_text_no_font_can_draw_is_marked_not_dropped_nor_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    pdf = unicode_pdf()
    pdf.add_page()
    pdf.set_font(FAMILY, size=12)
    with caplog.at_level(logging.DEBUG):
        safe = drawable(pdf, "Loud music 🎵 at night")
        pdf.multi_cell(0, 6, safe)
        lines = text_lines(bytes(pdf.output()))
    assert safe == "Loud music \ufffd at night" and lines == [safe]
    assert not any("🎵" in record.getMessage() for record in caplog.records)
    assert drawable(pdf, "Łąka") == "Łąka"


def test_the_subject_access_pdf_shows_each_persons_data_as_typed() -> None:
    document = {
        "request": {"produced_at": NOW.isoformat(), "law": "UK GDPR Article 15"},
        "cases": [{"case_reference": "ASB-2026-000123", "your_role": "reporter",
                   "report": {"your_details": {"name": "Łucja Wąsowska",
                                               "address": "ул. Ленина 5, Москва"},
                              "what_happened": "موسيقى عالية كل ليلة"}}],
    }
    pdf = export_pdf(document)
    lines = text_lines(pdf)
    assert "name: Łucja Wąsowska" in [line.strip() for line in lines]
    assert "address: ул. Ленина 5, Москва" in [line.strip() for line in lines]
    assert fonts(pdf)["NotoNaskhArabic"] is True
    arabic = next(line for line in lines if "what happened" in line)
    assert letters(arabic.split(":", 1)[1]) == letters("موسيقى عالية كل ليلة")
