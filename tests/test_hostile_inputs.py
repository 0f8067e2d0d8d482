"""Hostile inputs: alias bombs, deep nesting, duplicate keys, oversized files and values Python cannot make.

Each is refused with exit 3 and one line naming the file and the line, through the
shared readers (``macip_gov.inputs``) and through the real CLI, never decided on,
never a traceback or an exit 4, and the same from libyaml's parser and PyYAML's own.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import make_workspace, write_tree

from macip_gov import inputs
from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError, PolicyLoadError
from macip_gov.inputs import (
    MAX_ALIAS_NODES,
    MAX_ALIASES,
    MAX_DEPTH,
    MiB,
    check_json,
    iter_json_lines,
    load_document,
    parse_document,
    read_text,
)
from macip_gov.policyset import load_policy_set

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "disclosures" / "01-msd-support-status.yaml"
PIA = ROOT / "tests" / "data" / "passing_pia_minimal.yaml"
TOR = ROOT / "examples" / "governance" / "macip-working-group.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(make_workspace(tmp_path))
    monkeypatch.delenv("MACIP_MAX_FILE_MIB", raising=False)
    monkeypatch.delenv("MACIP_MAX_DOCUMENT_MIB", raising=False)


def refused(text: str, name: str) -> str:
    with pytest.raises(InvalidInputError) as info:
        parse_document(text, name)
    return info.value.one_line()


def both_loaders(text: str) -> list[str]:
    """What libyaml's parser and the pure-Python one each make of a refused document."""
    out = []
    for loader in dict.fromkeys(inputs._loaders()):
        with pytest.raises(inputs._Refused) as info:
            inputs._load_yaml(text, loader)
        out.append(f"{info.value.line}: {info.value.message}")
    return out


def check_cli(runner, *args: str, **kwargs):
    return runner.invoke(cli, ["disclosure", "check", *args, "--no-log"], **kwargs)


