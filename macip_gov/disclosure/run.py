"""Running the disclosure commands over one input: explain every request; check and log every request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode
from .models import DisclosureRequest, Explanations

if TYPE_CHECKING:
    from ..engine import EngineSpec, PolicyEngine
    from ..errors import InvalidInputError
    from .batch import BatchCheck, Checked
    from .log import ChainedLog

_ALLOWED = ("allow", "allow_with_conditions")

LOG_EVERY = 2000
"""Decisions appended to the decision log in one transaction (the last transaction of a batch may hold fewer)."""


def _engine(engine: PolicyEngine | Callable[[], PolicyEngine]) -> PolicyEngine:
    """The engine itself, or the one a loader returns (loaded only when needed)."""
    if hasattr(engine, "evaluate"):
        return cast("PolicyEngine", engine)
    return engine()


def explain_requests(text: str, name: str, engine: PolicyEngine | Callable[[], PolicyEngine]) -> Explanations:
    """Explain the decision on each request in one input (a document or JSON Lines).

    Every request is validated before the engine is loaded or anything is decided.

    Args:
        text: The input's text.
        name: Its name (file or ``-``), for errors.
        engine: A loaded policy engine, or a function returning one (called once,
            after the requests are read).

    Returns:
        The explanations, in input order; ``exit_code`` is OK only when every request is allowed.

    Raises:
        InvalidInputError: A request is malformed (the first one, with its line).
        PolicyError: The engine failed or returned something that is not a decision.
    """
    from .batch import parse_requests
    from .explain import explain

    parsed = parse_requests(text, name)
    if parsed.errors:
        raise parsed.errors[0]
    loaded = _engine(engine)
    return Explanations(
        explanations=[explain(loaded, DisclosureRequest.model_validate_json(raw)) for _, raw in parsed.items]
    )


class CheckSummary(BaseModel):
    """What a disclosure check decided, and where it logged the decisions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcomes: dict[str, int] = Field(description="How many requests had each outcome.")
    invalid: int = Field(description="Requests not decided because they are invalid (reported on their own).")
    logged: bool = Field(description="Whether the decisions were appended to a decision log.")
    log: str | None = Field(description="The decision log, when one was used.")
    rows: tuple[int, int] | None = Field(description="The first and last log rows written (None when none was).")

    @property
    def decided(self) -> int:
        """How many requests were decided."""
        return sum(self.outcomes.values())

    @property
    def exit_code(self) -> ExitCode:
        """INVALID_INPUT when a request was invalid; else OK when every decided request is allowed, else DENIED."""
        if self.invalid:
            return ExitCode.INVALID_INPUT
        allowed = sum(self.outcomes.get(o, 0) for o in _ALLOWED)
        return ExitCode.OK if allowed == self.decided else ExitCode.DENIED


class CheckRun:
    """A disclosure check under way: iterate it for the decided requests, chunk by chunk, as each is logged.

    ``errors`` holds the invalid requests (when the check keeps going); ``summary``
    counts what has been decided and logged so far. Close it (it is a context
    manager) to stop any worker processes and close the log.
    """

    def __init__(self, batch: BatchCheck, log: str | None, user: str):
        """Use :func:`check_and_log`."""
        self.errors: list[InvalidInputError] = batch.errors
        self.total = batch.total
        self._batch = batch
        self._log_path = log
        self._log: ChainedLog | None = None
        self._user = user
        self._outcomes: Counter[str] = Counter()
        self._rows: tuple[int, int] | None = None

    def __iter__(self) -> Iterator[list[Checked]]:
        if self._log_path is None:
            for chunk in self._batch:
                self._outcomes.update(c.entry.outcome for c in chunk)
                yield chunk
            return
        if self._log is None:
            from .log import open_log  # only when logging: --no-log needs no database code

            self._log = open_log(self._log_path)
        # Chunks are held back until LOG_EVERY decisions (or the end) can be appended in one
        # transaction: one commit, and one wait for the disk, per LOG_EVERY decisions.
        # Nothing is yielded (printed) before it is logged.
        pending: list[list[Checked]] = []
        waiting = 0
        for chunk in self._batch:
            pending.append(chunk)
            waiting += len(chunk)
            if waiting >= LOG_EVERY:
                yield from self._logged(pending)
                pending, waiting = [], 0
        if pending:
            yield from self._logged(pending)

    def _logged(self, chunks: list[list[Checked]]) -> Iterator[list[Checked]]:
        """Append the chunks' decisions to the log in one transaction, then hand the chunks on."""
        assert self._log is not None
        seqs = self._log.append([c.entry for chunk in chunks for c in chunk], user=self._user)
        if seqs:
            self._rows = (self._rows[0] if self._rows else seqs[0], seqs[-1])
        for chunk in chunks:
            self._outcomes.update(c.entry.outcome for c in chunk)
            yield chunk

    @property
    def summary(self) -> CheckSummary:
        """The outcomes so far, the invalid requests and the log rows written."""
        return CheckSummary(
            outcomes=dict(self._outcomes),
            invalid=len(self.errors),
            logged=self._log_path is not None,
            log=_shown(self._log_path),
            rows=self._rows,
        )

    def close(self) -> None:
        """Close the log and stop the worker processes, if any."""
        try:
            if self._log is not None:
                self._log.close()
        finally:
            self._batch.close()

    def __enter__(self) -> CheckRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_and_log(
    text: str,
    name: str,
    *,
    spec: EngineSpec | None,
    engine: Callable[[], PolicyEngine] | None,
    log: Path | str | None,
    user: str,
    keep_going: bool = False,
    processes: int | None = None,
) -> CheckRun:
    """Read and validate the requests in one input, then decide each and append it to the decision log.

    Args:
        text: One request (JSON or YAML) or JSON Lines.
        name: The input's name (file or ``-``), for messages.
        spec: How worker processes build their engine; None keeps the check in this process.
        engine: Returns this process's engine (called once, only if needed).
        log: The decision log to append to, a path or URL (see ``open_log``; created if
            needed); None to log nothing.
        user: Who runs the check, recorded with each row.
        keep_going: Report invalid requests (``errors``) and decide the rest, instead
            of stopping at the first.
        processes: Worker processes (see :func:`~macip_gov.disclosure.batch.start_check`).

    Returns:
        The check under way: iterate it, then read its ``summary`` (whose
        ``exit_code`` is the command's).

    Raises:
        InvalidInputError: The input is unreadable, or a request is invalid and
            ``keep_going`` is false (the first invalid line is named).
    """
    from .batch import start_check

    batch = start_check(text, name, spec=spec, engine=engine, keep_going=keep_going, processes=processes)
    return CheckRun(batch, str(log) if log is not None else None, user)


def _shown(log: str | None) -> str | None:
    """The log as reported: a PostgreSQL URL without its password."""
    if log is None or not log.startswith(("postgresql://", "postgres://")):
        return log
    from .log import display_url

    return display_url(log)


__all__ = ["LOG_EVERY", "CheckRun", "CheckSummary", "check_and_log", "explain_requests"]
