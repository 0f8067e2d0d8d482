"""Checking many requests: one request or JSON Lines in, decisions out.

Every request is validated before any is decided, so an invalid line stops the batch
before anything is decided or logged (unless the caller keeps going, when invalid lines
are reported and the rest decided). Large batches fan out over processes: each worker
builds its own engine once (the pool initializer) and decides chunks of requests, so
inter-process traffic is a few strings per request; results come back in input order.
Small batches are decided in this process.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..canonical import canonical_json
from ..engine import BATCH_GO_RUNTIME, EngineSpec
from ..errors import InvalidInputError, MacipError, PolicyError
from ..inputs import check_json, is_json_lines, parse_document, validate_model, validation_error
from .entry import LogEntry
from .evaluate import ENTRYPOINT, evaluate_raw, to_decision, wording
from .models import DisclosureRequest

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from ..engine import PolicyEngine

PARALLEL_FROM = 2000
"""Batches at least this large use every CPU core (when the engine is embedded)."""

CHUNK_SIZE = 400
"""Requests per unit of work sent to a worker process."""

GO_RUNTIME = BATCH_GO_RUNTIME
"""Go runtime settings for worker processes deciding batches (``engine.BATCH_GO_RUNTIME``):
one Go thread per process (the processes are the parallelism) and a garbage collector that
runs less often. Workers start with them in their environment unless it sets them already."""


@dataclass(frozen=True)
class Checked:
    """One decided request.

    Attributes:
        line: Its line in a JSON Lines batch (None for a single document).
        entry: The request and decision as canonical JSON, ready for the log.
    """

    line: int | None
    entry: LogEntry

    @property
    def allowed(self) -> bool:
        """True for allow and allow_with_conditions."""
        return self.entry.outcome in ("allow", "allow_with_conditions")


@dataclass
class ParsedRequests:
    """Requests read and validated from one input.

    Attributes:
        name: The input's name (file or ``-``).
        single: True when the input was one document rather than JSON Lines.
        items: ``(line, request JSON)`` for each valid request, in input order: the
            validated model's JSON (defaults filled in), which is what is decided.
        errors: One error per invalid line (file and line named).
    """

    name: str
    single: bool
    items: list[tuple[int | None, str]] = field(default_factory=list)
    errors: list[InvalidInputError] = field(default_factory=list)


def parse_requests(text: str, name: str) -> ParsedRequests:
    """Read and validate one request (JSON or YAML) or a JSON Lines batch.

    Args:
        text: The input.
        name: Its file name for messages (``-`` for stdin).

    Returns:
        The valid requests and one error per invalid one.

    Raises:
        InvalidInputError: A single document that is malformed or does not fit.
    """
    if not is_json_lines(text, name):
        data = parse_document(text, name)
        if not isinstance(data, dict):
            raise InvalidInputError("expected one disclosure request (a mapping) or JSON Lines", file=name)
        request = validate_model(DisclosureRequest, data, name, text=text)
        return ParsedRequests(name=name, single=True, items=[(None, request.model_dump_json())])
    parsed = ParsedRequests(name=name, single=False)
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            # pydantic's own parser keeps the last of two equal keys: refuse repeats, depth and size first.
            check_json(line, name, line=number)
            request = DisclosureRequest.model_validate_json(line)
        except InvalidInputError as exc:
            parsed.errors.append(exc)
            continue
        except ValidationError as exc:
            parsed.errors.append(_line_error(exc, name, number))
            continue
        if request.id in seen:
            parsed.errors.append(
                InvalidInputError(
                    f"id: {request.id!r} is also on line {seen[request.id]}", file=name, location=str(number)
                )
            )
            continue
        seen[request.id] = number
        parsed.items.append((number, request.model_dump_json()))
    if not parsed.items and not parsed.errors:
        parsed.errors.append(InvalidInputError("no requests", file=name))
    return parsed


def _line_error(exc: ValidationError, name: str, line: int) -> InvalidInputError:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        detail = re.sub(
            r" at line \d+ column (\d+)$", r" (column \1)", str(first.get("ctx", {}).get("error", "malformed"))
        )
        return InvalidInputError(f"invalid JSON: {detail}", file=name, location=str(line))
    return validation_error(exc, name, line=line)


def check_one(engine: PolicyEngine, request_json: str) -> LogEntry:
    """Decide one request given as JSON, returning canonical request and decision JSON.

    Raises:
        PolicyError: The engine failed or returned something that is not a decision.
    """
    request = DisclosureRequest.model_validate_json(request_json)
    document = request.model_dump(mode="json")
    decision = to_decision(evaluate_raw(engine, document), request.id, engine.revision, wording(engine))
    return LogEntry(
        request_id=request.id,
        outcome=decision.outcome.value,
        policy_revision=decision.policy_revision,
        request_json=canonical_json(document),
        decision_json=canonical_json(decision.model_dump(mode="json")),
    )


def check_validated(engine: PolicyEngine, requests: Sequence[str]) -> list[LogEntry]:
    """Decide requests that have been validated already, given as their model's JSON.

    The requests come from :func:`parse_requests` (``DisclosureRequest.model_dump_json()``),
    so they are read back as plain JSON rather than validated again. An engine that can
    evaluate many inputs in one call (``evaluate_many``) decides them all in one; the
    answers are checked one by one exactly as :func:`check_one` checks its answer.

    Raises:
        PolicyError: The engine failed or returned something that is not a decision.
    """
    documents = [json.loads(r) for r in requests]
    many = getattr(engine, "evaluate_many", None)
    if many is not None:
        raws = many(ENTRYPOINT, documents)
        if not isinstance(raws, list) or len(raws) != len(documents):
            raise PolicyError(f"data.{ENTRYPOINT}: the engine did not answer for every request; refusing to decide")
    else:
        raws = [evaluate_raw(engine, d) for d in documents]
    for raw in raws:
        if not isinstance(raw, dict):
            raise PolicyError(f"data.{ENTRYPOINT} is {type(raw).__name__}, not a decision object; refusing to decide")
    words = wording(engine)
    entries = []
    for document, raw in zip(documents, raws, strict=True):
        decision = to_decision(raw, document["id"], engine.revision, words)
        entries.append(
            LogEntry(
                request_id=decision.id,
                outcome=decision.outcome.value,
                policy_revision=decision.policy_revision,
                request_json=canonical_json(document),
                decision_json=canonical_json(decision.model_dump(mode="json")),
            )
        )
    return entries


# Worker processes: one engine each, built once by the pool initializer.
_worker_engine: PolicyEngine | None = None
_worker_failure: str | None = None

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(kernel_signal: bool) -> None:
    """End this worker process when the process that started it ends, however it ends (kill -9 too).

    On Linux the kernel sends SIGKILL when the parent goes (``PR_SET_PDEATHSIG``; it tracks
    the thread that started the worker, so it is asked for only when that is the main
    thread). Everywhere, a daemon thread waits on the pipe multiprocessing keeps from the
    parent, which reaches end-of-file when the parent dies, and ends the process then.
    """
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if kernel_signal and sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - not glibc/musl
            pass
    if parent is None:  # pragma: no cover - not started by multiprocessing
        return
    if os.getppid() != parent.pid:  # the parent died before the request above took effect
        os._exit(1)

    def watch() -> None:
        parent.join()  # returns when the parent's end of the pipe closes
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _init_worker(spec: EngineSpec, kernel_signal: bool = False) -> None:
    global _worker_engine, _worker_failure
    _die_with_parent(kernel_signal)
    # The Go runtime settings are in the environment this process started with (see
    # start_check): the runtime reads them from there, not from later changes.
    try:
        _worker_engine = spec.load()
    except MacipError as exc:
        _worker_failure = exc.one_line()
    except Exception as exc:  # an initializer that raises makes the pool respawn forever
        _worker_failure = f"worker could not start: {type(exc).__name__}: {exc}"


@contextmanager
def _environment(settings: Mapping[str, str]) -> Iterator[None]:
    """``settings`` in the environment (values already there win) while processes are started."""
    added = {name: value for name, value in settings.items() if name not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def _work(chunk: list[tuple[int | None, str]]) -> tuple[str | None, list[tuple[int | None, LogEntry]]]:
    if _worker_engine is None:
        return _worker_failure or "worker has no engine", []
    try:
        entries = check_validated(_worker_engine, [raw for _, raw in chunk])
        return None, [(line, entry) for (line, _), entry in zip(chunk, entries, strict=True)]
    except MacipError as exc:
        return exc.one_line(), []
    except Exception as exc:  # fail closed, and never hang the parent on an unpicklable error
        return f"internal error: {type(exc).__name__}: {exc}", []


class BatchCheck:
    """A batch under way: iterate it for lists of :class:`Checked`, in input order."""

    def __init__(
        self,
        parsed: ParsedRequests,
        *,
        engine: Callable[[], PolicyEngine] | None,
        pool: Pool | None,
        chunk_size: int,
    ):
        """Use :func:`start_check`."""
        self.parsed = parsed
        self.errors = parsed.errors
        self.total = len(parsed.items)
        self.parallel = pool is not None
        self._engine = engine
        self._pool = pool
        self._chunk_size = chunk_size

    def __iter__(self) -> Iterator[list[Checked]]:
        items = self.parsed.items
        chunks = [items[i : i + self._chunk_size] for i in range(0, len(items), self._chunk_size)]
        if self._pool is None:
            if not chunks:
                return
            if self._engine is None:
                raise PolicyError("no engine to decide with")
            engine = self._engine()
            for chunk in chunks:
                entries = check_validated(engine, [raw for _, raw in chunk])
                yield [Checked(line, entry) for (line, _), entry in zip(chunk, entries, strict=True)]
            return
        for failure, results in self._pool.imap(_work, chunks):
            if failure is not None:
                raise PolicyError(failure)
            yield [Checked(line, entry) for line, entry in results]

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> BatchCheck:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_check(
    text: str,
    name: str,
    *,
    spec: EngineSpec | None = None,
    engine: Callable[[], PolicyEngine] | None = None,
    keep_going: bool = False,
    processes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    parallel_from: int = PARALLEL_FROM,
) -> BatchCheck:
    """Read, validate and start deciding requests.

    Worker processes (spawned, each loading ``spec``'s engine) are started before
    validation, so they load policies while this process validates.

    Args:
        text: One request (JSON or YAML) or JSON Lines.
        name: The input's name, for messages.
        spec: How worker processes build their engine; None keeps the batch in process.
        engine: Returns this process's engine (called once, only if needed).
        keep_going: Report invalid lines instead of stopping at the first.
        processes: Worker processes; None means every core for batches of at least
            ``parallel_from`` requests. 1 keeps the batch in this process; more than 1
            uses workers for any batch of two or more.
        chunk_size: Requests per unit of work.
        parallel_from: Size from which a batch uses workers by default.

    Returns:
        The batch, to iterate and then close (it is a context manager).

    Raises:
        InvalidInputError: The input is unreadable, or a line is invalid and
            ``keep_going`` is false (the first invalid line is named).
    """
    pool = None
    if spec is not None and spec.kind == "embedded" and processes != 1 and is_json_lines(text, name):
        lines = sum(1 for line in text.splitlines() if line.strip())
        workers = processes or os.cpu_count() or 1
        if workers > 1 and lines > 1 and (processes is not None or lines >= parallel_from):
            import multiprocessing
            import threading

            # spawn, not fork: the Go runtime inside the engine does not survive a fork. Each
            # worker's Go runtime reads its settings from the environment the worker starts with.
            main = threading.current_thread() is threading.main_thread()
            with _environment({**BATCH_GO_RUNTIME, **dict(spec.go_env)}):
                pool = multiprocessing.get_context("spawn").Pool(workers, _init_worker, (spec, main))
    try:
        parsed = parse_requests(text, name)
        if parsed.errors and not keep_going:
            raise parsed.errors[0]
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool.join()
        raise
    if pool is not None and not parsed.items:
        pool.terminate()
        pool.join()
        pool = None
    return BatchCheck(parsed, engine=engine, pool=pool, chunk_size=chunk_size)


def summarise(outcomes: dict[str, int]) -> str:
    """``"3 requests: 1 allow, 2 deny"`` from a count per outcome."""
    total = sum(outcomes.values())
    order = ("allow", "allow_with_conditions", "refer", "deny")
    parts = [f"{outcomes[o]} {o}" for o in order if outcomes.get(o)]
    noun = "request" if total == 1 else "requests"
    return f"{total} {noun}: {', '.join(parts) if parts else 'none decided'}"


__all__ = [
    "CHUNK_SIZE",
    "GO_RUNTIME",
    "PARALLEL_FROM",
    "BatchCheck",
    "Checked",
    "EngineSpec",
    "ParsedRequests",
    "check_one",
    "check_validated",
    "is_json_lines",
    "parse_requests",
    "start_check",
    "summarise",
]
