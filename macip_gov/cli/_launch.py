"""Start the command line with Go's runtime settings in place for the in-process engine.

The Go runtime inside the engine reads its settings (GOGC) once, from the environment the
process started with; setting them from Python afterwards reaches only child processes. So
a command that evaluates policies in this process starts itself once more with the settings
added (``execve``: same process id, same arguments, same standard streams). Commands that
run no engine, and processes whose environment already has the settings (the user's own
values win), start as they are. Only Linux and other POSIX systems re-execute.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .._go import missing_settings, startup_environment

# "group command" (or "command", for one outside a group) of every command that evaluates
# policies in this process (a test keeps this equal to the commands that take the engine options).
ENGINE_COMMANDS = frozenset(
    {
        "disclosure check",
        "disclosure explain",
        "doctor",
        "oia check",
        "oia ground",
        "oia redact",
        "oia redact-pdf",
        "oia release",
        "pia render",
        "pia validate",
        "policy bundle",
        "policy check",
        "policy eval",
        "policy test",
        "serve",
        "tor check",
        "tor generate",
    }
)


def uses_engine(args: Sequence[str]) -> bool:
    """True when ``macip-gov ARGS`` names a command that evaluates policies in this process."""
    words = [a for a in args[:6] if not a.startswith("-")][:2]
    named = words[0] if words and words[0] in ENGINE_COMMANDS else " ".join(words)
    return named in ENGINE_COMMANDS and not {"-h", "--help"} & set(args)


def relaunch(args: Sequence[str]) -> None:
    """Re-execute this process with the Go settings added, when ``args`` run the engine and they are missing.

    Returns only when no re-execution is needed or possible; never raises.
    """
    if os.name != "posix" or not uses_engine(args):
        return
    missing = missing_settings(startup_environment())
    if not missing:
        return  # the runtime will start with them (the user's own values, or a relaunch)
    try:
        os.execve(sys.executable, sys.orig_argv, {**os.environ, **missing})
    except OSError:
        return  # run as we are: slower, never wrong


def main() -> None:
    """The ``macip-gov`` console script."""
    relaunch(sys.argv[1:])
    from . import cli

    cli()
