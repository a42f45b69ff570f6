"""The court bundle drawn as one PDF through the PDF layer that draws letters (asb_pdf, fpdf2):
a cover (case, court, hearing, respondent), an index giving the page each part starts on, the
exhibit schedule, then each exhibit from a new page; "Page n of N" at the foot of every page.
A checked photo fpdf2 can draw (JPEG, PNG, GIF, WebP) is embedded; any other file (a HEIC
photo, a sound recording, a video) is listed with its checked type and size, not reproduced."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asb.case.targets import LONDON, local_day, long_date
from asb.enforcement.bundles import CourtBundle, Exhibit, size_words
from asb_pdf import FAMILY, drawable, unicode_pdf

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.outline import OutlineSection

_INDEX_LINES_A_PAGE = 30  # index lines that fit a page, with its heading
_NAME_IN_INDEX = 80  # characters of a part's name the index shows
ReadFile = Callable[[str], bytes]  # a checked file's bytes, by its object key

THIRD_PARTIES_NOTE = (
    "People other than the respondent - reporters, witnesses and other residents - are named "
    "by a label that stays the same throughout this bundle (for example [Resident A]); their "
    "names, addresses, email addresses and phone numbers are not shown. Staff are named. "
    "Photographs are reproduced as they were received and checked.")


@dataclass(frozen=True)
class DrawnBundle:
    pdf: bytes
    pages: int


def _write(pdf: FPDF, text: str, size: float = 11, bold: bool = False) -> None:
    pdf.set_font(FAMILY, style="B" if bold else "", size=size)
    pdf.multi_cell(0, size * 0.5, drawable(pdf, text), new_x="LMARGIN", new_y="NEXT")


def hearing_words(bundle: CourtBundle) -> str:
    at = bundle.hearing.at.astimezone(LONDON)
    return f"{long_date(at.date())} at {at:%H:%M} ({bundle.hearing.purpose} hearing)"


def bundle_pdf(bundle: CourtBundle, read_file: ReadFile) -> DrawnBundle:
    pdf = unicode_pdf()  # imports fpdf2: only when a bundle is drawn
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)

    def footer() -> None:
        pdf.set_y(-15)
        pdf.set_font(FAMILY, size=9)
        pdf.cell(0, 10, f"{bundle.case_reference} court bundle - Page {pdf.page_no()} of {{nb}}",
                 align="C")

    pdf.footer = footer  # type: ignore[method-assign]
    _cover(pdf, bundle)
    index_page = pdf.page + 1
    pdf.insert_toc_placeholder(lambda drawn, outline: _index(drawn, outline, index_page),
                               pages=math.ceil((len(bundle.exhibits) + 3) / _INDEX_LINES_A_PAGE))
    _schedule(pdf, bundle)
    for exhibit in bundle.exhibits:
        _exhibit(pdf, exhibit, read_file)
    drawn = bytes(pdf.output())
    return DrawnBundle(drawn, pdf.pages_count)


def _cover(pdf: FPDF, bundle: CourtBundle) -> None:
    pdf.add_page()
    pdf.start_section("Cover")
    _write(pdf, f"In the {bundle.hearing.court}", 14, True)
    pdf.ln(6)
    _write(pdf, "Court bundle", 22, True)
    pdf.ln(4)
    for label, value in (("Case reference", bundle.case_reference),
                         ("Application", bundle.measure_name),
                         ("Respondent", bundle.respondent),
                         ("Hearing", hearing_words(bundle)),
                         ("Exhibits", f"{len(bundle.exhibits)}, produced by {bundle.made_by}"),
                         ("Prepared", long_date(local_day(bundle.made_at)))):
        _write(pdf, label, 11, True)
        _write(pdf, value, 12)
        pdf.ln(2)
    pdf.ln(6)
    _write(pdf, THIRD_PARTIES_NOTE, 10)


def _index(pdf: FPDF, outline: list[OutlineSection], index_page: int) -> None:
    pdf.set_x(pdf.l_margin)
    _write(pdf, "Index", 16, True)
    pdf.ln(2)
    pdf.set_font(FAMILY, size=11)
    rows = [(s.name, s.page_number) for s in outline]
    rows.insert(1, ("Index", index_page))
    for name, page in rows:
        shown = name if len(name) <= _NAME_IN_INDEX else name[:_NAME_IN_INDEX - 1] + "…"
        pdf.cell(150, 7, drawable(pdf, shown))
        pdf.cell(0, 7, f"page {page}", align="R", new_x="LMARGIN", new_y="NEXT")


def _file_words(exhibit: Exhibit) -> str | None:
    file = exhibit.file
    if file is None:
        return None
    shown = "reproduced in this bundle" if file.drawn else "listed only, not reproduced on paper"
    return f"{file.content_type}, {size_words(file.size)} ({shown})"


def _schedule(pdf: FPDF, bundle: CourtBundle) -> None:
    pdf.add_page()
    pdf.start_section("Exhibit schedule")
    _write(pdf, "Exhibit schedule", 16, True)
    pdf.ln(2)
    for exhibit in bundle.exhibits:
        _write(pdf, f"{exhibit.number}  {exhibit.what}", 11, True)
        facts = [f"Date: {long_date(exhibit.on) if exhibit.on else 'not dated'}",
                 f"Source: {exhibit.source}"]
        file = _file_words(exhibit)
        _write(pdf, "; ".join([*facts, *([f"File: {file}"] if file else [])]), 10)
        pdf.ln(2)


def _exhibit(pdf: FPDF, exhibit: Exhibit, read_file: ReadFile) -> None:
    pdf.add_page()
    pdf.start_section(f"{exhibit.number} {exhibit.what}")
    _write(pdf, f"Exhibit {exhibit.number}", 16, True)
    _write(pdf, exhibit.what, 12, True)
    _write(pdf, f"Date: {long_date(exhibit.on) if exhibit.on else 'not dated'}. "
                f"Source: {exhibit.source}.", 10)
    pdf.ln(3)
    for heading, text in exhibit.lines:
        _write(pdf, heading, 11, True)
        _write(pdf, text or "-", 11)
        pdf.ln(1)
    if exhibit.file is not None:
        _file(pdf, exhibit, read_file)


def _file(pdf: FPDF, exhibit: Exhibit, read_file: ReadFile) -> None:
    file = exhibit.file
    assert file is not None
    if file.drawn:
        from fpdf.errors import FPDFException

        try:
            pdf.image(io.BytesIO(read_file(file.object_key)), w=pdf.epw,
                      h=pdf.h - pdf.b_margin - pdf.get_y() - 2, keep_aspect_ratio=True)
            return
        except (FPDFException, ValueError, OSError) as error:  # content fpdf2 cannot draw
            _write(pdf, f"This photo could not be drawn ({type(error).__name__}); it is kept as "
                        "checked and can be produced.", 10)
            return
    _write(pdf, f"This file ({file.content_type}, {size_words(file.size)}) is not reproduced on "
                "paper: it is kept as checked and can be produced at the hearing.", 10)