def request_yaml(**replace: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


REQUEST = {
    "id": "H-1",
    "from_agency": "msd",
    "to_agency": "police",
    "subject": {"age": 29, "macip_participant": True, "consent": "given"},
    "categories": ["identity"],
    "purpose": "coordination_of_support",
    "risk_level": "low",
}


# --------------------------------------------------------------------------- alias bombs


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_once_with_little_memory():
    tracemalloc.start()
    started = time.process_time()
    try:
        message = refused(billion_laughs(), "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == "bomb.yaml:6: YAML aliases expand to more than 100,000 nodes"
    # Expanded, the document would be 9**9 strings; refused, it never grows past a few.
    assert peak < 2 * MiB
    assert time.process_time() - started < 5


def test_alias_expansion_is_bounded_exactly_at_the_limit():
    # Each alias of a sequence of 999 scalars adds 1,000 nodes.
    target = "t: &t [" + ", ".join(["0"] * 999) + "]\n"
    count = MAX_ALIAS_NODES // 1000
    at_limit = parse_document(target + "u: [" + ", ".join(["*t"] * count) + "]\n", "ok.yaml")
    assert len(at_limit["u"]) == count and all(len(item) == 999 for item in at_limit["u"])
    over = target + "u: [" + ", ".join(["*t"] * (count + 1)) + "]\n"
    assert refused(over, "over.yaml") == "over.yaml:2: YAML aliases expand to more than 100,000 nodes"


def test_alias_count_is_bounded():
    ok = "a: &a 1\nb: [" + ", ".join(["*a"] * MAX_ALIASES) + "]\n"
    assert parse_document(ok, "ok.yaml")["b"] == [1] * MAX_ALIASES
    over = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    assert refused(over, "over.yaml") == "over.yaml:2: more than 1000 YAML aliases"


def test_ordinary_anchors_and_merge_keys_still_work():
    text = "base: &base {x: 1, y: 2}\nitem:\n  <<: *base\n  x: 3\nsame: *base\n"
    assert parse_document(text, "ok.yaml") == {
        "base": {"x": 1, "y": 2},
        "item": {"x": 3, "y": 2},
        "same": {"x": 1, "y": 2},
    }


def test_recursive_alias_is_refused():
    assert refused("a: &a\n  - *a\n", "r.yaml") == "r.yaml:2: YAML alias *a refers to a node that contains it"


@pytest.mark.parametrize("command", [["disclosure", "check", "--no-log"], ["pia", "validate"], ["tor", "check"]])
def test_bomb_through_the_cli_exits_3(runner, tmp_path, command):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(billion_laughs(), encoding="utf-8")
    result = runner.invoke(cli, [*command, str(bomb)])
    assert result.exit_code == 3, result.output
    assert result.stderr == f"Error: {bomb}:6: YAML aliases expand to more than 100,000 nodes\n"


# --------------------------------------------------------------------------- nesting


def yaml_block(depth: int) -> str:
    return "".join("  " * i + "- \n" for i in range(depth - 1)) + "  " * (depth - 1) + "- x\n"


def flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def json_objects(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    ("make", "name", "line"),
    [
        (yaml_block, "deep.yaml", MAX_DEPTH + 1),
        (flow, "deep.yaml", 1),
        (flow, "deep.json", 1),
        (json_objects, "deep.json", 1),
    ],
)
def test_nesting_is_bounded_exactly_at_the_limit(make, name, line):
    value = parse_document(make(MAX_DEPTH), name)
    depth = 0
    while isinstance(value, dict | list):
        value = value["a"] if isinstance(value, dict) else (value[0] if value else None)
        depth += 1
    assert depth == MAX_DEPTH
    assert refused(make(MAX_DEPTH + 1), name) == f"{name}:{line}: nested deeper than 64 levels"


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_very_deep_nesting_is_exit_3_not_a_recursion_error(name, depth):
    assert refused(flow(depth), name) == f"{name}:1: nested deeper than 64 levels"
    assert refused(json_objects(depth), name) == f"{name}:1: nested deeper than 64 levels"


def test_aliases_cannot_nest_past_the_limit():
    # Each anchor is 10 levels deeper than the one it refers to.
    lines = ["a0: &a0 " + "[" * 10 + "1" + "]" * 10]
    lines += [f"a{i}: &a{i} " + "[" * 10 + f"*a{i - 1}" + "]" * 10 for i in range(1, 10)]
    text = "\n".join(lines) + "\n"
    assert refused(text, "d.yaml") == "d.yaml:7: nested deeper than 64 levels (YAML alias *a5)"


@pytest.mark.parametrize("command", [["disclosure", "check", "--no-log"], ["pia", "validate"], ["tor", "check"]])
@pytest.mark.parametrize(("name", "text"), [("deep.yaml", yaml_block(500)), ("deep.json", json_objects(200))])
def test_deep_nesting_through_the_cli_exits_3(runner, tmp_path, command, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, [*command, str(path)])
    assert result.exit_code == 3, result.output
    line = MAX_DEPTH + 1 if name.endswith(".yaml") else 1
    assert result.stderr == f"Error: {path}:{line}: nested deeper than 64 levels\n"


def test_very_deep_json_request_through_disclosure_check_exits_3(runner, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(json_objects(100_000), encoding="utf-8")
    result = check_cli(runner, str(path))
    assert (result.exit_code, result.stderr) == (3, f"Error: {path}:1: nested deeper than 64 levels\n")


def test_is_json_lines_never_fails():
    assert inputs.is_json_lines(json_objects(100_000), "deep.json") is False
    deep_line = json.dumps(REQUEST)[:-1] + ', "x": ' + json_objects(5000) + "}"
    assert inputs.is_json_lines(json.dumps(REQUEST) + "\n" + deep_line + "\n", "-") is True


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_consent_in_yaml_is_refused_not_decided_on_the_last_value(runner, tmp_path):
    path = tmp_path / "req.yaml"
    path.write_text(request_yaml(**{"  consent: given\n": "  consent: refused\n  consent: given\n"}), encoding="utf-8")
    result = check_cli(runner, str(path))
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}:10: duplicate key 'consent' (first at line 9)\n"


def test_duplicate_consent_in_a_json_request_is_refused(runner, tmp_path):
    body = json.dumps(REQUEST, indent=2).replace('"consent": "given"', '"consent": "refused",\n    "consent": "given"')
    path = tmp_path / "req.json"
    path.write_text(body, encoding="utf-8")
    result = check_cli(runner, str(path))
    assert result.exit_code == 3, result.output
    assert result.stderr == f"Error: {path}:9: duplicate key 'consent' (first at line 8)\n"


def test_duplicate_consent_in_a_json_lines_batch_is_refused(runner, tmp_path):
    line = json.dumps(REQUEST).replace('"consent": "given"', '"consent": "refused", "consent": "given"')
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({**REQUEST, "id": "H-0"}) + "\n" + line + "\n", encoding="utf-8")
    result = check_cli(runner, str(path))
    assert result.exit_code == 3, result.output
    assert result.stderr == f"Error: {path}:2: duplicate key 'consent' (columns 110 and 132)\n"


def test_json_lines_duplicates_name_the_line_and_both_columns():
    line = json.dumps(REQUEST).replace('"consent": "given"', '"consent": "refused", "consent": "given"')
    text = json.dumps(REQUEST) + "\n\n" + line + "\n"
    with pytest.raises(InvalidInputError) as info:
        list(iter_json_lines(text, "b.jsonl"))
    assert info.value.one_line() == "b.jsonl:3: duplicate key 'consent' (columns 110 and 132)"
    with pytest.raises(InvalidInputError) as info:
        check_json(line, "b.jsonl", line=3)
    assert info.value.one_line() == "b.jsonl:3: duplicate key 'consent' (columns 110 and 132)"
    check_json('{"id": ', "b.jsonl", line=4)  # syntax is the caller's parser's to report
    assert [n for n, _ in iter_json_lines(json.dumps(REQUEST) + "\n", "b.jsonl")] == [1]


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", "n.yaml", "n.yaml:5: duplicate key 'c' (first at line 3)"),
        ("a: {x: 1, y: 2, x: 1}\n", "f.yaml", "f.yaml:1: duplicate key 'x' (first at line 1)"),
        ("1: one\n'1': also one\n", "k.yaml", "k.yaml:2: duplicate key '1' (first at line 1)"),
        (
            "a: &a {x: 1}\nb: &b {y: 1}\nc:\n  <<: *a\n  <<: *b\n",
            "m.yaml",
            "m.yaml:5: duplicate key '<<' (first at line 4)",
        ),
        ('{"a": {"b": 1,\n "b": 2}}', "n.json", "n.json:2: duplicate key 'b' (first at line 1)"),
        ('{"consent": 1,\n "\\u0063onsent": 2}', "e.json", "e.json:2: duplicate key 'consent' (first at line 1)"),
        ('[{"a": 1}, {"a": 2}, {"b": 1,\n\n "b": 1}]', "l.json", "l.json:3: duplicate key 'b' (first at line 1)"),
        ('{"a": 1, "a": 2}', "looks-like-json.yaml", "looks-like-json.yaml:1: duplicate key 'a' (first at line 1)"),
    ],
)
def test_duplicate_keys_are_refused_naming_both_lines(text, name, expected):
    assert refused(text, name) == expected


