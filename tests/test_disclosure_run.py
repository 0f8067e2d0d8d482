"""Running the disclosure commands in the library: explain every request; check and log every request."""

from __future__ import annotations

from pathlib import Path

import pytest

from macip_gov.disclosure.log import DecisionLog
from macip_gov.disclosure.report import summary_text
from macip_gov.disclosure.run import CheckSummary, check_and_log, explain_requests
from macip_gov.errors import ExitCode, InvalidInputError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "disclosures"
LINES = (EXAMPLES / "requests.jsonl").read_text(encoding="utf-8").splitlines()
ALLOWED = "\n".join(LINES[:2]) + "\n"  # MACIP-D-0001 and 0002: allow
MIXED = "\n".join([LINES[0], LINES[17]]) + "\n"  # allow, deny


def _never():
    raise AssertionError("the engine was loaded")


def test_explain_requests_in_input_order_with_their_exit_code(engine):
    report = explain_requests(MIXED, "mixed.jsonl", engine)
    assert [e.decision.id for e in report.explanations] == ["MACIP-D-0001", "MACIP-D-0018"]
    assert [e.exit_code for e in report.explanations] == [ExitCode.OK, ExitCode.DENIED]
    assert report.exit_code == ExitCode.DENIED
    assert explain_requests(ALLOWED, "ok.jsonl", lambda: engine).exit_code == ExitCode.OK


def test_explain_requests_reads_every_request_before_loading_the_engine():
    with pytest.raises(InvalidInputError) as info:
        explain_requests(LINES[0] + "\n{}\n", "bad.jsonl", _never)
    assert info.value.one_line().startswith("bad.jsonl:2: ")


def _run(text, tmp_path, engine, **kwargs):
    log = kwargs.pop("log", tmp_path / "decisions.db")
    with check_and_log(text, "in.jsonl", spec=None, engine=lambda: engine, log=log, user="tester", **kwargs) as run:
        chunks = list(run)
    return run, [c.entry.request_id for chunk in chunks for c in chunk]


def test_check_and_log_appends_every_decision_and_counts_the_outcomes(tmp_path, engine):
    run, ids = _run(MIXED, tmp_path, engine)
    assert ids == ["MACIP-D-0001", "MACIP-D-0018"]
    assert run.summary == CheckSummary(
        outcomes={"allow": 1, "deny": 1}, invalid=0, logged=True, log=str(tmp_path / "decisions.db"), rows=(1, 2)
    )
    assert run.summary.exit_code == ExitCode.DENIED
    with DecisionLog(tmp_path / "decisions.db", create=False) as log:
        assert [(r.seq, r.request_id, r.user) for r in log.records()] == [
            (1, "MACIP-D-0001", "tester"),
            (2, "MACIP-D-0018", "tester"),
        ]
    again, _ = _run(ALLOWED, tmp_path, engine)
    assert (again.summary.rows, again.summary.exit_code) == ((3, 4), ExitCode.OK)
    assert summary_text(again.summary) == f"2 requests: 2 allow; logged to {tmp_path / 'decisions.db'} (rows 3-4)"


def test_check_and_log_without_a_log(tmp_path, engine):
    run, ids = _run(ALLOWED, tmp_path, engine, log=None)
    assert ids == ["MACIP-D-0001", "MACIP-D-0002"]
    assert (run.summary.logged, run.summary.log, run.summary.rows) == (False, None, None)
    assert summary_text(run.summary) == "2 requests: 2 allow; not logged"
    assert list(tmp_path.iterdir()) == []


def test_check_and_log_keeps_going_past_invalid_requests_but_exits_3(tmp_path, engine):
    run, ids = _run(LINES[0] + "\n{}\n", tmp_path, engine, keep_going=True)
    assert ids == ["MACIP-D-0001"]
    assert [e.one_line()[:11] for e in run.errors] == ["in.jsonl:2:"]
    assert run.summary.exit_code == ExitCode.INVALID_INPUT
    assert summary_text(run.summary).startswith("1 request: 1 allow; 1 invalid (not decided); logged to ")


def test_check_and_log_stops_at_an_invalid_request_before_deciding_or_logging(tmp_path):
    with pytest.raises(InvalidInputError):
        check_and_log("{}\n" + LINES[0] + "\n", "in.jsonl", spec=None, engine=_never, log=tmp_path / "d.db", user="u")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("outcomes", "invalid", "code"),
    [
        ({}, 0, ExitCode.OK),
        ({"allow": 2, "allow_with_conditions": 1}, 0, ExitCode.OK),
        ({"allow": 2, "refer": 1}, 0, ExitCode.DENIED),
        ({"deny": 1}, 0, ExitCode.DENIED),
        ({"allow": 1}, 1, ExitCode.INVALID_INPUT),
        ({"deny": 1}, 2, ExitCode.INVALID_INPUT),
    ],
)
def test_summary_exit_code(outcomes, invalid, code):
    summary = CheckSummary(outcomes=outcomes, invalid=invalid, logged=False, log=None, rows=None)
    assert summary.exit_code == code


def test_decisions_are_logged_in_groups_and_never_handed_on_before_they_are_logged(tmp_path, engine, monkeypatch):
    from macip_gov.disclosure import run as run_module
    from macip_gov.disclosure.batch import start_check
    from macip_gov.disclosure.run import CheckRun

    monkeypatch.setattr(run_module, "LOG_EVERY", 10)
    db = tmp_path / "decisions.db"
    seen, logged = 0, []
    batch = start_check("\n".join(LINES) + "\n", "in.jsonl", engine=lambda: engine, chunk_size=4)
    with CheckRun(batch, str(db), "tester") as run:
        for chunk in run:
            seen += len(chunk)
            with DecisionLog(db, create=False) as log:
                logged.append(log.count())
            assert logged[-1] >= seen
    # Three chunks of 4 reach 10: the log grows 12 at a time, and the last group holds the rest.
    assert sorted(set(logged)) == [12, 24, 36, 45]
    assert run.summary.rows == (1, 45)
    with DecisionLog(db, create=False) as log:
        assert [r.request_id for r in log.records()] == [f"MACIP-D-{i:04d}" for i in range(1, 46)]
