"""The ``macip-gov`` command line: a thin click layer over the library.

Command groups live in their own modules and are imported only when invoked,
so ``macip-gov --help`` stays fast. Every library error is translated to an
exit code in one place (:class:`CliError`).
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from ..errors import ExitCode, MacipError

# name -> "module:attribute", imported on first use.
_GROUPS = {
    "policy": ("macip_gov.cli.policy:policy", "Test, check, evaluate and bundle the Rego policies."),
    "oia": ("macip_gov.cli.oia:oia", "Official Information Act releases: grounds, redaction, deadlines."),
    "disclosure": (
        "macip_gov.cli.disclosure:disclosure",
        "Check a proposed disclosure of personal information; the decision log.",
    ),
    "pia": ("macip_gov.cli.pia:pia", "The Privacy Impact Assessment: validate, revise, diff, sign off, render."),
    "tor": ("macip_gov.cli.tor:tor", "Governance Terms of Reference: check and generate."),
    "schema": ("macip_gov.cli.schema:schema", "Print the JSON Schema of an input document."),
    "init": ("macip_gov.cli.init:init", "Make a folder a workspace: write macip.toml and its folders."),
    "doctor": ("macip_gov.cli.doctor:doctor", "Check the engine, policies, workspace stores and optional features."),
    "serve": ("macip_gov.cli.serve:serve", "Start the review app: web pages over this workspace, for its users."),
    "user": ("macip_gov.cli.user:user", "The review app's users: add, list, remove, set a password or role."),
}


class CliError(click.ClickException):
    """A library error on its way out: one line on stderr and its exit code."""

    def __init__(self, error: MacipError):
        super().__init__(error.one_line())
        # click declares exit_code on the class; each error carries its own.
        setattr(self, "exit_code", int(error.exit_code))  # noqa: B010


class _LazyGroup(click.Group):
    """A group whose subcommands are imported when used and whose errors become exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_GROUPS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _GROUPS:
            target = _GROUPS[cmd_name][0]
            module, _, attr = target.partition(":")
            try:
                command: click.Command = getattr(importlib.import_module(module), attr)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
                return None
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help from the table avoids importing every command module.
        rows = [(name, help_) for name, (_, help_) in sorted(_GROUPS.items())]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MacipError as exc:
            raise CliError(exc) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `... | head` closed the pipe: stop quietly, as a shell tool would
            # (128 + SIGPIPE), and keep Python from complaining at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(141) from None
        except Exception as exc:
            # Fail closed on a bug too: exit 4, one line, never a traceback
            # (MACIP_DEBUG=1 shows it).
            if os.environ.get("MACIP_DEBUG"):
                raise
            error = MacipError(f"internal error: {type(exc).__name__}: {exc}")
            raise CliError(error) from None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="macip-gov", prog_name="macip-gov")
def cli() -> None:
    """Privacy and governance compliance for the MACIP programme.

    Disclosure checks, OIA releases, the Privacy Impact Assessment and Terms of
    Reference, decided by Rego policies running on OPA.

    Exit codes: 0 ok, 1 the policy said no, 2 usage, 3 invalid input,
    4 policy or engine failure.
    """


__all__ = ["CliError", "ExitCode", "cli"]