def test_equal_values_under_different_keys_and_lists_of_objects_are_fine():
    assert parse_document('[{"a": 1}, {"a": 1}]', "ok.json") == [{"a": 1}, {"a": 1}]
    assert parse_document('{"a": "a", "b": {"a": 1}}', "ok.json") == {"a": "a", "b": {"a": 1}}
    assert parse_document("a: a\nb: {a: 1}\n", "ok.yaml") == {"a": "a", "b": {"a": 1}}


def test_duplicate_keys_in_policy_data_are_a_policy_load_error_naming_the_line(tmp_path):
    tree = write_tree(tmp_path / "p", {"a/a.rego": "package a\n", "a/data.yaml": "x: 1\ny:\n  z: 1\n  z: 2\n"})
    with pytest.raises(PolicyLoadError) as info:
        load_policy_set(tree)
    assert info.value.one_line() == f"{tree / 'a/data.yaml'}:4: duplicate key 'z' (first at line 3)"
    tree = write_tree(tmp_path / "q", {"a/a.rego": "package a\n", "a/data.json": '{"x": 1,\n"x": 2}'})
    with pytest.raises(PolicyLoadError) as info:
        load_policy_set(tree)
    assert info.value.one_line() == f"{tree / 'a/data.json'}:2: duplicate key 'x' (first at line 1)"


def test_policy_data_gets_the_same_limits(tmp_path):
    tree = write_tree(tmp_path / "p", {"a/a.rego": "package a\n", "a/data.yaml": billion_laughs()})
    with pytest.raises(PolicyLoadError) as info:
        load_policy_set(tree)
    assert info.value.one_line() == f"{tree / 'a/data.yaml'}:6: YAML aliases expand to more than 100,000 nodes"


# --------------------------------------------------------------------------- the two YAML loaders


@pytest.mark.parametrize(
    "text",
    [
        billion_laughs(),
        "a: &a [*a]\n",
        "a: 1\na: 2\n",
        flow(200),
        yaml_block(200),
        "a: &x 1\nb: &x 2\n",
        "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n",
    ],
    ids=["bomb", "recursive", "duplicate", "flow-depth", "block-depth", "anchor", "aliases"],
)
def test_libyaml_and_pure_python_loaders_refuse_alike(text):
    assert len(set(both_loaders(text))) == 1


# --------------------------------------------------------------------------- size


def test_a_document_over_16_mib_is_refused_before_it_is_parsed():
    text = "a: " + "x" * (16 * MiB) + "\n"
    message = "big.yaml: larger than the 16 MiB limit for one document (MACIP_MAX_DOCUMENT_MIB)"
    assert refused(text, "big.yaml") == message
    assert parse_document("a: " + "x" * (16 * MiB - 4) + "\n", "fits.yaml")["a"].startswith("xxx")


