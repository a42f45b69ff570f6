"""The time to write one letter (the closure letter as a PDF), by the script of the name and
address: Noto Sans alone, with harfbuzz shaping, with the Chinese fallback font; beside the
built-in Helvetica the letters used before they embedded fonts (Latin-1 only, the rest as '?').

Run: `.venv/bin/python -m bench.letters` (also part of `make bench`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from asb.notifications.channels import letter_pdf
from asb.notifications.render import Rendered, render
from infra.local.template import ROOT

RUNS = 7
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CONTEXT = {"reference": "ASB-2026-000123", "landlord": "The ASB team", "phone": "0300 123 4567",
           "first_name": "Alex", "outcome": "The behaviour has stopped",
           "reasons": "No more reports for six weeks.", "case_review_url": "https://example.org/r",
           "complaints_url": "https://example.org/c", "survey_url": "https://example.org/s"}
BEFORE = "English, built-in Helvetica (before)"
ENGLISH = ("Alex Morgan", "12 Orchard Close, Yeovil, BA20 1AB")
ADDRESSEES_BY_LABEL = {
    "English": (*ENGLISH, False),
    "English, large print": (*ENGLISH, True),
    "Polish, Cyrillic": ("Łucja Wąsowska", "Łąka, ул. Ленина 5, Yeovil, BA20 1AB", False),
    "Arabic (shaped)": ("محمد عبدالله", ENGLISH[1], False),
    "Bengali (shaped)": ("রহিম উদ্দিন", ENGLISH[1], False),
    "Chinese (fallback font)": ("王小明", ENGLISH[1], False),
}


def helvetica_letter(name: str, address: str, rendered: Rendered) -> bytes:
    """The letter as it was drawn before: built-in Helvetica, Latin-1 only."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for line, style in [(name, ""), *[(part, "") for part in address.split(",")],
                        (rendered.subject, "B"), (rendered.text, "")]:
        pdf.set_font("Helvetica", style=style, size=12)
        safe = line.strip().encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 6.6, safe, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def write(label: str) -> bytes:
    """One letter to the addressee of this label."""
    rendered = render("closure", "letter", CONTEXT)
    if label == BEFORE:
        return helvetica_letter(*ENGLISH, rendered)
    name, address, large_print = ADDRESSEES_BY_LABEL[label]
    return letter_pdf(name, address, rendered, NOW, large_print)


def warm_ms(label: str) -> float:
    write(label)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        write(label)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def fresh_ms(label: str) -> float:
    """The first letter of a new process that has imported what the notifier imports."""
    program = ("import time, sys; from bench.letters import write; t = time.perf_counter(); "
               f"write({label!r}); sys.stdout.write(str(time.perf_counter() - t))")
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return float(done.stdout) * 1000


def main() -> None:
    print(f"letters: the closure letter as a PDF, median of {RUNS} in a warm process, and the "
          "first in a fresh one (imports fpdf2, reads the fonts)")
    print(f"  {'addressee':<40} {'warm':>7}  {'first':>7}  {'PDF':>6}")
    for label in [BEFORE, *ADDRESSEES_BY_LABEL]:
        size = len(write(label)) / 1e3
        print(f"  {label:<40} {warm_ms(label):4.0f} ms  {fresh_ms(label):4.0f} ms  {size:3.0f} KB")


if __name__ == "__main__":
    main()
