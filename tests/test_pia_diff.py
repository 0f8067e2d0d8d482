"""Field-level diffs between PIA versions."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from macip_gov.errors import InvalidInputError
from macip_gov.pia.diff import ChangeKind, describe, diff_pia, diff_versions, field_changes
from macip_gov.pia.models import Action, Flow, Mitigation
from macip_gov.pia.store import load_pia, revise, sign_off

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
T1 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _with(model, **changes):
    """A validated copy with some fields changed."""
    return type(model).model_validate({**model.model_dump(), **changes})


def _base():
    return load_pia(MINIMAL)


def _summary(diff):
    return [(c.section, c.id, c.change.value, [f.path for f in c.fields]) for c in diff.changes]


def test_identical_versions_have_no_changes():
    d = diff_pia(_base(), _base())
    assert d.changes == []
    assert d.same_content


def test_flow_added_removed_and_changed():
    old = _base()
    flow = old.flows[0]
    new_flow = Flow.model_validate(
        dict(
            flow.model_dump(),
            id="F02",
            name="Second",
            to_agency="police",
            from_agency="health",
            legal_basis=["Health Information Privacy Code 2020 r11(1)(b)"],
        )
    )
    changed = _with(flow, categories=[*flow.categories[:2]], retention="10 years.")
    new = _with(old, flows=[changed, new_flow])
    d = diff_pia(old, new, old_label="r1", new_label="working")
    assert (d.old, d.new) == ("r1", "working")
    assert _summary(d) == [
        ("flows", "F01", "changed", ["categories", "retention"]),
        ("flows", "F02", "added", []),
    ]
    categories = d.changes[0].fields[0]
    assert (categories.added, categories.removed) == ([], ["mental_health"])
    assert categories.old == ["contact", "identity", "mental_health"]
    assert categories.new == ["contact", "identity"]
    assert d.changes[0].fields[1].model_dump() == {
        "path": "retention",
        "old": "7 years.",
        "new": "10 years.",
        "added": None,
        "removed": None,
    }
    removed = diff_pia(new, old)
    assert _summary(removed)[1] == ("flows", "F02", "removed", [])
    assert removed.changes[1].label == "Second"


def test_mitigations_are_compared_on_their_own():
    old = _base()
    risk = old.risks[0]
    extra = Mitigation(id="M02", description="Training.", owner="HR", due="2027-02-01")
    edited = _with(risk.mitigations[0], status="implemented")
    new_risk = _with(risk, mitigations=[edited, extra], residual_likelihood=1)
    new = _with(old, risks=[new_risk])
    d = diff_pia(old, new)
    assert _summary(d) == [
        ("risks", "R01", "changed", ["residual_likelihood"]),
        ("mitigations", "M01", "changed", ["status"]),
        ("mitigations", "M02", "added", []),
    ]
    assert [c.parent for c in d.changes] == [None, "R01", "R01"]
    assert describe(d) == [
        "~ risks R01: residual_likelihood 2 -> 1",
        "~ mitigations M01 (risk R01): status in_progress -> implemented",
        "+ mitigations M02 (risk R01): Training.",
    ]


def test_actions_and_single_sections():
    old = _base()
    action = Action(id="A02", action="Audit.", owner="Assurance", due="2027-05-01")
    new = _with(
        old,
        actions=[action],
        recommendations=[_with(old.recommendations[0], response="declined")],
        review=_with(old.review, next_review="2027-12-31"),
        title="Renamed PIA",
    )
    d = diff_pia(old, new)
    assert _summary(d) == [
        ("document", "document", "changed", ["title"]),
        ("review", "review", "changed", ["next_review"]),
        ("recommendations", "REC01", "changed", ["response"]),
        ("actions", "A01", "removed", []),
        ("actions", "A02", "added", []),
    ]
    lines = describe(d)
    assert lines[0] == "~ document: title Test programme PIA -> Renamed PIA"
    assert lines[-2:] == ["- actions A01: Turn on access logging.", "+ actions A02: Audit."]


def test_nested_field_paths():
    assert [f.path for f in field_changes({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}, "d": 4})] == ["a.c", "d"]


def test_diff_versions_by_number_latest_working_and_signed(tmp_path):
    d = tmp_path / "pia"
    d.mkdir()
    shutil.copy(MINIMAL, d / "macip.yaml")
    revise(d, author="a", message="one", now=T1)
    sign_off(d, by="Jo", role="Chair", now=T1)
    text = (d / "macip.yaml").read_text(encoding="utf-8").replace("retention: 7 years.", "retention: 9 years.")
    (d / "macip.yaml").write_text(text, encoding="utf-8")
    revise(d, author="a", message="three", now=T1)
    assert _summary(diff_versions(d, "1", "2")) == [("signoffs", "2026-11-20T09:00:00Z", "added", [])]
    assert _summary(diff_versions(d, "r2", "latest")) == [("flows", "F01", "changed", ["retention"])]
    signed = diff_versions(d, "signed", "working")
    assert (signed.old, signed.new) == ("r2", "working")
    assert _summary(signed) == [("flows", "F01", "changed", ["retention"])]
    assert diff_versions(d, "latest", "working").changes == []
    with pytest.raises(InvalidInputError, match="cannot read 'yesterday' as a version"):
        diff_versions(d, "yesterday", "working")
    with pytest.raises(InvalidInputError, match="no revision 9"):
        diff_versions(d, "9", "working")


def test_change_kinds_are_strings():
    assert [k.value for k in ChangeKind] == ["added", "removed", "changed"]