def test_the_document_limit_counts_utf8_bytes_and_can_be_set(monkeypatch):
    monkeypatch.setenv("MACIP_MAX_DOCUMENT_MIB", "1")
    text = "a: " + "\u0101" * (MiB // 2) + "\n"  # half a million characters, a little over 1 MiB
    assert refused(text, "u.yaml") == "u.yaml: larger than the 1 MiB limit for one document (MACIP_MAX_DOCUMENT_MIB)"
    with pytest.raises(InvalidInputError) as info:
        check_json(json.dumps({"a": "x" * MiB}), "b.jsonl", line=7)
    assert info.value.one_line() == "b.jsonl:7: larger than the 1 MiB limit for one document (MACIP_MAX_DOCUMENT_MIB)"


def test_files_are_read_up_to_the_file_limit_only(tmp_path, monkeypatch):
    monkeypatch.setenv("MACIP_MAX_FILE_MIB", "1")
    fits, big = tmp_path / "fits.md", tmp_path / "big.md"
    fits.write_bytes(b"x" * MiB)
    big.write_bytes(b"x" * (MiB + 1))
    assert len(read_text(fits)) == MiB
    with pytest.raises(InvalidInputError) as info:
        read_text(big)
    assert info.value.one_line() == f"{big}: larger than the 1 MiB limit for an input file (MACIP_MAX_FILE_MIB)"
    with pytest.raises(InvalidInputError):
        read_text(fits, limit=MiB - 1)


def test_oversized_input_through_the_cli_exits_3(runner, tmp_path):
    env = {"MACIP_MAX_FILE_MIB": "1"}
    big = tmp_path / "big.jsonl"
    big.write_text((json.dumps(REQUEST) + "\n") * (MiB // 200), encoding="utf-8")
    result = check_cli(runner, str(big), env=env)
    assert result.exit_code == 3, result.output
    assert result.stderr == f"Error: {big}: larger than the 1 MiB limit for an input file (MACIP_MAX_FILE_MIB)\n"
    piped = check_cli(runner, "-", input=big.read_text(encoding="utf-8"), env=env)
    assert piped.exit_code == 3, piped.output
    assert piped.stderr == "Error: -: larger than the 1 MiB limit for an input file (MACIP_MAX_FILE_MIB)\n"


def test_a_bad_limit_setting_is_exit_3(runner):
    result = check_cli(runner, str(EXAMPLE), env={"MACIP_MAX_DOCUMENT_MIB": "lots"})
    assert result.exit_code == 3
    assert result.stderr == "Error: MACIP_MAX_DOCUMENT_MIB must be a whole number of MiB above 0, not 'lots'\n"


# --------------------------------------------------------------------------- values Python cannot make


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("a: " + "9" * 5000 + "\n", "n.yaml", "n.yaml:1: invalid YAML: a number has more than 4300 digits"),
        ('{"a":\n' + "9" * 5000 + "}", "n.json", "n.json:2: invalid JSON: a number has more than 4300 digits"),
        ("a: 1\nb: 2026-02-30\n", "d.yaml", "d.yaml:2: invalid YAML: day is out of range for month"),
        ("a: !!set {x, y}\n", "s.yaml", "s.yaml:1: invalid YAML: set values are not JSON data"),
        ("a: !!binary aGk=\n", "b.yaml", "b.yaml:1: invalid YAML: binary values are not JSON data"),
        ('{"a": 1,\n "b": NaN}', "nan.json", "nan.json:2: invalid JSON: NaN is not a JSON number"),
        ('{"a": -Infinity}', "inf.json", "inf.json:1: invalid JSON: -Infinity is not a JSON number"),
        ("a: !!python/object/apply:os.system [id]\n", "p.yaml", None),
        ("a: *nowhere\n", "u.yaml", "u.yaml:1: invalid YAML: found undefined alias 'nowhere'"),
        ("a: &x 1\nb: &x 2\n", "x.yaml", "x.yaml:2: duplicate YAML anchor &x (first at line 1)"),
    ],
)
def test_odd_values_are_invalid_input_with_a_line(text, name, expected):
    message = refused(text, name)
    if expected is None:
        assert re.fullmatch(rf"{name}:1: invalid YAML: could not determine a constructor for the tag .*", message)
    else:
        assert message == expected


def test_an_odd_value_through_the_cli_exits_3(runner, tmp_path):
    path = tmp_path / "req.yaml"
    path.write_text(request_yaml(**{"age: 29": "age: " + "9" * 5000}), encoding="utf-8")
    result = check_cli(runner, str(path))
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: {path}:7: invalid YAML: a number has more than 4300 digits\n",
    )


def test_the_examples_still_read(tmp_path):
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        assert isinstance(load_document(path), dict), path
    assert load_document(PIA)["id"] == "TEST-PIA"
    assert load_document(TOR)
