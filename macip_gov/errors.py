"""The exception family and the exit-code contract shared by every command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; a verdict and a tool failure never share a code."""

    OK = 0
    """Success: allowed, valid, all tests passed."""
    DENIED = 1
    """The policy said no: deny, refer, violations, failing policy tests."""
    USAGE = 2
    """Bad command line (click's own usage error)."""
    INVALID_INPUT = 3
    """An input file is missing, unreadable or does not fit its schema."""
    POLICY_ERROR = 4
    """A policy did not compile, the engine failed, or a decision was undefined."""


class MacipError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.POLICY_ERROR

    def __init__(self, message: str, *, file: str | None = None, location: str | None = None):
        self.message = message
        self.file = file
        self.location = location
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line: ``file:location: message``."""
        where = ":".join(p for p in (self.file, self.location) if p)
        text = " ".join(self.message.split())
        return f"{where}: {text}" if where else text


class InvalidInputError(MacipError):
    """An input document is missing, malformed or fails validation."""

    exit_code = ExitCode.INVALID_INPUT


class PolicyError(MacipError):
    """The policy engine failed: compile error, runtime error, undefined result or timeout."""

    exit_code = ExitCode.POLICY_ERROR


class PolicyLoadError(PolicyError):
    """A policy or data file could not be read, parsed or compiled."""


class TemplateError(MacipError):
    """A document template is missing or failed to render."""

    exit_code = ExitCode.POLICY_ERROR


class StaleRevisionError(InvalidInputError):
    """A write was based on a revision that is no longer the latest."""
