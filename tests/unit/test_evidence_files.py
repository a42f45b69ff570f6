"""A file's check, shared by a reporter's files and an officer's witness statement files
(asb.case.evidence_files): kept only when its content is of the kind's types and its size
within the kind's largest; a statement takes a PDF, JPEG, PNG or HEIC, never a recording."""

from __future__ import annotations

import pytest

from asb.case.evidence_files import STATEMENT, Check, check_problem
from asb.policy.config import STATEMENT_FILE_KINDS
from asb.tracking.sniffing import sniffed_type

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00"


@pytest.mark.parametrize("head", [PDF, HEIC, PNG, JPEG])
def test_a_statement_file_of_a_scan_photo_or_pdf_is_kept(head: bytes) -> None:
    assert check_problem(STATEMENT, Check(sniffed_type(head), 1000)) is None


@pytest.mark.parametrize(("check", "reason"), [
    (Check(sniffed_type(MP3), 1000), "did not look like a signed statement"),
    (Check(None, 1000), "did not look like a signed statement"),
    (Check("application/pdf", STATEMENT_FILE_KINDS[1] + 1), "larger than 20 MB"),
    (Check("application/pdf", 0), "empty"),
    (Check(None, None), "did not receive a file"),
])
def test_a_statement_file_is_refused_with_the_reason(check: Check, reason: str) -> None:
    assert reason in str(check_problem(STATEMENT, check))


def test_a_reporters_photo_is_still_checked_against_its_own_kind() -> None:
    assert check_problem("image", Check(sniffed_type(PNG), 1000)) is None
    assert "did not look like a photo" in str(check_problem("image", Check("application/pdf",
                                                                          1000)))
