"""The loggers' last line of defence: a field that could carry personal data is masked by
Powertools' data masking before the line is written; everything else passes untouched."""

from __future__ import annotations

import io
import json

from asb.kernel.logs import sensitive_paths, service_logger


def test_a_sensitive_field_is_masked_wherever_it_is() -> None:
    logger = service_logger()
    lines = io.StringIO()
    logger.registered_handler.setStream(lines)
    logger.info("fine", extra={"reference": "ASB-2026-000001", "outcome": "sent"})
    logger.info("careless", extra={"email": "alex.morgan@example.org",
                                   "attempt": {"to": [{"phone": "07700 900123"}], "n": 2}})
    fine, careless = (json.loads(line) for line in lines.getvalue().splitlines())
    assert fine["reference"] == "ASB-2026-000001" and fine["outcome"] == "sent"
    assert careless["email"] == "*****" and careless["attempt"]["to"][0]["phone"] == "*****"
    assert careless["attempt"]["n"] == 2
    assert "alex.morgan" not in lines.getvalue() and "07700" not in lines.getvalue()


def test_records_without_sensitive_fields_need_no_masking() -> None:
    assert sensitive_paths({"message": "report accepted", "reference": "ASB-2026-000001",
                            "function_name": "intake"}) == []
