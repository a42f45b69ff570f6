"""Each landlord's shipped JSON and the published JSON Schema are what `python -m infra.policy`
makes from the YAML and the model (issue 24), and `build` refuses a document with mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asb.policy.document import json_schema
from infra.policy import LANDLORDS, SCHEMA, as_text, build, built, main


@pytest.mark.parametrize("document", sorted(LANDLORDS.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_landlords_json_is_built_from_its_yaml(document: Path) -> None:
    shipped = document.with_suffix(".json")
    assert shipped.exists(), f"run `python -m infra.policy build {document}`"
    assert shipped.read_text() == built(document), f"run `python -m infra.policy build {document}`"


def test_the_seed_landlord_is_there() -> None:
    assert (LANDLORDS / "magna.yaml").exists()


def test_the_published_schema_is_the_models() -> None:
    assert SCHEMA.read_text() == as_text(json_schema()), "run `python -m infra.policy schema`"
    assert json.loads(SCHEMA.read_text())["properties"]["case_review"]


def test_build_writes_the_json_beside_the_yaml(tmp_path: Path) -> None:
    document = tmp_path / "fen.yaml"
    document.write_text((LANDLORDS / "magna.yaml").read_text().replace(
        "version: magna-2026.1", "version: fen-2027.1"))
    assert main(["build", str(document)]) == 0
    assert json.loads((tmp_path / "fen.json").read_text())["version"] == "fen-2027.1"


def test_build_refuses_a_document_with_mistakes_naming_each(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "bad.yaml"
    document.write_text((LANDLORDS / "magna.yaml").read_text()
                        .replace("qualifying_complaints: 3", "qualifying_complaints: 4")
                        .replace("weight: 5", "weight: -5", 1))
    assert build([document]) == 1
    assert not (tmp_path / "bad.json").exists()
    err = capsys.readouterr().err
    assert "  risk.questions.hate_motive.weight: Input should be greater than or equal to 0" in err
    assert "  case_review.qualifying_complaints: the ASB Case Review threshold" in err
