"""Reading back what a PDF the service wrote says: its text (pypdf, through each font's ToUnicode
map), its fonts, its pages."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

from pypdf import PdfReader


def text_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Each font's name (without its subset tag) and whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            described = descendant[0].get_object() if descendant else font
            descriptor = described.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return found


def letters(text: str) -> Counter[str]:
    """The characters of a text less spaces and unmapped glyph codes: a shaped line (Arabic
    joined, Bengali vowels moved before their consonant) comes out in the order it is drawn,
    so only which characters it has, and how many of each, can be compared with what was typed."""
    return Counter(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


def font_sizes(pdf: bytes) -> set[float]:
    sizes: set[float] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        content = page.get_contents()
        assert content is not None
        sizes |= {float(size) for size in re.findall(rb"/F\d+ ([\d.]+) Tf", content.get_data())}
    return sizes
