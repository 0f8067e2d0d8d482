"""Start-up benchmark: the wall and CPU time of one short command, as a user runs it.

Runs each command as its own process (the installed ``macip-gov`` script, or
``python -m macip_gov``), round-robin, so a busy machine slows every command
alike, and prints the median and the fastest wall time, and the median CPU time
(user + system, the process and its children) of each. With ``--tree`` the
same commands run against other checkouts of macip-gov too (their package and
their policies, via PYTHONPATH), interleaved with this one: a before/after
comparison on the same machine in the same minutes.

The Go runtime settings are taken out of the environment (GOGC, GOMAXPROCS,
GOMEMLIMIT, GODEBUG) so each command runs as it would for a user who never set
them; ``--keep-go-env`` keeps them. PYTHONDONTWRITEBYTECODE is taken out too:
as for an installed package, modules load from bytecode cached by the warm-up
round (``--no-bytecode`` compiles every module on every run instead).

Run: .venv/bin/python bench/startup.py [--runs 9] [--only disclosure-check] [--tree /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS: dict[str, list[str]] = {
    "help": ["--help"],
    "oia-deadline": ["oia", "deadline", "2021-07-19"],
    "disclosure-check": ["disclosure", "check", "examples/disclosures/04-health-serious-threat.yaml", "--no-log"],
    "policy-check": ["policy", "check"],
    "policy-eval": ["policy", "eval", "oia.grounds.decision", "--input", "-"],
    "policy-test": ["policy", "test"],
}
"""name -> arguments; each runs in the checkout's directory."""

STDIN = {"policy-eval": b'{"grounds": ["6(c)"], "use": "withhold"}'}

GO_VARIABLES = ("GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GODEBUG")


def _program() -> list[str]:
    script = Path(sys.executable).with_name("macip-gov")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "macip_gov"]


def run_once(tree: Path, args: list[str], env: dict[str, str], stdin: bytes | None) -> tuple[float, float, int]:
    """``(wall seconds, CPU seconds, exit code)`` of one run."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run([*_program(), *args], cwd=tree, env=env, input=stdin or b"", capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (default 9)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--only", action="append", choices=sorted(COMMANDS), help="run only these commands")
    parser.add_argument("--tree", action="append", type=Path, default=[], help="another checkout to compare")
    parser.add_argument("--keep-go-env", action="store_true", help="keep GOGC, GOMAXPROCS, ... from the environment")
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE from the environment")
    options = parser.parse_args()

    trees = [ROOT, *(t.resolve() for t in options.tree)]
    names = options.only or list(COMMANDS)
    base = {k: v for k, v in os.environ.items() if not k.startswith("MACIP_")}
    if not options.keep_go_env:
        base = {k: v for k, v in base.items() if k not in GO_VARIABLES}
    if not options.no_bytecode:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
    envs = {tree: {**base, "PYTHONPATH": str(tree)} for tree in trees}

    samples: dict[tuple[str, Path], list[tuple[float, float]]] = {(n, t): [] for n in names for t in trees}
    codes: dict[tuple[str, Path], set[int]] = {(n, t): set() for n in names for t in trees}
    for round_ in range(options.warmup + options.runs):
        for name in names:
            for tree in trees:
                wall, cpu, code = run_once(tree, COMMANDS[name], envs[tree], STDIN.get(name))
                codes[name, tree].add(code)
                if round_ >= options.warmup:
                    samples[name, tree].append((wall, cpu))

    print(f"{options.runs} runs each, interleaved; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'command':<18} {'tree':<28} {'median ms':>10} {'fastest ms':>11} {'CPU ms':>8}  exit")
    for name in names:
        for tree in trees:
            walls = [w for w, _ in samples[name, tree]]
            cpus = [c for _, c in samples[name, tree]]
            label = "this checkout" if tree == ROOT else str(tree)[-28:]
            exits = ",".join(str(c) for c in sorted(codes[name, tree]))
            print(
                f"{name:<18} {label:<28} {statistics.median(walls) * 1000:>10.0f} {min(walls) * 1000:>11.0f} "
                f"{statistics.median(cpus) * 1000:>8.0f}  {exits}"
            )


if __name__ == "__main__":
    main()
