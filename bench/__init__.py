"""Benchmarks that print figures (`make bench`); never asserted as timed tests."""

import sys
from pathlib import Path

# The PDF layer's package (asb_pdf), on the path as Lambda and the tests put it; shared/ is installed.
_PDF_LAYER = str(Path(__file__).resolve().parents[1] / "pdf")
if _PDF_LAYER not in sys.path:
    sys.path.append(_PDF_LAYER)
