"""Batches: reading one request or JSON Lines, invalid lines, in process and across processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.disclosure.batch import (
    EngineSpec,
    check_one,
    check_validated,
    is_json_lines,
    parse_requests,
    start_check,
    summarise,
)
from macip_gov.disclosure.models import DisclosureRequest
from macip_gov.errors import InvalidInputError, PolicyError

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples" / "disclosures"
INVALID = (DATA / "disclosure_batch_invalid.jsonl").read_text(encoding="utf-8")


def test_is_json_lines():
    one = '{"id": "a"}'
    assert not is_json_lines(one, "a.json")
    assert not is_json_lines(json.dumps({"id": "a", "x": [1, 2]}, indent=2), "-")
    assert not is_json_lines("id: a\nfrom_agency: msd\n", "a.yaml")
    assert is_json_lines(one + "\n" + one + "\n", "-")
    assert is_json_lines(one, "batch.jsonl")
    assert is_json_lines('{"id": "a"\n{"id": "b"}\n', "-")


def test_single_yaml_request():
    parsed = parse_requests((EXAMPLES / "04-health-serious-threat.yaml").read_text(), "04.yaml")
    assert parsed.single and not parsed.errors
    assert [line for line, _ in parsed.items] == [None]
    assert json.loads(parsed.items[0][1])["id"] == "MACIP-D-0004"


def test_single_invalid_request_names_its_line():
    with pytest.raises(InvalidInputError) as info:
        parse_requests("id: a\nfrom_agency: police\nto_agency: sis\n", "r.yaml")
    assert info.value.one_line() == (
        "r.yaml:3: to_agency: unknown agency 'sis'; expected one of police, health, msd, education, "
        "oranga_tamariki, nzsis or community:<slug> (and 4 more)"
    )


def test_a_list_is_not_a_request():
    with pytest.raises(InvalidInputError, match="expected one disclosure request"):
        parse_requests("- a\n- b\n", "r.yaml")


def test_json_lines_with_invalid_lines_names_each():
    parsed = parse_requests(INVALID, "batch.jsonl")
    assert [line for line, _ in parsed.items] == [1, 6]
    assert [e.one_line() for e in parsed.errors] == [
        "batch.jsonl:2: subject.age: Input should be a valid integer",
        "batch.jsonl:4: invalid JSON: EOF while parsing an object (column 215)",
        "batch.jsonl:5: id: 'B-1' is also on line 1",
    ]


def test_empty_input_has_no_requests():
    parsed = parse_requests("\n\n", "empty.jsonl")
    assert [e.one_line() for e in parsed.errors] == ["empty.jsonl: no requests"]


def test_an_invalid_line_stops_the_batch_before_any_decision(engine):
    calls = []
    with pytest.raises(InvalidInputError) as info:
        start_check(INVALID, "batch.jsonl", engine=lambda: calls.append(1) or engine)
    assert info.value.one_line() == "batch.jsonl:2: subject.age: Input should be a valid integer"
    assert calls == []


def test_keep_going_decides_the_valid_lines(engine):
    with start_check(INVALID, "batch.jsonl", engine=lambda: engine, keep_going=True) as batch:
        assert len(batch.errors) == 3
        checked = [c for chunk in batch for c in chunk]
    assert [(c.line, c.entry.request_id, c.entry.outcome) for c in checked] == [
        (1, "B-1", "allow"),
        (6, "B-5", "deny"),
    ]
    assert [c.allowed for c in checked] == [True, False]
    decision = json.loads(checked[0].entry.decision_json)
    assert (decision["id"], decision["pia_flow"], decision["policy_revision"]) == ("B-1", "F05", engine.revision)
    request = json.loads(checked[0].entry.request_json)
    assert request["overseas"] is False


def test_chunks_keep_input_order(engine):
    text = (EXAMPLES / "requests.jsonl").read_text()
    with start_check(text, "requests.jsonl", engine=lambda: engine, chunk_size=4) as batch:
        chunks = list(batch)
    assert [len(c) for c in chunks] == [4] * 11 + [1]
    assert [c.line for chunk in chunks for c in chunk] == list(range(1, 46))


def test_worker_processes_give_the_same_decisions(engine):
    text = (EXAMPLES / "requests.jsonl").read_text()
    with start_check(text, "requests.jsonl", engine=lambda: engine, processes=1) as batch:
        assert not batch.parallel
        alone = [c.entry for chunk in batch for c in chunk]
    with start_check(text, "requests.jsonl", spec=EngineSpec(), processes=2, chunk_size=5) as batch:
        assert batch.parallel
        spread = [c.entry for chunk in batch for c in chunk]
    assert spread == alone


def test_small_batches_stay_in_process_by_default(engine):
    text = (EXAMPLES / "requests.jsonl").read_text()
    with start_check(text, "requests.jsonl", spec=EngineSpec(), engine=lambda: engine) as batch:
        assert not batch.parallel
        assert batch.total == 45


def test_a_worker_that_cannot_load_its_policies_fails_closed(tmp_path):
    broken = write_tree(
        tmp_path / "policies", {"sharing/decision/decision.rego": "package sharing.decision\n\nresult := {"}
    )
    text = (EXAMPLES / "requests.jsonl").read_text()
    spec = EngineSpec(policies=str(broken))
    with start_check(text, "requests.jsonl", spec=spec, processes=2) as batch, pytest.raises(PolicyError) as info:
        list(batch)
    assert "rego_parse_error" in info.value.message


def test_an_engine_failure_in_process_fails_closed(tmp_path):
    from macip_gov.engine import EmbeddedEngine
    from macip_gov.policyset import load_policy_set

    root = write_tree(
        tmp_path / "policies", {"sharing/decision/decision.rego": "package sharing.decision\n\nresult := 1 / 0\n"}
    )
    engine = EmbeddedEngine(load_policy_set(root))
    text = (EXAMPLES / "requests.jsonl").read_text()
    with start_check(text, "requests.jsonl", engine=lambda: engine) as batch, pytest.raises(PolicyError):
        list(batch)


def test_summarise():
    assert summarise({"deny": 2, "allow": 1}) == "3 requests: 1 allow, 2 deny"
    assert summarise({"refer": 1}) == "1 request: 1 refer"
    assert summarise({}) == "0 requests: none decided"


class _OneAtATime:
    """The real engine seen through evaluate alone, as an engine without evaluate_many (an OPA server's) is."""

    def __init__(self, engine):
        self.revision = engine.revision
        self.evaluate = engine.evaluate


def test_an_engine_without_evaluate_many_decides_one_request_at_a_time_alike(engine):
    text = (EXAMPLES / "requests.jsonl").read_text()
    with start_check(text, "requests.jsonl", engine=lambda: engine) as run:
        many = [c.entry for chunk in run for c in chunk]
    with start_check(text, "requests.jsonl", engine=lambda: _OneAtATime(engine)) as run:
        single = [c.entry for chunk in run for c in chunk]
    assert single == many


def test_a_worker_builds_its_engine_once_and_decides_chunks_as_in_process(monkeypatch, engine):
    from macip_gov.disclosure import batch

    parsed = parse_requests((EXAMPLES / "requests.jsonl").read_text(), "requests.jsonl")
    monkeypatch.setattr(batch, "_worker_engine", None)
    batch._init_worker(EngineSpec(), False)
    assert batch._worker_engine is not None
    try:
        failure, results = batch._work(parsed.items[:7])
    finally:
        batch._worker_engine.close()
    assert failure is None
    assert [line for line, _ in results] == list(range(1, 8))
    assert [entry for _, entry in results] == check_validated(engine, [raw for _, raw in parsed.items[:7]])


def test_validated_requests_are_decided_in_one_call_as_one_by_one(engine):
    lines = (EXAMPLES / "requests.jsonl").read_text().splitlines()
    dumped = [DisclosureRequest.model_validate_json(line).model_dump_json() for line in lines]
    assert check_validated(engine, dumped) == [check_one(engine, line) for line in lines]


def test_a_request_whose_decision_is_undefined_fails_the_whole_call(tmp_path):
    from macip_gov.engine import EmbeddedEngine
    from macip_gov.policyset import load_policy_set

    root = write_tree(
        tmp_path / "policies",
        {"sharing/decision/decision.rego": 'package sharing.decision\n\nresult := {"x": 1} if input.id != "B-2"\n'},
    )
    engine = EmbeddedEngine(load_policy_set(root))
    documents = [{"id": "B-1"}, {"id": "B-2"}, {"id": "B-3"}]
    with pytest.raises(PolicyError) as info:
        engine.evaluate_many("sharing.decision.result", documents)
    assert info.value.message == "data.sharing.decision.result is undefined (input 2 of 3)"
    assert engine.evaluate_many("sharing.decision.result", [documents[0], documents[2]]) == [{"x": 1}, {"x": 1}]
    assert engine.evaluate_many("sharing.decision.result", []) == []


def test_an_answer_that_is_not_a_decision_fails_the_chunk(tmp_path):
    from macip_gov.engine import EmbeddedEngine
    from macip_gov.policyset import load_policy_set

    root = write_tree(
        tmp_path / "policies", {"sharing/decision/decision.rego": "package sharing.decision\n\nresult := 7\n"}
    )
    engine = EmbeddedEngine(load_policy_set(root))
    dumped = [DisclosureRequest.model_validate_json(line).model_dump_json() for line in _lines()[:2]]
    with pytest.raises(PolicyError, match="is int, not a decision object; refusing to decide"):
        check_validated(engine, dumped)


def _lines() -> list[str]:
    return (EXAMPLES / "requests.jsonl").read_text().splitlines()
