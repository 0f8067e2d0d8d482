"""``macip-gov disclosure``: check, explain and the log commands, with exact output and exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import make_workspace, write_tree

from macip_gov.cli import cli
from macip_gov.disclosure.log import DecisionLog

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "disclosures"
DATA = Path(__file__).resolve().parent / "data"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
ALLOW = str(EXAMPLES / "01-msd-support-status.yaml")
DENY = str(EXAMPLES / "21-health-to-msd-not-sought.yaml")
BATCH = str(EXAMPLES / "requests.jsonl")
INVALID = str(DATA / "disclosure_batch_invalid.jsonl")

ALLOW_VIEW = """\
MACIP-D-0001  ALLOW  msd -> police
  Legal:      permitted
  Programme:  covered; route msd -> police; row permitted_covered
  Basis:      Privacy Act 2020 s22 IPP 11(1)(a)
              Privacy Act 2020 s22 IPP 11(1)(c)
  Reasons:    Privacy Act 2020 s22 IPP 11(1)(a): Disclosure is one of the purposes the information
              was obtained for, or directly related to them
              Privacy Act 2020 s22 IPP 11(1)(c): Disclosure is authorised by the individual
              concerned
  PIA flow:   F05

"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(make_workspace(tmp_path))


def test_check_allowed_request_logs_to_the_default_log(runner, tmp_path):
    result = runner.invoke(cli, ["disclosure", "check", ALLOW])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == ALLOW_VIEW + "1 request: 1 allow; logged to .macip/decisions.db (rows 1-1)\n"
    with DecisionLog(tmp_path / ".macip" / "decisions.db", create=False) as log:
        (record,) = list(log.records())
    assert (record.request_id, record.outcome, record.request["id"]) == ("MACIP-D-0001", "allow", "MACIP-D-0001")
    assert record.decision["legal_basis"] == ["Privacy Act 2020 s22 IPP 11(1)(a)", "Privacy Act 2020 s22 IPP 11(1)(c)"]


def test_check_denied_request_exits_1(runner):
    result = runner.invoke(cli, ["disclosure", "check", DENY, "--no-log"])
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout.splitlines()[:2] == ["MACIP-D-0021  DENY  health -> msd", "  Legal:      prohibited"]
    assert result.stdout.endswith("\n1 request: 1 deny; not logged\n")
    assert not Path(".macip").exists()


def test_check_batch_json_prints_one_decision_per_line(runner):
    result = runner.invoke(cli, ["disclosure", "check", BATCH, "--json", "--log", "d.db"])
    assert result.exit_code == 1
    assert result.stderr == ""
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    assert {d["id"]: (d["outcome"], d["legal_basis"], d["pia_flow"]) for d in decisions} == {
        k: (v["outcome"], v["legal_basis"], v["pia_flow"]) for k, v in EXPECTED.items()
    }
    assert [d["id"] for d in decisions] == sorted(EXPECTED)
    assert all(set(d) == {"id", "outcome", "row", "legal", "programme", "urgent", "legal_basis", "conditions",
                          "reasons", "violations", "pia_flow", "policy_revision"} for d in decisions)  # fmt: skip
    assert all({d["legal"]["verdict"], d["programme"]["covered"]} for d in decisions)
    with DecisionLog("d.db", create=False) as log:
        assert log.count() == 45
        assert log.verify().ok


def test_check_reads_stdin(runner):
    text = Path(ALLOW).read_text()
    result = runner.invoke(cli, ["disclosure", "check", "-", "--no-log"], input=text)
    assert result.exit_code == 0
    assert result.stdout == ALLOW_VIEW + "1 request: 1 allow; not logged\n"


def test_check_with_worker_processes_matches_in_process(runner):
    alone = runner.invoke(cli, ["disclosure", "check", BATCH, "--json", "--no-log", "--processes", "1"])
    spread = runner.invoke(cli, ["disclosure", "check", BATCH, "--json", "--no-log", "--processes", "2"])
    assert (alone.exit_code, spread.exit_code) == (1, 1)
    assert spread.stdout == alone.stdout
    assert spread.stderr == ""


