"""The fonts the service's PDFs embed (letters, subject access), copied from Debian's Noto
packages into pdf/asb_pdf/fonts/ so that the PDF layer carries them and a fresh clone needs no
system fonts.

`apt-get install fonts-noto-core fonts-noto-cjk`, then `python -m infra.fonts`. The script
fonts are copied as Debian ships them; the Chinese one is Noto Sans CJK SC cut down to the
ideographs (URO and extension A), CJK punctuation, kana and full-width forms, with no layout
tables and no hinting: 6.6 MB instead of the collection's 19. The Korean one is Noto Sans CJK
KR cut the same way to Hangul (syllables and jamo): 1.1 MB.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from infra.local.template import ROOT

FONTS = ROOT / "pdf" / "asb_pdf" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_SC_FACE = 2  # JP, KR, SC, TC, HK, then the monospaced faces
COPIED = [
    "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoNaskhArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf", "NotoSansBengali-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
    "NotoSansGurmukhi-Regular.ttf", "NotoSansGujarati-Regular.ttf", "NotoSansTamil-Regular.ttf",
    "NotoSansEthiopic-Regular.ttf", "NotoSansThai-Regular.ttf", "NotoSansSinhala-Regular.ttf",
    "NotoSansArmenian-Regular.ttf", "NotoSansGeorgian-Regular.ttf", "NotoSansTelugu-Regular.ttf",
]
CJK_FILE = "NotoSansCJKsc-Regular-subset.otf"
CJK_RANGES = [(0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]
KOREAN_FACE = 1
KOREAN_FILE = "NotoSansCJKkr-Regular-hangul.otf"
KOREAN_RANGES = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)]


def cut_cjk(target: Path, face: int = CJK_SC_FACE,
            ranges: list[tuple[int, int]] = CJK_RANGES) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(CJK_COLLECTION)).fonts[face]
    options = subset.Options()
    options.layout_features = []  # horizontal text needs none of them
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    options.hinting = False  # for screens at small sizes; print does not need it
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in ranges for c in range(low, high + 1)])
    subsetter.subset(font)
    font.save(str(target))


def main() -> None:
    FONTS.mkdir(exist_ok=True)
    for name in COPIED:
        shutil.copyfile(NOTO / name, FONTS / name)
    cut_cjk(FONTS / CJK_FILE)
    cut_cjk(FONTS / KOREAN_FILE, KOREAN_FACE, KOREAN_RANGES)
    for path in sorted(FONTS.iterdir()):
        print(f"{path.stat().st_size / 1e3:8.0f} KB  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
