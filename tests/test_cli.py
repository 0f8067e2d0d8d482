"""The root command: help, version, lean start-up, the exit-code contract."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import click
import pytest

import macip_gov.errors as errors
from macip_gov.cli import CliError, cli
from macip_gov.errors import ExitCode, MacipError


def test_help_lists_every_group(runner):
    result = runner.invoke(cli, ["-h"])
    assert result.exit_code == 0
    for group in ("disclosure", "oia", "pia", "policy", "schema", "tor"):
        assert f"\n  {group} " in result.stdout


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("macip-gov, version ")


def test_help_imports_nothing_heavy():
    # Start-up stays lean: --help must not import the engine, parsers or templates.
    code = (
        "import sys\n"
        "from macip_gov.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['opa_bindings', 'jinja2', 'markdown_it', 'yaml', 'docx', 'pydantic', 'holidays', 'requests']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_exit_codes_are_the_documented_contract():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4]


def test_no_error_shares_exit_1_with_a_policy_verdict_or_click_abort():
    # click's Abort (Ctrl-C) exits 1; a policy verdict is a returned report whose exit code is 1.
    # No error class may use 1: "the policy said no" never arrives as an exception.
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, MacipError):
            assert cls.exit_code != ExitCode.DENIED, cls


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (errors.InvalidInputError("field x: bad", file="a.yaml", location="3"), 3, "a.yaml:3: field x: bad"),
        (errors.PolicyError("undefined", file="p/a.rego", location="7"), 4, "p/a.rego:7: undefined"),
        (errors.MacipError("multi\nline   text"), 4, "multi line text"),
    ],
)
def test_cli_error_is_one_line_with_its_exit_code(error, code, line):
    wrapped = CliError(error)
    assert (wrapped.exit_code, wrapped.format_message()) == (code, line)


def test_unexpected_exception_fails_closed_with_exit_4(runner, monkeypatch):
    # A bug inside a command must never look like success or a verdict.
    import macip_gov.policytools as tools

    def boom(*_a, **_k):
        raise KeyError("surprise")

    monkeypatch.setattr(tools, "check_policies", boom)
    result = runner.invoke(cli, ["policy", "check"])
    assert result.exit_code == 4
    assert result.stderr == "Error: internal error: KeyError: 'surprise'\n"


def test_module_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "macip_gov", "policy", "eval", "oia.grounds.deny", "--input", "-"],
        input=json.dumps({"grounds": ["6(c)"]}),
        capture_output=True,
        text=True,
    )
    assert (out.returncode, out.stdout) == (0, "[]\n")


def _first_line_then_close(args: list[str]) -> tuple[int, bytes, bytes]:
    """Run ``macip-gov ARGS`` into a small pipe, read one line and close it, as ``| head -1`` does.

    Returns the exit code, the line read and everything on stderr.
    """
    import fcntl

    read_fd, write_fd = os.pipe()
    fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 4096)  # smaller than the output, so the reader's close is felt
    code = f"from macip_gov.cli import cli; cli({args!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=write_fd, stderr=subprocess.PIPE)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as reader:
        first = reader.readline()
    err = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(), first, err


def test_closed_pipe_stops_quietly(tmp_path):
    # `macip-gov ... | head -1`: no traceback, no "internal error", exit 141 like a shell tool.
    # A tiny tree of many trivial tests gives output far larger than the pipe, in well under a second.
    from conftest import write_tree

    tests = "".join(f"test_success_{i} if data.tiny.ok\n\n" for i in range(600))
    tree = write_tree(
        tmp_path,
        {"tiny/tiny.rego": "package tiny\n\nok := true\n", "tiny/tiny_test.rego": f"package tiny_test\n\n{tests}"},
    )
    code, first, err = _first_line_then_close(["policy", "test", "-v", "--policies", str(tree)])
    assert code == 141
    assert first == b"PASS tiny/tiny_test.rego: data.tiny_test.test_success_0\n"
    assert err == b""


def test_closed_pipe_is_handled_once_for_every_command(tmp_path):
    # The decision log's readers stop as every other command does: exit 141, nothing on stderr.
    from macip_gov.canonical import canonical_json
    from macip_gov.disclosure.log import DecisionLog, LogEntry

    db = tmp_path / "decisions.db"
    with DecisionLog(db) as log:
        entries = [
            LogEntry(f"R-{n}", "allow", "rev1", canonical_json({"id": f"R-{n}"}), canonical_json({"outcome": "allow"}))
            for n in range(400)
        ]
        log.append(entries, user="tester")
    code, first, err = _first_line_then_close(["disclosure", "log", "list", "--last", "0", "--log", str(db)])
    assert code == 141
    assert (first.split()[0], first.split()[-1]) == (b"1", b"allow")
    assert err == b""


def test_option_default_timeout_is_the_engines():
    from macip_gov.cli import _options
    from macip_gov.engine import DEFAULT_TIMEOUT

    assert _options.DEFAULT_TIMEOUT == DEFAULT_TIMEOUT
    assert _options.Settings().timeout == DEFAULT_TIMEOUT


# ---------------------------------------------------------------- Go runtime settings at start


def test_the_launcher_knows_every_command_that_runs_the_engine():
    # The launcher decides before any command module is imported, from a table: it must be the
    # set of commands that take the engine options.
    from macip_gov.cli._launch import ENGINE_COMMANDS

    ctx = cli.make_context("macip-gov", ["--help"], resilient_parsing=True)
    found = set()
    for group_name in cli.list_commands(ctx):
        group = cli.get_command(ctx, group_name)
        if not isinstance(group, click.Group):  # a command of its own, such as doctor
            if any(p.name == "timeout" for p in group.params):
                found.add(group_name)
            continue
        for name in group.commands:
            if any(p.name == "timeout" for p in group.commands[name].params):
                found.add(f"{group_name} {name}")
    assert found == ENGINE_COMMANDS


LAUNCH_PROBE = """
import sys
from macip_gov.cli._launch import relaunch
relaunch(sys.argv[1:])
from macip_gov.engine import go_runtime_active
print(go_runtime_active())
"""


@pytest.mark.parametrize(
    ("args", "user_gogc", "active"),
    [
        (["disclosure", "check", "req.yaml"], None, True),  # relaunched with GOGC=400
        (["disclosure", "log", "verify"], None, False),  # no engine
        (["policy", "test", "--timeout", "5"], None, True),
        (["oia", "deadline", "2021-07-19"], None, False),  # no engine: started as it is
        (["policy", "test", "--help"], None, False),
        (["policy", "test"], "100", True),  # the user's own value wins, no relaunch
        (["doctor", "--json"], None, True),  # a command outside a group
        (["init", "doctor"], None, False),  # "doctor" is init's folder here
    ],
)
def test_an_engine_command_starts_with_the_go_settings(args, user_gogc, active, monkeypatch):
    monkeypatch.delenv("GOGC", raising=False)
    env = dict(os.environ, **({"GOGC": user_gogc} if user_gogc else {}))
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout == f"{active}\n"