def test_invalid_line_stops_the_batch_and_logs_nothing(runner):
    result = runner.invoke(cli, ["disclosure", "check", INVALID])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {INVALID}:2: subject.age: Input should be a valid integer\n"
    assert not Path(".macip").exists()


def test_keep_going_reports_invalid_lines_and_decides_the_rest(runner):
    result = runner.invoke(cli, ["disclosure", "check", INVALID, "--keep-going", "--json", "--log", "k.db"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {INVALID}:2: subject.age: Input should be a valid integer\n"
        f"Error: {INVALID}:4: invalid JSON: EOF while parsing an object (column 215)\n"
        f"Error: {INVALID}:5: id: 'B-1' is also on line 1\n"
    )
    assert [(d["id"], d["outcome"]) for d in map(json.loads, result.stdout.splitlines())] == [
        ("B-1", "allow"),
        ("B-5", "deny"),
    ]
    with DecisionLog("k.db", create=False) as log:
        assert [r.request_id for r in log.records()] == ["B-1", "B-5"]


def test_keep_going_summary_counts_the_invalid(runner):
    result = runner.invoke(cli, ["disclosure", "check", INVALID, "--keep-going", "--no-log"])
    assert result.exit_code == 3
    assert result.stdout.splitlines()[-1] == "2 requests: 1 allow, 1 deny; 3 invalid (not decided); not logged"


def test_invalid_single_request(runner):
    path = DATA / "failing_disclosure_same_agency.yaml"
    result = runner.invoke(cli, ["disclosure", "check", str(path)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}:4: to_agency: to_agency must differ from from_agency (both are 'msd')\n"


def test_missing_file(runner):
    result = runner.invoke(cli, ["disclosure", "check", "nope.yaml"])
    assert result.exit_code == 3
    assert result.stderr == "Error: nope.yaml: file not found\n"


def test_log_and_no_log_together_is_a_usage_error(runner):
    result = runner.invoke(cli, ["disclosure", "check", ALLOW, "--log", "a.db", "--no-log"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("Error: --log and --no-log cannot be used together\n")


def test_engine_failure_exits_4_and_logs_nothing(runner, tmp_path):
    broken = write_tree(
        tmp_path / "broken", {"sharing/decision/decision.rego": "package sharing.decision\n\nresult := 1 / 0\n"}
    )
    result = runner.invoke(cli, ["disclosure", "check", ALLOW, "--policies", str(broken)])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert "divide by zero" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    with DecisionLog(".macip/decisions.db", create=False) as log:
        assert log.count() == 0


def test_explain(runner):
    path = str(EXAMPLES / "04-health-serious-threat.yaml")
    result = runner.invoke(cli, ["disclosure", "explain", path])
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Disclosure MACIP-D-0004: health -> police"
    assert "Decision: ALLOW WITH CONDITIONS" in lines
    assert "1. Privacy Act 2020 s22 IPP 11: applies; governs contact, identity, risk_assessment." in lines
    assert "   [holds] Health Information Privacy Code 2020 r11(2)(d)(ii)" in lines
    assert not Path(".macip").exists()


def test_explain_json_and_deny_exit(runner):
    result = runner.invoke(cli, ["disclosure", "explain", DENY, "--json"])
    assert result.exit_code == 1
    explanation = json.loads(result.stdout)
    assert explanation["decision"]["outcome"] == "deny"
    assert [r["regime"] for r in explanation["regimes"]][:2] == [
        "Privacy Act 2020 s22 IPP 11",
        "Health Information Privacy Code 2020 r11",
    ]


def test_explain_invalid_input(runner):
    result = runner.invoke(cli, ["disclosure", "explain", INVALID])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {INVALID}:2: subject.age: Input should be a valid integer\n"


def _logged(runner):
    assert runner.invoke(cli, ["disclosure", "check", BATCH, "--json"]).exit_code == 1
    return DecisionLog(".macip/decisions.db", create=False)


def test_log_list(runner):
    with _logged(runner) as log:
        rows = list(log.records())
    result = runner.invoke(cli, ["disclosure", "log", "list", "--last", "2"])
    assert result.exit_code == 0
    assert result.stdout == "".join(
        f"{r.seq:>6}  {r.recorded_at}  {r.user:<12} {r.request_id:<24} {r.outcome}\n" for r in rows[-2:]
    )
    everything = runner.invoke(cli, ["disclosure", "log", "list", "--last", "0", "--json"])
    assert [json.loads(line)["request_id"] for line in everything.stdout.splitlines()] == sorted(EXPECTED)


def test_log_show(runner):
    with _logged(runner) as log:
        record = log.get("3")
    result = runner.invoke(cli, ["disclosure", "log", "show", "MACIP-D-0003"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        f"Row 3, recorded {record.recorded_at} by {record.user}",
        f"Request MACIP-D-0003: allow_with_conditions (policy revision {record.policy_revision[:12]})",
        f"Hash {record.hash}",
        f"Previous {record.prev_hash}",
    ]
    as_json = runner.invoke(cli, ["disclosure", "log", "show", "3", "--json"])
    assert json.loads(as_json.stdout) == record.model_dump(mode="json")
    missing = runner.invoke(cli, ["disclosure", "log", "show", "99"])
    assert missing.exit_code == 3
    assert missing.stderr == "Error: .macip/decisions.db: no row '99' (neither a sequence number nor a request id)\n"


def test_log_export(runner):
    _logged(runner).close()
    result = runner.invoke(cli, ["disclosure", "log", "export", "--format", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line)["seq"] for line in result.stdout.splitlines()] == list(range(1, 46))
    to_file = runner.invoke(cli, ["disclosure", "log", "export", "--format", "csv", "-o", "out.csv"])
    assert (to_file.exit_code, to_file.stdout) == (0, "")
    assert Path("out.csv").read_text(encoding="utf-8").splitlines()[0].startswith("seq,recorded_at,user,request_id")


def test_log_verify_and_tamper(runner):
    with _logged(runner) as log:
        head = log.verify().head
    ok = runner.invoke(cli, ["disclosure", "log", "verify"])
    assert ok.exit_code == 0
    assert ok.stdout == f"ok: 45 rows, chain intact; head {head} (row 45)\n"
    anchored = runner.invoke(cli, ["disclosure", "log", "verify", "--anchor", f"45:{head}"])
    assert anchored.exit_code == 0
    db = sqlite3.connect(".macip/decisions.db")
    with db:
        db.execute("UPDATE decisions SET decision = replace(decision, 'deny', 'allow') WHERE seq = 18")
    db.close()
    bad = runner.invoke(cli, ["disclosure", "log", "verify"])
    assert bad.exit_code == 1
    assert bad.stdout == (
        "FAILED at row 18: its contents do not match its hash (the row was edited)\n17 rows intact before it\n"
    )
    as_json = runner.invoke(cli, ["disclosure", "log", "verify", "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["first_bad_row"] == 18


def test_log_verify_bad_anchor_is_a_usage_error(runner):
    _logged(runner).close()
    result = runner.invoke(cli, ["disclosure", "log", "verify", "--anchor", "x"])
    assert result.exit_code == 2


def test_log_commands_need_an_existing_log(runner):
    for args in (["list"], ["show", "1"], ["export", "--format", "csv"], ["verify"]):
        result = runner.invoke(cli, ["disclosure", "log", *args, "--log", "none.db"])
        assert result.exit_code == 3, args
        assert result.stderr == "Error: none.db: decision log not found\n"


def test_single_check_without_log_loads_no_log_or_worker_code() -> None:
    """One request checked with --no-log decides without the decision log (sqlite) or the worker machinery."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from macip_gov.cli import cli\n"
        "try:\n"
        f"    cli.main(['disclosure', 'check', {ALLOW!r}, '--no-log'], standalone_mode=False)\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "loaded = [m for m in ('macip_gov.disclosure.log', 'sqlite3', 'multiprocessing') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "ALLOW" in result.stdout
