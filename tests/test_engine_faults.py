"""A slow rule never hangs a decision: every evaluation has a deadline, and missing it decides nothing.

The rule below would run for an hour; the real engine gives up at the deadline
(``--timeout`` or ``MACIP_TIMEOUT``, 10 s by default), in process and in batch workers,
and the command exits 4 naming the entrypoint, with nothing logged. The command runs
in a subprocess, so an evaluation abandoned at its deadline ends with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.cli import cli
from macip_gov.disclosure.batch import EngineSpec, start_check
from macip_gov.disclosure.log import DecisionLog
from macip_gov.errors import PolicyError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "disclosures"
ALLOW = str(EXAMPLES / "01-msd-support-status.yaml")

# A billion iterations of the evaluator in little memory: far longer than any deadline here.
SLOW_DECISION = """\
package sharing.decision

result := {"outcome": "allow", "n": _n}

_n := count({x |
	some i in numbers.range(1, 1000)
	some j in numbers.range(1, 1000)
	some k in numbers.range(1, 1000)
	x := ((i * j) * k) % 7
})
"""

TIMED_OUT = "Error: evaluation of data.sharing.decision.result timed out after 0.2s\n"


@pytest.fixture
def slow_policies(tmp_path):
    return write_tree(tmp_path / "slow", {"sharing/decision/decision.rego": SLOW_DECISION})


def _batch(path: Path, n: int) -> Path:
    first = json.loads((EXAMPLES / "requests.jsonl").read_text(encoding="utf-8").splitlines()[0])
    path.write_text("".join(json.dumps({**first, "id": f"R-{i}"}) + "\n" for i in range(n)), encoding="utf-8")
    return path


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MACIP_")}
    return subprocess.run(
        [sys.executable, "-m", "macip_gov", *args],
        cwd=cwd, env={**environ, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _rows(db: Path) -> int:
    if not db.exists():
        return 0
    with DecisionLog(db, create=False) as log:
        return log.count()


def test_a_slow_rule_is_exit_4_naming_the_entrypoint(tmp_path, slow_policies):
    out = _run(["disclosure", "check", ALLOW, "--policies", str(slow_policies), "--timeout", "0.2",
                "--log", "d.db"], tmp_path)  # fmt: skip
    assert out.returncode == 4, out.stderr
    assert out.stderr == TIMED_OUT
    assert "1 request" not in out.stdout
    assert _rows(tmp_path / "d.db") == 0


def test_the_deadline_can_come_from_the_environment(tmp_path, slow_policies):
    out = _run(["disclosure", "check", ALLOW, "--no-log"], tmp_path, MACIP_POLICIES=str(slow_policies),
               MACIP_TIMEOUT="0.2")  # fmt: skip
    assert (out.returncode, out.stderr) == (4, TIMED_OUT)


def test_policy_eval_has_the_deadline_too(tmp_path, slow_policies):
    out = _run(["policy", "eval", "sharing.decision.result", "--policies", str(slow_policies), "--timeout", "0.2"],
               tmp_path)  # fmt: skip
    assert (out.returncode, out.stderr) == (4, TIMED_OUT)


def test_a_slow_rule_in_batch_workers_is_exit_4_and_nothing_is_logged(tmp_path, slow_policies):
    batch = _batch(tmp_path / "batch.jsonl", 6)
    out = _run(["disclosure", "check", str(batch), "--policies", str(slow_policies), "--processes", "2",
                "--timeout", "0.2", "--log", "d.db", "--json"], tmp_path)  # fmt: skip
    assert out.returncode == 4, out.stderr
    assert out.stderr == TIMED_OUT
    assert out.stdout == ""
    assert _rows(tmp_path / "d.db") == 0


def test_batch_workers_build_their_engines_with_the_deadline(tmp_path, slow_policies):
    text = _batch(tmp_path / "batch.jsonl", 6).read_text()
    spec = EngineSpec(policies=str(slow_policies), timeout=0.2)
    with start_check(text, "batch.jsonl", spec=spec, processes=2) as batch, pytest.raises(PolicyError) as info:
        assert batch.parallel
        list(batch)
    assert info.value.one_line() == TIMED_OUT[len("Error: ") : -1]


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_deadline_must_be_a_positive_number(runner, value):
    result = runner.invoke(cli, ["disclosure", "check", ALLOW, "--no-log", "--timeout", value])
    assert result.exit_code == 2
    assert "--timeout" in result.stderr


def test_the_default_deadline_is_documented_in_help(runner):
    result = runner.invoke(cli, ["disclosure", "check", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "--timeout SECONDS" in result.stdout
    assert "[default: 10.0;" in result.stdout and "MACIP_TIMEOUT" in result.stdout
