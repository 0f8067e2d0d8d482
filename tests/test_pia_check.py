"""Validating PIAs: the passing_*/failing_* fixtures, the project's own PIA, failing closed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from macip_gov.engine import EmbeddedEngine
from macip_gov.errors import InvalidInputError, PolicyError
from macip_gov.pia.check import policy_input, validate_path, validate_pia
from macip_gov.pia.store import load_pia
from macip_gov.policyset import load_policy_set

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TODAY = date(2026, 11, 25)


def _fixtures(outcome: str) -> list[Path]:
    return sorted(DATA.glob(f"{outcome}_pia_*.yaml"))


@pytest.mark.parametrize("path", _fixtures("passing"), ids=lambda p: p.stem)
def test_passing_fixture_is_valid(path, engine):
    result = validate_path(path, engine, today=TODAY)
    assert result.violations == []
    assert result.valid is True


@pytest.mark.parametrize("path", _fixtures("failing"), ids=lambda p: p.stem)
def test_failing_fixture_fails_with_its_expected_error(path, engine, monkeypatch):
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").strip()
    monkeypatch.chdir(ROOT)
    relative = path.relative_to(ROOT)
    try:
        result = validate_path(relative, engine, today=TODAY)
    except InvalidInputError as exc:
        assert expected in exc.one_line()
        return
    lines = [f"DENY {v.id}: {v.msg}" for v in result.violations]
    assert result.valid is False
    assert expected in lines


def test_every_failing_fixture_has_an_expected_excerpt():
    fixtures = _fixtures("failing")
    assert len(fixtures) >= 15
    assert all(p.with_suffix(".expected").exists() for p in fixtures)


def test_project_pia_is_valid_signed_and_warning_free(engine):
    result = validate_path(ROOT / "pia", engine, today=TODAY)
    assert (result.valid, result.violations, result.warnings) == (True, [], [])
    assert result.signoff.state.value == "current"
    assert set(result.ratings) == {f"R0{n}" for n in range(1, 10)}


def test_project_pia_removing_a_high_risk_mitigation_names_the_rule(engine, tmp_path):
    shutil.copy(ROOT / "pia" / "macip.yaml", tmp_path / "macip.yaml")
    data = yaml.safe_load((tmp_path / "macip.yaml").read_text(encoding="utf-8"))
    r02 = next(r for r in data["risks"] if r["id"] == "R02")
    assert (r02["likelihood"], r02["consequence"]) == (2, 4)  # high
    r02["mitigations"] = []
    (tmp_path / "macip.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = validate_path(tmp_path, engine, today=TODAY)
    assert result.valid is False
    assert [(v.id, v.msg) for v in result.violations] == [
        ("pia.risks.unmitigated_high", "risk R02 is rated high but has no mitigation with an owner and a due date"),
        (
            "pia.signoff.changed_since_signoff",
            "changed since sign-off by MACIP Governance Group (Chair, MACIP Governance Group) on 2026-11-25",
        ),
    ]


def test_ratings_come_from_the_policy_matrix(engine):
    pia = load_pia(DATA / "passing_pia_minimal.yaml")
    result = validate_pia(pia, engine, today=TODAY)
    assert result.ratings["R01"].model_dump() == {"inherent": "high", "residual": "medium"}
    assert result.rating_matrix[3] == ["medium", "high", "extreme", "extreme"]
    assert result.warnings[0].id == "pia.signoff.none"


def test_policy_input_carries_content_hash_and_date():
    pia = load_pia(DATA / "passing_pia_minimal.yaml")
    doc = policy_input(pia, TODAY)
    assert doc["today"] == "2026-11-25"
    assert doc["content_hash"] == pia.content_hash()
    assert doc["pia"]["id"] == "TEST-PIA"


def test_date_decides_the_review_rule(engine):
    pia = load_pia(DATA / "passing_pia_minimal.yaml")
    assert validate_pia(pia, engine, today=date(2027, 6, 30)).valid is True
    late = validate_pia(pia, engine, today=date(2027, 7, 1))
    assert [v.id for v in late.violations] == ["pia.review.overdue"]


def _engine_with(tmp_path: Path, rego: str) -> EmbeddedEngine:
    (tmp_path / "pia" / "validate").mkdir(parents=True)
    (tmp_path / "pia" / "validate" / "validate.rego").write_text(rego, encoding="utf-8")
    return EmbeddedEngine(load_policy_set(tmp_path))


def test_malformed_decision_fails_closed(tmp_path):
    eng = _engine_with(tmp_path, 'package pia.validate\n\ndecision := {"deny": []}\n')
    try:
        with pytest.raises(PolicyError, match="malformed decision"):
            validate_pia(load_pia(DATA / "passing_pia_minimal.yaml"), eng, today=TODAY)
    finally:
        eng.close()


def test_undefined_decision_fails_closed(tmp_path):
    eng = _engine_with(tmp_path, "package pia.validate\n\nother := 1\n")
    try:
        with pytest.raises(PolicyError, match="undefined"):
            validate_pia(load_pia(DATA / "passing_pia_minimal.yaml"), eng, today=TODAY)
    finally:
        eng.close()
