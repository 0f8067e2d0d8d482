"""Checking Terms of Reference specs through the real policy engine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import write_tree

from macip_gov.engine import EmbeddedEngine
from macip_gov.errors import InvalidInputError, PolicyError
from macip_gov.governance import (
    check_tor,
    current_pia_id,
    evaluate_specs,
    load_specs,
    policy_input,
)
from macip_gov.governance.models import Violation
from macip_gov.policyset import load_policy_set

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples" / "governance"
GG = EXAMPLES / "macip-governance-group.yaml"
WG = EXAMPLES / "macip-working-group.yaml"


@pytest.fixture
def pia_dir(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "pia", {"macip.yaml": "schema_version: 1\nid: MACIP-PIA\ntitle: x\n"})


def _spec_text(path: Path, **changes: object) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for key in parents:
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_both_examples_pass_together(engine, pia_dir):
    report = check_tor([GG, WG], engine=engine, pia_dir=pia_dir)
    assert report.passed is True
    assert [(b.body, b.passed, b.violations, b.warnings) for b in report.bodies] == [
        ("macip-governance-group", True, [], []),
        ("macip-working-group", True, [], []),
    ]
    assert report.references == []
    assert report.violations == []
    assert report.current_pia == "MACIP-PIA"
    assert report.policy_revision == engine.revision


def test_working_group_alone_reads_its_governance_group_as_a_reference(engine, pia_dir):
    report = check_tor([WG], engine=engine, pia_dir=pia_dir)
    assert report.passed is True
    assert [b.body for b in report.bodies] == ["macip-working-group"]
    assert report.references == [str(GG)]


def test_examples_name_the_repository_pia(engine):
    # The examples name the PIA kept in pia/macip.yaml; the check reads its id.
    assert current_pia_id(ROOT / "pia") == "MACIP-PIA"
    assert check_tor([GG, WG], engine=engine, pia_dir=ROOT / "pia").passed is True


def test_quorum_larger_than_membership_fails(engine, pia_dir):
    report = check_tor([DATA / "failing_tor_quorum_too_large.yaml"], engine=engine, pia_dir=pia_dir)
    assert report.passed is False
    assert report.bodies[0].violations == [
        Violation(
            id="governance.tor.quorum_too_large",
            msg="the quorum of 3 is more than the 2 voting members",
            details={"body": "privacy-advisory-group", "quorum": 3, "voting_members": 2},
            effect="deny",
        )
    ]


def test_one_failing_body_fails_the_check_but_not_the_other(engine, pia_dir):
    report = check_tor([GG, DATA / "failing_tor_no_conflicts_clause.yaml"], engine=engine, pia_dir=pia_dir)
    assert report.passed is False
    assert [(b.body, b.passed) for b in report.bodies] == [
        ("macip-governance-group", True),
        ("privacy-advisory-group", False),
    ]
    assert [v.id for v in report.bodies[1].violations] == ["governance.tor.no_conflicts_clause"]


def test_working_group_without_its_governance_group_fails(engine, pia_dir, tmp_path):
    spec = tmp_path / "wg.yaml"
    spec.write_text(_spec_text(WG, authority__reports_to__spec=None), encoding="utf-8")
    report = check_tor([spec], engine=engine, pia_dir=pia_dir)
    assert report.passed is False
    assert [(v.id, v.details) for v in report.bodies[0].violations] == [
        (
            "governance.tor.reports_to_unknown_body",
            {"body": "macip-working-group", "reports_to": "macip-governance-group"},
        )
    ]
    # Checked together with the governance group, the same spec passes.
    assert check_tor([spec, GG], engine=engine, pia_dir=pia_dir).passed is True


def test_working_group_whose_named_spec_is_not_a_governance_group(engine, pia_dir, tmp_path):
    write_tree(
        tmp_path,
        {
            "parent.yaml": _spec_text(GG, id="macip-governance-group", type="advisory_group"),
            "wg.yaml": _spec_text(WG, authority__reports_to__spec="parent.yaml"),
        },
    )
    report = check_tor([tmp_path / "wg.yaml"], engine=engine, pia_dir=pia_dir)
    assert [v.msg for v in report.bodies[0].violations] == [
        "reports to macip-governance-group, whose type is advisory_group, not governance_group"
    ]


def test_missing_parent_spec_names_the_field_and_line(engine, pia_dir, tmp_path):
    spec = tmp_path / "wg.yaml"
    spec.write_text(_spec_text(WG, authority__reports_to__spec="nowhere.yaml"), encoding="utf-8")
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if "nowhere.yaml" in text)
    with pytest.raises(InvalidInputError) as info:
        check_tor([spec], engine=engine, pia_dir=pia_dir)
    assert info.value.one_line() == (
        f"{spec}:{line}: authority.reports_to.spec: file not found: {tmp_path / 'nowhere.yaml'}"
    )


def test_two_specs_with_one_id_are_refused(engine, pia_dir, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(GG.read_text(encoding="utf-8"), encoding="utf-8")
    line = next(n for n, text in enumerate(copy.read_text().splitlines(), 1) if text.startswith("id:"))
    with pytest.raises(InvalidInputError) as info:
        check_tor([GG, copy], engine=engine, pia_dir=pia_dir)
    assert info.value.one_line() == f"{copy}:{line}: id: macip-governance-group is also the id of {GG}"


def test_the_same_file_twice_is_checked_once(engine, pia_dir):
    report = check_tor([GG, GG], engine=engine, pia_dir=pia_dir)
    assert [b.body for b in report.bodies] == ["macip-governance-group"]


def test_no_specs_is_invalid_input(engine, pia_dir):
    with pytest.raises(InvalidInputError, match="no Terms of Reference spec was given"):
        check_tor([], engine=engine, pia_dir=pia_dir)


def test_malformed_spec_names_file_field_and_line(engine, pia_dir):
    path = DATA / "failing_tor_quorum_not_a_number.yaml"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("quorum:"))
    with pytest.raises(InvalidInputError) as info:
        check_tor([path], engine=engine, pia_dir=pia_dir)
    assert info.value.one_line() == (
        f"{path}:{line}: quorum: Input should be a valid integer, unable to parse string as an integer"
    )


# -- the current PIA ------------------------------------------------------------


def test_current_pia_is_the_id_in_macip_yaml(tmp_path):
    write_tree(tmp_path, {"macip.yaml": "# the PIA\nschema_version: 1\nid: MACIP-PIA-2\nflows: []\n"})
    assert current_pia_id(tmp_path) == "MACIP-PIA-2"


def test_no_pia_directory_or_file_means_no_current_pia(tmp_path):
    assert current_pia_id(None) is None
    assert current_pia_id(tmp_path / "absent") is None
    assert current_pia_id(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: no id\n", "id: the PIA has no id"),
        ("id: ''\n", "id: the PIA has no id"),
        ("id: [MACIP]\n", "id: the PIA has no id"),
        ("- MACIP-PIA\n", "id: the PIA has no id"),
        ("id: [unclosed\n", "invalid YAML"),
    ],
)
def test_malformed_pia_is_invalid_input(tmp_path, text, message):
    write_tree(tmp_path, {"macip.yaml": text})
    with pytest.raises(InvalidInputError) as info:
        current_pia_id(tmp_path)
    assert message in info.value.one_line()
    assert info.value.file == str(tmp_path / "macip.yaml")


def test_without_a_current_pia_every_spec_fails(engine, tmp_path):
    report = check_tor([GG, WG], engine=engine, pia_dir=tmp_path)
    assert report.passed is False
    assert report.current_pia is None
    for body in report.bodies:
        assert [(v.id, v.msg) for v in body.violations] == [
            (
                "governance.tor.pia_not_current",
                "no current PIA was found to check information_management.pia against",
            )
        ]


def test_a_new_pia_id_makes_the_examples_stale(engine, tmp_path):
    write_tree(tmp_path, {"macip.yaml": "id: MACIP-PIA-2026\n"})
    report = check_tor([GG], engine=engine, pia_dir=tmp_path)
    assert [v.msg for v in report.bodies[0].violations] == [
        "the information-management section names PIA MACIP-PIA, but the current PIA is MACIP-PIA-2026"
    ]


# -- the policy input and the engine contract --------------------------------------


def test_policy_input_is_json_data_with_bodies_and_references():
    specs = load_specs([WG])
    document = policy_input(specs, "MACIP-PIA")
    assert set(document) == {"bodies", "references", "current_pia"}
    assert [b["id"] for b in document["bodies"]] == ["macip-working-group"]
    assert [b["id"] for b in document["references"]] == ["macip-governance-group"]
    assert document["bodies"][0]["review_date"] == "2022-07-08"
    assert document["bodies"][0]["type"] == "working_group"


def test_quorum_rule_matches_its_definition_for_every_small_body(engine, pia_dir):
    # At least half the voting members and no more than all of them, for 0-9
    # voting members and quorums 0-11, in one evaluation per combination.
    base = load_specs([DATA / "passing_tor_minimal.yaml"]).checked[0].spec.model_dump(mode="json")
    template = base["members"][0]
    for voting in range(10):
        members = [dict(template, role=f"Member {i}", voting=i < voting) for i in range(max(voting, 1))]
        for quorum in range(12):
            body = dict(base, members=members, chair="Member 0", quorum=quorum)
            decision = engine.evaluate(
                "governance.tor.decision",
                {"bodies": [body], "references": [], "current_pia": "MACIP-PIA"},
            )
            found = {v["id"] for v in decision["deny"]}
            expected = set()
            if 2 * quorum < voting:
                expected.add("governance.tor.quorum_too_small")
            if quorum > voting:
                expected.add("governance.tor.quorum_too_large")
            assert found == expected, (voting, quorum)


def _engine_for(tmp_path: Path, rego: str) -> EmbeddedEngine:
    write_tree(tmp_path / "policies", {"governance/tor/tor.rego": rego})
    return EmbeddedEngine(load_policy_set(tmp_path / "policies"))


@pytest.mark.parametrize(
    ("rego", "message"),
    [
        (
            'package governance.tor\n\ndecision := {"deny": "none", "warn": []}\n',
            "deny is not a set of results",
        ),
        (
            'package governance.tor\n\ndecision := {"deny": [{"id": 1}], "warn": []}\n',
            "a deny result is malformed",
        ),
        ('package governance.tor\n\ndecision := {"deny": [], "warn": []}\n', "agencies is missing"),
        ("package governance.tor\n\ndecision := true\n", "the decision is not an object"),
        ("package governance.tor\n\ndecision := 1 if false\n", "undefined"),
    ],
)
def test_a_malformed_or_undefined_decision_fails_closed(tmp_path, pia_dir, rego, message):
    broken = _engine_for(tmp_path, rego)
    try:
        with pytest.raises(PolicyError, match=message):
            check_tor([GG], engine=broken, pia_dir=pia_dir)
    finally:
        broken.close()


def test_a_deny_naming_no_checked_body_still_fails(tmp_path, pia_dir):
    rego = (
        "package governance.tor\n\n"
        'decision := {"deny": [{"id": "x.y", "msg": "something is wrong", "details": {}}],\n'
        '\t"warn": [],\n'
        '\t"agencies": {}, "body_types": {}, "programme": {}}\n'
    )
    odd = _engine_for(tmp_path, rego)
    try:
        result = evaluate_specs(odd, load_specs([GG]), "MACIP-PIA")
    finally:
        odd.close()
    assert result.check.passed is False
    assert result.check.bodies[0].passed is True
    assert result.check.violations == [Violation(id="x.y", msg="something is wrong", details={}, effect="deny")]
