"""The PDF layer: embedded Unicode fonts for the PDFs the service writes (letters, subject access),
so that a name or an address comes out as typed in the scripts residents of England use. Only
the functions that write PDFs carry this package, fpdf2 and uharfbuzz (template.yaml's PdfLayer).

Noto Sans draws Latin (with Vietnamese), Greek and Cyrillic, in regular and bold; every other
script (Arabic, Hebrew, Bengali, Devanagari, Gurmukhi, Gujarati, Tamil, Telugu, Sinhala, Thai,
Ethiopic, Armenian, Georgian, Chinese and Japanese kana, Korean Hangul) has a fallback font
(regular only, in bold text too), added to a PDF only when its text uses that script: parsing
the Chinese font costs about 0.3 s. Harfbuzz shapes the text (joins Arabic, reorders Indic
vowels, lays out right to left, places combining marks) only once the text needs it, as shaping
doubles the time to lay out a letter. A character no font has is drawn as U+FFFD, never left
out; `exactly` refuses it instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "NotoSans"
REPLACEMENT = "\ufffd"


class NoFont(ValueError):
    """A character none of the embedded fonts can draw."""


@dataclass(frozen=True)
class ScriptFont:
    family: str
    file: str
    ranges: tuple[tuple[int, int], ...]
    shaped: bool  # joined, reordered or right to left: drawn right only through harfbuzz

    def covers(self, character: str) -> bool:
        return any(low <= ord(character) <= high for low, high in self.ranges)


# Tried in this order for a character Noto Sans lacks.
SCRIPT_FONTS = (
    ScriptFont("NotoNaskhArabic", "NotoNaskhArabic-Regular.ttf",  # Arabic, Urdu, Persian
               ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                (0xFE70, 0xFEFF)), True),
    ScriptFont("NotoSansHebrew", "NotoSansHebrew-Regular.ttf",
               ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)), True),
    ScriptFont("NotoSansBengali", "NotoSansBengali-Regular.ttf", ((0x0980, 0x09FF),), True),
    ScriptFont("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf",
               ((0x0900, 0x097F), (0xA8E0, 0xA8FF)), True),
    ScriptFont("NotoSansGurmukhi", "NotoSansGurmukhi-Regular.ttf", ((0x0A00, 0x0A7F),), True),
    ScriptFont("NotoSansGujarati", "NotoSansGujarati-Regular.ttf", ((0x0A80, 0x0AFF),), True),
    ScriptFont("NotoSansTamil", "NotoSansTamil-Regular.ttf", ((0x0B80, 0x0BFF),), True),
    ScriptFont("NotoSansTelugu", "NotoSansTelugu-Regular.ttf", ((0x0C00, 0x0C7F),), True),
    ScriptFont("NotoSansSinhala", "NotoSansSinhala-Regular.ttf",
               ((0x0D80, 0x0DFF), (0x111E0, 0x111FF)), True),
    ScriptFont("NotoSansThai", "NotoSansThai-Regular.ttf", ((0x0E00, 0x0E7F),), True),
    ScriptFont("NotoSansEthiopic", "NotoSansEthiopic-Regular.ttf",  # Tigrinya, Amharic
               ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)), False),
    ScriptFont("NotoSansArmenian", "NotoSansArmenian-Regular.ttf",
               ((0x0530, 0x058F), (0xFB13, 0xFB17)), False),
    ScriptFont("NotoSansGeorgian", "NotoSansGeorgian-Regular.ttf",
               ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)), False),
    ScriptFont("NotoSansKorean", "NotoSansCJKkr-Regular-hangul.otf",  # Hangul
               ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)), False),
    ScriptFont("NotoSansCJK", "NotoSansCJKsc-Regular-subset.otf",  # Chinese; Japanese kana
               ((0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)), False),
)


def unicode_pdf() -> FPDF:
    """An A4 document with Noto Sans, regular and bold, as `FAMILY`."""
    from fpdf import FPDF  # heavy: imported only when a PDF is written

    class FallbackFirstPDF(FPDF):
        """fpdf2 (2.8.9) sets the page's font inside a line whose first glyph comes from a
        fallback font; when that line is wrapped in q/Q (it ends in the fallback font) the font
        is lost, and the next lines on the page are drawn with none (no text at all in most
        viewers). Here it is set on the page before the line, as for any other first line."""

        def _set_font_for_page(self, font: Any, font_size_pt: float,
                               wrap_in_text_object: bool = True) -> str:
            if wrap_in_text_object or self.current_font_is_set_on_page:
                return super()._set_font_for_page(font, font_size_pt, wrap_in_text_object)
            self._out(super()._set_font_for_page(font, font_size_pt))
            return ""

    pdf = FallbackFirstPDF(format="A4")
    pdf.add_font(FAMILY, "", FONTS / "NotoSans-Regular.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "NotoSans-Bold.ttf")
    return pdf


def drawable(pdf: FPDF, text: str) -> str:
    """Get `pdf` ready to draw `text` (the fonts of its scripts, shaping if it needs it) and
    return the text with any character no font has as U+FFFD: fpdf2 would leave it out, and
    name it in a log line."""
    characters = set(text)
    needed = [font for font in SCRIPT_FONTS if any(font.covers(c) for c in characters)]
    missing = [font for font in needed if font.family.lower() not in pdf.fonts]
    for font in missing:
        pdf.add_font(font.family, "", FONTS / font.file)
    if missing:
        pdf.set_fallback_fonts([font.family for font in SCRIPT_FONTS
                                if font.family.lower() in pdf.fonts], exact_match=False)
    if pdf.text_shaping is None and (any(font.shaped for font in needed)
                                     or any(unicodedata.combining(c) for c in characters)):
        pdf.set_text_shaping(True)
    from fpdf.fonts import TTFFont

    cmaps = [font.cmap for font in pdf.fonts.values() if isinstance(font, TTFFont)]
    undrawable = {c for c in characters
                  if c != "\n" and not any(ord(c) in cmap for cmap in cmaps)}
    if not undrawable:
        return text
    return "".join(REPLACEMENT if c in undrawable else c for c in text)


def exactly(pdf: FPDF, text: str) -> str:
    """`drawable`, for text that must be printed as typed (a name, an address), or not at all."""
    safe = drawable(pdf, text)
    if safe != text:
        raise NoFont("a character has no font")
    return safe
