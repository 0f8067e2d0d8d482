"""Batch worker processes end with the command that started them, even when it is killed with SIGKILL.

The command decides a batch across two worker processes on a rule that would run for an
hour, with a deadline longer than that; once both workers are busy deciding, the command
is killed with ``kill -9`` and every process it started must go away. The wait is a
generous liveness bound, not a speed measurement.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "disclosures"

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")

# A billion iterations of the evaluator in little memory (as in test_engine_faults).
SLOW_DECISION = """\
package sharing.decision

result := {"outcome": "allow", "n": count({x |
	some i in numbers.range(1, 1000)
	some j in numbers.range(1, 1000)
	some k in numbers.range(1, 1000)
	x := ((i * j) * k) % 7
})}
"""


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            kids |= {int(k) for k in (task / "children").read_text().split()}
    return kids


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # fields from the state on (the name may hold spaces)


def _started_at(pid: int) -> str | None:
    fields = _stat(pid)
    return None if fields is None else fields[19]  # with the pid, tells a process from a later one given its pid


def _alive(pid: int, started_at: str | None) -> bool:
    fields = _stat(pid)
    # A zombie has ended (its reaper may be slow); a different start time is another process.
    return fields is not None and fields[0] not in ("Z", "X") and fields[19] == started_at


def _cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_workers_exit_when_the_command_is_killed(tmp_path):
    policies = write_tree(tmp_path / "slow", {"sharing/decision/decision.rego": SLOW_DECISION})
    first = json.loads((EXAMPLES / "requests.jsonl").read_text(encoding="utf-8").splitlines()[0])
    batch = tmp_path / "batch.jsonl"  # three chunks of work, so both workers get one
    batch.write_text("".join(json.dumps({**first, "id": f"R-{i}"}) + "\n" for i in range(900)), encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MACIP_")}
    command = subprocess.Popen(
        [sys.executable, "-m", "macip_gov", "disclosure", "check", str(batch), "--processes", "2", "--no-log"],
        cwd=tmp_path, env={**environ, "MACIP_POLICIES": str(policies), "MACIP_TIMEOUT": "86400"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started: dict[int, str | None] = {}

    def note_children() -> None:
        for pid in _children(command.pid) - started.keys():
            started[pid] = _started_at(pid)

    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and command.poll() is None:
            note_children()
            workers = {p for p in started if "spawn_main" in _cmdline(p) and "resource_tracker" not in _cmdline(p)}
            # Busy: well past start-up (imports and a one-file policy load) into the slow rule.
            if len(workers) == 2 and all(_cpu_seconds(p) > 3.0 for p in workers):
                break
            time.sleep(0.2)
        assert command.poll() is None, "the command ended before it could be killed"
        assert len(workers) == 2 and all(_cpu_seconds(p) > 3.0 for p in workers), "the workers never got busy"
        note_children()

        os.kill(command.pid, signal.SIGKILL)
        command.wait()
        gone_by = time.monotonic() + 20
        while time.monotonic() < gone_by and any(_alive(p, t) for p, t in started.items()):
            time.sleep(0.1)
        survivors = [_cmdline(p) for p, t in started.items() if _alive(p, t)]
        assert survivors == [], "processes outlived the killed command"
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
        for pid, started_at in started.items():  # never leave a runaway behind, whatever the outcome
            if _alive(pid, started_at):
                os.kill(pid, signal.SIGKILL)
