"""The policy engine: OPA in-process (default) or an OPA server, both failing closed.

Every engine answers ``evaluate(entrypoint, input)`` with the JSON value of the
document ``data.<entrypoint>``. Anything other than a defined value -- a compile
error, a runtime error, an undefined document, a timeout, an unreachable server, a
server whose policy revision is not the local one -- raises :class:`PolicyError`, so
no caller can mistake a fault for a permissive answer.

Every evaluation has a deadline (:data:`DEFAULT_TIMEOUT` unless the caller gives
another). OPA's Go engine, as the bindings expose it, cannot be cancelled: an
evaluation that overruns is abandoned on its own daemon thread (it does not keep the
process from exiting) and the engine that started it refuses every later call.

The in-process engine compiles the policies once, when it loads: the bindings compile
every module again for each distinct query string, so every entrypoint is evaluated
through one query prepared at load (see :class:`EmbeddedEngine`). :class:`EngineSpec`
says how to build an engine, Go runtime settings included (:data:`GO_RUNTIME`).
"""

from __future__ import annotations

import functools
import json
import math
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ._go import GO_RUNTIME, missing_settings, startup_environment
from .errors import PolicyError, PolicyLoadError

if TYPE_CHECKING:
    from .policyset import PolicySet

ENTRYPOINT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# OPA reports "file.rego:12: rego_parse_error: ..." inside longer messages.
_LOCATED = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<line>\d+):\s*(?P<msg>[^\n]*)")

DEFAULT_TIMEOUT = 10.0
"""Seconds one evaluation (or one request to an OPA server) may take by default."""

REVISION_DOCUMENT = "macip_gov.policy_set"
"""Where macip-gov records, on an OPA server it pushed policies to, the revision it pushed
(``{"revision": ..., "roots": [...]}``). A server serving a bundle reports the bundle's
``.manifest`` revision in ``data.system.bundles[<name>].manifest.revision`` instead."""

REVISION_RECHECK = 60.0
"""Seconds after which an OPA server's revision is read again before the next decision."""

_REVISION_TEXT = re.compile(r"^[\x21-\x7e]{1,128}$")


def _check_timeout(timeout: float | None) -> None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")


class _Overrun(Exception):
    """A call did not finish before its deadline."""


class _Call:
    __slots__ = ("done", "error", "fn", "value")

    def __init__(self, fn: Callable[[], Any]):
        self.fn = fn
        self.value: Any = None
        self.error: BaseException | None = None
        self.done = threading.Lock()
        self.done.acquire()


class _DeadlineRunner:
    """Runs calls one at a time on a daemon thread, so the caller can stop waiting at a deadline.

    A call the caller stopped waiting for (deadline passed, or interrupted) leaves the
    runner ``abandoned``: its thread may still be busy, so the owner must not use it again.
    """

    def __init__(self, name: str):
        self._name = name
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.abandoned = False

    def call(self, timeout: float, fn: Callable[[], Any]) -> Any:
        """Run ``fn()`` and return its value or raise its exception; ``_Overrun`` after ``timeout`` s."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        call = _Call(fn)
        self._calls.put(call)
        try:
            finished = call.done.acquire(timeout=timeout)
        except BaseException:
            self.abandoned = True
            raise
        if not finished:
            self.abandoned = True
            raise _Overrun
        if call.error is not None:
            raise call.error
        return call.value

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            try:
                call.value = call.fn()
            except BaseException as exc:  # handed to the caller, whatever it is
                call.error = exc
            call.done.release()
            del call

    def close(self) -> None:
        """Let the thread end once it is idle."""
        if self._thread is not None:
            self._calls.put(None)


class PolicyEngine(Protocol):
    """What every engine offers; callers depend on this, not on a backend."""

    revision: str
    policy_set: PolicySet

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate ``data.<entrypoint>`` for ``input`` or raise PolicyError."""
        ...

    def close(self) -> None:
        """Release the engine."""
        ...


def _check_entrypoint(entrypoint: str) -> None:
    if not ENTRYPOINT.match(entrypoint):
        raise PolicyError(f"not a dotted entrypoint: {entrypoint!r}")


def _policy_error(message: str, policy_set: PolicySet, cls: type[PolicyError] = PolicyError) -> PolicyError:
    """Turn an OPA message into a one-line error naming the file and line."""
    match = _LOCATED.search(message)
    if match:
        return cls(match["msg"], file=match["file"], location=match["line"])
    return cls(message, file=str(policy_set.root))


def _dumps_input(value: Any) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"input is not JSON data: {exc}") from None
    return value


BATCH_GO_RUNTIME: dict[str, str] = {**GO_RUNTIME, "GOMAXPROCS": "1"}
"""The settings for worker processes deciding a batch: one Go thread each as well (the
processes are the parallelism)."""


def go_runtime_env(settings: Mapping[str, str] = GO_RUNTIME) -> dict[str, str]:
    """``settings``, with the value the environment gives instead wherever it gives one."""
    return {name: os.environ.get(name, value) for name, value in settings.items()}


def apply_go_runtime(settings: Mapping[str, str] = GO_RUNTIME) -> dict[str, str]:
    """Put Go runtime settings into this process's environment, for every engine it starts.

    A value already in the environment wins. Processes started from this one (batch
    workers) run their Go runtime with the result; this process's own runtime uses them
    only if they were in its environment when it started (see :func:`startup_environment`).

    Returns:
        The settings now in effect for processes started from this one.
    """
    effective = go_runtime_env(settings)
    for name, value in effective.items():
        os.environ.setdefault(name, value)
    return effective


def go_runtime_active(settings: Mapping[str, str] = GO_RUNTIME) -> bool:
    """True when this process's Go runtime runs (or will start) with ``settings`` or the user's own values.

    False when one of them was not in the environment this process started with.
    """
    return not missing_settings(startup_environment(), settings)


_ENTRYPOINT_BUILTIN = "macip_gov.entrypoint"

_ABANDONED: list[Any] = []
"""Bindings engines whose evaluation overran its deadline: still running, never released."""

DISPATCH_DEPTH = 6
"""Entrypoints of up to this many names are evaluated through the query prepared at load;
deeper ones compile a query of their own the first time they are evaluated."""


def _dispatch_query(depth: int) -> str:
    """One query that evaluates the document ``data.<a>.<b>...`` of any entrypoint up to ``depth`` names.

    The names come from a builtin the engine registers, which answers the entrypoint of the
    evaluation under way, so the policies see the caller's ``input`` untouched (or none).
    ``d<n>`` is ``[value]`` for an entrypoint of ``n`` names whose document is defined, else
    ``[]``; other lengths stop at ``count(p)``. The reference is ground by the time it is
    evaluated, so OPA evaluates the addressed document and nothing beside it.
    """
    parts = [f"p := {_ENTRYPOINT_BUILTIN}()"]
    for n in range(1, depth + 1):
        ref = "".join(f"[p[{i}]]" for i in range(n))
        parts.append(f"d{n} := [v | count(p) == {n}; v := data{ref}]")
    return "; ".join(parts)


DISPATCH_QUERY = _dispatch_query(DISPATCH_DEPTH)
"""The query every evaluation of an entrypoint of up to :data:`DISPATCH_DEPTH` names runs."""

_PACKAGE = re.compile(r"^[ \t]*package[ \t]+([^\s#]+)", re.M)
# Rego comments and string literals ("..." with escapes, `...` raw), to look at code only.
_NOT_CODE = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|`[^`]*`')
# `data` other than followed by a dot: data[...], data as a value, `import data`.
_WHOLE_DATA = re.compile(r"\bdata\b(?!\s*\.)")


def decision_modules(modules: Mapping[str, str]) -> dict[str, str]:
    """The modules decisions are made with: every module but the Rego unit tests.

    A test module is a ``*_test.rego`` file whose package ends in ``_test`` (as ``policy
    test`` finds them). Compiling them doubles the cost of loading the bundled policies, and
    no decision reads them; but if the code of any other module names a test package, or
    refers to ``data`` other than by a dotted path (``data[x]``, ``data`` as a value), every
    module is kept.
    """
    tests: dict[str, str] = {}
    for rel, source in modules.items():
        if rel.endswith("_test.rego"):
            match = _PACKAGE.search(source)
            if match and match[1].endswith("_test"):
                tests[rel] = match[1].rsplit(".", 1)[-1]
    if not tests:
        return dict(modules)
    names = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(set(tests.values()))) + r")\b")
    kept = {rel: source for rel, source in modules.items() if rel not in tests}
    for source in kept.values():
        code = _NOT_CODE.sub(" ", source)
        if _WHOLE_DATA.search(code) or names.search(code):
            return dict(modules)
    return kept


class EmbeddedEngine:
    """OPA's own Go engine running in this process (``opa_bindings``).

    Policies and data are loaded and compiled once, in the constructor. The bindings
    compile every module again for each distinct query string they are given, so every
    :meth:`evaluate` runs the same query (:data:`DISPATCH_QUERY`, prepared at load) with the
    entrypoint supplied by a builtin: one compile per engine, whichever entrypoints a
    command evaluates. Each evaluation has a deadline. One engine per process or thread:
    batches fan out over processes, each with its own engine.
    """

    def __init__(
        self,
        policy_set: PolicySet,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        tests: bool = False,
        go_env: Mapping[str, str] | None = None,
    ):
        """Load and compile a policy set.

        Args:
            policy_set: The policies and data to load.
            timeout: Seconds one evaluation may take (default :data:`DEFAULT_TIMEOUT`);
                None waits for ever (tooling only: decisions always have a deadline).
            tests: Compile the Rego unit tests too (tooling); decisions leave them out
                (see :func:`decision_modules`).
            go_env: Go runtime settings (default :data:`GO_RUNTIME`), see :func:`apply_go_runtime`.

        Raises:
            PolicyLoadError: A module does not parse or the set does not compile.
        """
        _check_timeout(timeout)
        apply_go_runtime(GO_RUNTIME if go_env is None else go_env)
        try:
            from opa_bindings import OpaEngine, OpaError, OpaUndefinedError
        except ImportError as exc:  # pragma: no cover - install problem
            raise PolicyError(
                "the OPA engine (opa-golib-python-bindings) is not installed; run `make demo` "
                f"or see the README ({exc})"
            ) from None
        self._error_types = (OpaError, OpaUndefinedError)
        self.policy_set = policy_set
        self.revision = policy_set.revision
        self.timeout = timeout
        self.modules = tuple(policy_set.modules if tests else decision_modules(policy_set.modules))
        self._broken: str | None = None
        self._runner = _DeadlineRunner("opa-eval")
        self._lock = threading.Lock()
        self._dedicated: set[str] = set()
        # The entrypoint of the evaluation under way, answered by the builtin; set and read under _lock.
        target: list[list[str]] = [[]]
        self._target = target
        self._opa = OpaEngine()
        self._opa.print_handler = lambda message, location: None
        for rel in self.modules:
            try:
                self._opa.add_policy(policy_set.display_path(rel), policy_set.modules[rel])
            except OpaError as exc:
                raise _policy_error(exc.message, policy_set, PolicyLoadError) from None
        for dotted, value in policy_set.data.items():
            try:
                self._opa.add_data(value, dotted)
            except OpaError as exc:
                file = policy_set.display_path(policy_set.data_files[dotted])
                raise PolicyLoadError(exc.message, file=file) from None
        self._opa.register_function(_ENTRYPOINT_BUILTIN, lambda: target[0], arity=0)
        try:
            # Preparing the query compiles every module, so compile errors (unsafe
            # variables, type errors, conflicts) surface here, once; every entrypoint
            # is then evaluated without compiling again.
            self._dispatch([], None)
        except OpaError as exc:
            raise _policy_error(exc.message, policy_set, PolicyLoadError) from None

    def _call(self, what: str, fn: Callable[[], Any], evaluations: int = 1) -> Any:
        """``fn()`` within the deadline of ``evaluations`` evaluations; after an overrun every later call is refused."""
        if self._broken:
            raise PolicyError(self._broken)
        if self.timeout is None:
            return fn()
        try:
            return self._runner.call(self.timeout * evaluations, fn)
        except _Overrun:
            # The Go evaluation cannot be interrupted; it keeps the engine busy, so
            # every later call fails closed too.
            self._broken = f"{what} timed out after {self.timeout:g}s"
            raise PolicyError(self._broken) from None
        finally:
            if self._runner.abandoned:
                # The Go evaluation may still call back into the builtin registered on
                # the bindings' engine: keep it (and its callback) alive for good.
                _ABANDONED.append(self._opa)
                if not self._broken:
                    self._broken = f"{what} was interrupted"

    def query(self, query: str, input: Any = None) -> list[dict[str, Any]]:
        """Run an ad-hoc Rego query, within the deadline (tooling: each distinct query compiles once).

        Raises:
            PolicyError: The query does not compile, fails, or takes longer than the deadline.
        """
        _dumps_input(input)
        shown = query if len(query) <= 60 else query[:57] + "..."
        return self._call(f"evaluation of the query {shown!r}", functools.partial(self._query, query, input))  # type: ignore[no-any-return]

    def _query(self, query: str, input: Any) -> list[dict[str, Any]]:
        OpaError, _ = self._error_types
        try:
            result: list[dict[str, Any]] = self._opa.eval_query(query, input)
        except OpaError as exc:
            raise _policy_error(exc.message, self.policy_set) from None
        return result

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate ``data.<entrypoint>`` within the engine's deadline.

        Args:
            entrypoint: Dotted document path, e.g. ``oia.grounds.decision``.
            input: JSON-compatible input document.

        Returns:
            The document's value.

        Raises:
            PolicyError: Runtime error, undefined document, timeout, or bad input. After
                a timeout the engine stays closed: every later call raises too.
        """
        _check_entrypoint(entrypoint)
        if self._broken:
            raise PolicyError(self._broken)
        _dumps_input(input)
        return self._call(f"evaluation of data.{entrypoint}", functools.partial(self._eval, entrypoint, input))

    def evaluate_many(self, entrypoint: str, inputs: Sequence[Any]) -> list[Any]:
        """Evaluate ``data.<entrypoint>`` for each input, in one call into the engine.

        For batches: each call into the engine has a fixed cost (the hand-over to the
        evaluation thread, the bindings, the query's set-up) that one call per input pays
        again and again. Each input is evaluated on its own (``with input as``), exactly
        as :meth:`evaluate` would; the deadline is the engine's deadline per evaluation,
        once for each input. The query of each entrypoint compiles the policies once more,
        the first time it is used.

        Args:
            entrypoint: Dotted document path.
            inputs: JSON-compatible input documents.

        Returns:
            The document's value for each input, in order.

        Raises:
            PolicyError: As :meth:`evaluate`; the document undefined for any one input
                fails the whole call, naming that input's position.
        """
        _check_entrypoint(entrypoint)
        if self._broken:
            raise PolicyError(self._broken)
        documents = list(inputs)
        if not documents:
            return []
        _dumps_input(documents)
        call = functools.partial(self._eval_many, entrypoint, documents)
        return self._call(f"evaluation of data.{entrypoint}", call, len(documents))  # type: ignore[no-any-return]

    def _eval_many(self, entrypoint: str, documents: list[Any]) -> list[Any]:
        OpaError, _ = self._error_types
        # Keyed by position, so an input whose document is undefined is missing, not skipped over.
        query = f"out := {{i: v | some i, doc in input; v := data.{entrypoint} with input as doc}}"
        try:
            rows: list[dict[str, Any]] = self._opa.eval_query(query, documents)
        except OpaError as exc:
            raise _policy_error(f"{exc.code}: {exc.message}", self.policy_set) from None
        found = rows[0].get("out") if len(rows) == 1 else None
        if not isinstance(found, dict) or len(found) > len(documents):
            raise PolicyError(f"the engine did not answer for data.{entrypoint}; refusing to decide")
        values = []
        for position in range(len(documents)):
            key = str(position)
            if key not in found:
                raise PolicyError(
                    f"data.{entrypoint} is undefined (input {position + 1} of {len(documents)})",
                    file=str(self.policy_set.root),
                )
            values.append(found[key])
        return values

    def steps(self, entrypoint: str, input: Any = None) -> dict[str, int]:
        """How many steps of each kind OPA's evaluator takes for ``data.<entrypoint>`` on ``input`` (tooling).

        Counted from OPA's trace of one evaluation: ``Enter`` is a rule body (or
        comprehension) entered, ``Eval`` an expression evaluated, ``Index`` a rule-index
        lookup, and so on. A measure of a policy's cost that does not vary with the load on
        the machine. Traced evaluations are slower than plain ones and have no deadline.

        Raises:
            PolicyError: The document is undefined or the evaluation fails.
        """
        _check_entrypoint(entrypoint)
        _dumps_input(input)
        OpaError, _ = self._error_types
        with self._lock:
            try:
                self._opa.eval_document(entrypoint, input, trace=True)
            except OpaError as exc:
                raise _policy_error(f"{exc.code}: {exc.message}", self.policy_set) from None
            events = self._opa.last_trace or []
        counts: dict[str, int] = {}
        for event in events:
            op = str(event.get("op", "?"))
            counts[op] = counts.get(op, 0) + 1
        return counts

    def dedicate(self, entrypoint: str) -> None:
        """Evaluate ``entrypoint`` with a query of its own from now on, for an entrypoint evaluated thousands of times.

        Its query compiles the policies once more, at its next evaluation (about what
        loading costs); each evaluation then skips the shared query's dispatch.
        """
        _check_entrypoint(entrypoint)
        self._dedicated.add(entrypoint)

    def _dispatch(self, path: list[str], input: Any) -> list[dict[str, Any]]:
        with self._lock:
            self._target[0] = path
            try:
                rows: list[dict[str, Any]] = self._opa.eval_query(DISPATCH_QUERY, input)
            finally:
                self._target[0] = []
        return rows

    def _eval(self, entrypoint: str, input: Any) -> Any:
        OpaError, OpaUndefinedError = self._error_types
        path = entrypoint.split(".")
        undefined = PolicyError(f"data.{entrypoint} is undefined", file=str(self.policy_set.root))
        try:
            if len(path) > DISPATCH_DEPTH or entrypoint in self._dedicated:
                return self._opa.eval_document(entrypoint, input)
            rows = self._dispatch(path, input)
        except OpaUndefinedError:
            raise undefined from None
        except OpaError as exc:
            raise _policy_error(f"{exc.code}: {exc.message}", self.policy_set) from None
        row = rows[0] if len(rows) == 1 else {}
        found = row.get(f"d{len(path)}")
        if row.get("p") != path or not isinstance(found, list) or len(found) > 1:
            raise PolicyError(f"the engine did not answer for data.{entrypoint}; refusing to decide")
        if not found:
            raise undefined
        return found[0]

    def close(self) -> None:
        """Release the Go engine and the evaluation thread."""
        self._runner.close()
        self._opa.close()


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _overlap(roots: list[str], ours: list[str]) -> bool:
    """True when a bundle with ``roots`` owns any path under one of ``ours`` (OPA roots: ``a/b``)."""
    for root in roots:
        root = root.strip("/")
        for mine in ours:
            if not root or root == mine or mine.startswith(root + "/") or root.startswith(mine + "/"):
                return True
    return False


def _trust_adapter(ca_bundle: str) -> Any:
    """A transport adapter verifying every https request against ``ca_bundle``, whatever the environment says.

    requests is imported here, not at module level: only the OPA server engine needs it.
    """
    import requests.adapters

    class TrustAdapter(requests.adapters.HTTPAdapter):
        def send(
            self,
            request: requests.PreparedRequest,
            stream: bool = False,
            timeout: None | float | tuple[float, float] | tuple[float, None] = None,
            verify: bool | str = True,
            cert: None | bytes | str | tuple[bytes | str, bytes | str] = None,
            proxies: Mapping[str, str] | None = None,
        ) -> requests.Response:
            return super().send(request, stream=stream, timeout=timeout, verify=ca_bundle, cert=cert, proxies=proxies)

    return TrustAdapter()


class OpaServerEngine:
    """The same policies served by an OPA server, through opa-python-client.

    Before deciding, the engine reads the policy revision the server reports and refuses
    a revision other than the local one (unless ``allow_revision_mismatch``); decisions
    then carry the server's revision. A server serving a bundle that covers these policies
    (``macip-gov policy bundle``) reports the bundle's ``.manifest`` revision, read from
    ``data.system.bundles``; otherwise the constructor pushes every module
    (``PUT /v1/policies/<path>``), every data document (``PUT /v1/data/<a/b>``) and the
    revision (:data:`REVISION_DOCUMENT`), and reads the revision back. With ``push=False``
    nothing is uploaded. Decisions are ``POST /v1/data/<a/b/c>`` with ``{"input": ...}``;
    the revision is read again before a decision when :data:`REVISION_RECHECK` seconds
    have passed, and a change during the run is refused.
    """

    def __init__(
        self,
        policy_set: PolicySet,
        url: str,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        push: bool = True,
        token: str | None = None,
        ca_bundle: str | Path | None = None,
        allow_revision_mismatch: bool = False,
    ):
        """Connect to an OPA server, load the policy set into it unless it serves it, check its revision.

        Args:
            policy_set: The policies and data.
            url: Base URL of the server, e.g. ``https://opa.internal:8181``.
            timeout: Seconds each request to the server may take, in all.
            push: Upload policies and data when the server serves no bundle covering them.
            token: Bearer token for a server that requires one (https, or a loopback address).
            ca_bundle: PEM file of the certificate authorities to trust for an https server;
                the system's by default. Certificates are always verified.
            allow_revision_mismatch: Decide even when the server's revision is not the local
                one (decisions carry the server's revision).

        Raises:
            PolicyError: Bad URL or TLS settings, the server is unreachable, refused a
                policy, or reports no revision or another one.
        """
        from urllib.parse import urlsplit

        from opa_client.opa import OpaClient

        _check_timeout(timeout)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PolicyError(f"not an OPA server URL: {url!r}")
        https = parts.scheme == "https"
        if ca_bundle is not None and not https:
            raise PolicyError("a CA bundle (--opa-ca-bundle) needs an https:// OPA server URL", file=url)
        if ca_bundle is not None and not Path(ca_bundle).is_file():
            raise PolicyError(f"CA bundle not found: {ca_bundle}", file=url)
        if token and not https and not _loopback(parts.hostname):
            raise PolicyError(
                f"refusing to send the OPA token in clear text to {parts.hostname}; use an https:// URL", file=url
            )
        self.url = url
        self.policy_set = policy_set
        self.revision = policy_set.revision
        self.server_revision: str | None = None
        self.timeout = timeout
        self.allow_revision_mismatch = allow_revision_mismatch
        self._roots = sorted({rel.split("/", 1)[0] for rel in policy_set.modules if "/" in rel}
                             | {dotted.split(".", 1)[0] for dotted in policy_set.data})  # fmt: skip
        self._broken: str | None = None
        self._checked_at = 0.0
        self._runner = _DeadlineRunner("opa-http")
        self._client = OpaClient(
            host=parts.hostname,
            port=parts.port or (443 if https else 80),
            # opa-python-client: a true value means https, and is the session's `verify`.
            ssl=(str(ca_bundle) if ca_bundle is not None else True) if https else False,
            timeout=timeout,
            retries=0,
            token=token,
        )
        if ca_bundle is not None:
            # requests lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE override a session's
            # `verify`; the transport adapter sees each request last, so it sets it there.
            self._client._session.mount("https://", _trust_adapter(str(ca_bundle)))
        where, reported = self._reported_revision()
        if push and not where.startswith("bundle"):
            self._push()
            where, reported = self._reported_revision()
        self._accept_revision(where, reported)
        self._check_annotations()

    def _request(self, what: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        import requests

        if self._broken:
            raise PolicyError(self._broken, file=self.url)
        fn = functools.partial(call, *args, **kwargs)
        try:
            if self.timeout is None:
                return fn()
            return self._runner.call(self.timeout, fn)
        except _Overrun:
            self._broken = f"{what}: the OPA server did not answer within {self.timeout:g}s (timed out)"
            raise PolicyError(self._broken, file=self.url) from None
        except (requests.exceptions.JSONDecodeError, json.JSONDecodeError) as exc:
            raise PolicyError(f"{what}: the OPA server's answer is not JSON ({exc})", file=self.url) from None
        except requests.exceptions.Timeout:
            raise PolicyError(
                f"{what}: the OPA server did not answer within {self.timeout:g}s (timed out)", file=self.url
            ) from None
        except requests.exceptions.SSLError:
            raise PolicyError(
                f"{what}: TLS with the OPA server failed (certificate not verified?)", file=self.url
            ) from None
        except requests.RequestException as exc:
            response = getattr(exc, "response", None)
            if response is not None:
                try:
                    body = response.json()
                    detail = (body.get("message") if isinstance(body, dict) else None) or body
                except ValueError:
                    detail = response.text[:200]
                raise PolicyError(
                    f"{what}: OPA server answered {response.status_code}: {detail}", file=self.url
                ) from None
            raise PolicyError(f"{what}: OPA server unreachable ({type(exc).__name__})", file=self.url) from None
        except PolicyError:
            raise
        except Exception as exc:  # the client raises its own types for OPA errors
            detail = getattr(exc, "message", None) or str(exc)
            raise PolicyError(f"{what}: {detail}", file=self.url) from None
        finally:
            if self._runner.abandoned and not self._broken:
                self._broken = f"{what}: interrupted"

    def _document(self, what: str, dotted: str, input: Any = None) -> tuple[bool, Any]:
        """``(defined, value)`` of ``data.<dotted>`` on the server."""
        body = self._request(
            what, self._client.query_rule, input, dotted, query_params={"strict-builtin-errors": "true"}
        )
        if not isinstance(body, dict):
            raise PolicyError(f"{what}: the OPA server's answer is not a JSON object", file=self.url)
        if "result" not in body:
            return False, None
        return True, body["result"]

    def _reported_revision(self) -> tuple[str, Any]:
        """Where the server's revision for these policies comes from, and the revision ("" when none)."""
        defined, bundles = self._document("reading the server's bundles", "system.bundles")
        if defined and not isinstance(bundles, dict):
            raise PolicyError("data.system.bundles on the OPA server is not an object", file=self.url)
        found = []
        for name, entry in sorted((bundles or {}).items()):
            manifest = entry.get("manifest") if isinstance(entry, dict) else None
            if not isinstance(manifest, dict):
                raise PolicyError(f"bundle {name!r} on the OPA server has no manifest", file=self.url)
            roots = manifest.get("roots", [""])
            if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
                raise PolicyError(f"bundle {name!r} on the OPA server has malformed roots", file=self.url)
            if _overlap(roots, self._roots):
                found.append((name, manifest.get("revision")))
        if len(found) > 1:
            names = ", ".join(repr(n) for n, _ in found)
            raise PolicyError(
                f"the OPA server serves several bundles under these policies' roots ({names})", file=self.url
            )
        if found:
            name, revision = found[0]
            return f"bundle {name!r}", revision
        defined, pushed = self._document("reading the pushed policy revision", REVISION_DOCUMENT)
        if defined:
            return f"data.{REVISION_DOCUMENT}", pushed.get("revision") if isinstance(pushed, dict) else None
        return "", None

    def _accept_revision(self, where: str, reported: Any) -> None:
        local = self.policy_set.revision
        if not isinstance(reported, str) or not _REVISION_TEXT.match(reported):
            source = where or f"no bundle covering {', '.join(self._roots)} and no data.{REVISION_DOCUMENT}"
            raise PolicyError(
                f"the OPA server reports no usable policy revision ({source}); refusing to decide", file=self.url
            )
        if self.server_revision is not None and reported != self.server_revision:
            raise PolicyError(
                f"the OPA server's policy revision changed from {self.server_revision[:12]} to {reported[:12]} "
                "during the run; refusing to decide",
                file=self.url,
            )
        if reported != local and not self.allow_revision_mismatch:
            raise PolicyError(
                f"the OPA server's policy revision {reported[:12]} ({where}) is not the local policy revision "
                f"{local[:12]}; refusing to decide (--allow-revision-mismatch decides with the server's policies)",
                file=self.url,
            )
        self.server_revision = self.revision = reported
        self._checked_at = time.monotonic()

    def _push(self) -> None:
        for rel, source in self.policy_set.modules.items():
            self._request(
                f"uploading {rel}",
                self._client.update_policy_from_string,
                source,
                rel,
                rego_compat=False,
            )
        for dotted, value in self.policy_set.data.items():
            self._request(
                f"uploading data.{dotted}",
                self._client.update_or_create_data,
                value,
                dotted.replace(".", "/"),
            )
        self._request(
            f"uploading data.{REVISION_DOCUMENT}",
            self._client.update_or_create_data,
            {"revision": self.policy_set.revision, "roots": self._roots},
            REVISION_DOCUMENT.replace(".", "/"),
        )

    def _check_annotations(self) -> None:
        """Refuse a server that does not read METADATA: every result's rule id comes from it.

        Such a server would still deny, but every finding would carry ``lib.result.missing_id``
        instead of the rule that fired. Only trees built on ``lib.result`` are asked.
        """
        if not any(rel.startswith("lib/result/") for rel in self.policy_set.modules):
            return
        defined, value = self._document("checking METADATA", "lib.result.annotations_read", None)
        if not defined or value is not True:
            raise PolicyError(
                "the OPA server does not read the policies' METADATA annotations, so results would lose "
                "their rule ids; refusing to decide (run an OPA that processes annotations)",
                file=self.url,
            )

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate ``data.<entrypoint>`` on the server (see :meth:`EmbeddedEngine.evaluate`)."""
        _check_entrypoint(entrypoint)
        _dumps_input(input)
        if time.monotonic() - self._checked_at > REVISION_RECHECK:
            self._accept_revision(*self._reported_revision())
        defined, value = self._document(f"evaluating data.{entrypoint}", entrypoint, input)
        if not defined:
            raise PolicyError(f"data.{entrypoint} is undefined", file=self.url)
        return value

    def close(self) -> None:
        """Close the HTTP session."""
        self._runner.close()
        self._client.close_connection()


def load_engine(
    policies: Path | str | None = None,
    *,
    kind: str = "embedded",
    opa_url: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    opa_token: str | None = None,
    opa_ca_bundle: str | Path | None = None,
    allow_revision_mismatch: bool = False,
    tests: bool = False,
    go_env: Mapping[str, str] | None = None,
) -> PolicyEngine:
    """Build an engine over a policy directory (the bundled policies by default).

    Args:
        policies: Policy directory; None means the policies shipped with macip-gov.
        kind: ``embedded`` (OPA in-process) or ``opa`` (an OPA server).
        opa_url: The server URL, for ``kind="opa"``.
        timeout: Seconds allowed per evaluation (per request to a server).
        opa_token: Bearer token for the server.
        opa_ca_bundle: Certificate authorities to trust for an https server.
        allow_revision_mismatch: Decide with a server whose policy revision differs.
        tests: Compile the Rego unit tests too (embedded engine; tooling).
        go_env: Go runtime settings for the embedded engine (default :data:`GO_RUNTIME`).

    Returns:
        A loaded engine.

    Raises:
        PolicyError: Unknown kind, missing URL, or the policies fail to load.
    """
    from .policyset import load_policy_set
    from .resources import policies_dir

    policy_set = load_policy_set(policies if policies is not None else policies_dir())
    if kind == "embedded":
        return EmbeddedEngine(policy_set, timeout=timeout, tests=tests, go_env=go_env)
    if kind == "opa":
        if not opa_url:
            raise PolicyError("the opa engine needs --opa-url (or MACIP_OPA_URL)")
        return OpaServerEngine(
            policy_set,
            opa_url,
            timeout=timeout,
            token=opa_token,
            ca_bundle=opa_ca_bundle,
            allow_revision_mismatch=allow_revision_mismatch,
        )
    raise PolicyError(f"unknown engine {kind!r} (use embedded or opa)")


@dataclass(frozen=True)
class EngineSpec:
    """How to build an engine, Go runtime settings included, in a form a worker process can receive.

    Attributes:
        policies: Policy directory, or None for the bundled policies.
        kind: ``embedded`` or ``opa``.
        opa_url: The OPA server, for ``opa``.
        go_env: Go runtime settings for the embedded engine (default :data:`GO_RUNTIME`;
            batch workers add :data:`BATCH_GO_RUNTIME`); a value the environment gives wins.
        timeout: Seconds each evaluation may take (see :data:`DEFAULT_TIMEOUT`).
        opa_token: Bearer token for the OPA server.
        opa_ca_bundle: Certificate authorities to trust for an https OPA server.
        allow_revision_mismatch: Decide with an OPA server whose policy revision differs.
        tests: Compile the Rego unit tests too (tooling).
    """

    policies: str | None = None
    kind: str = "embedded"
    opa_url: str | None = None
    go_env: tuple[tuple[str, str], ...] = tuple(GO_RUNTIME.items())
    timeout: float = DEFAULT_TIMEOUT
    opa_token: str | None = field(default=None, repr=False)
    opa_ca_bundle: str | None = None
    allow_revision_mismatch: bool = False
    tests: bool = False

    def load(self) -> PolicyEngine:
        """Build the engine (the Go runtime settings go into the environment first)."""
        return load_engine(
            self.policies,
            kind=self.kind,
            opa_url=self.opa_url,
            timeout=self.timeout,
            opa_token=self.opa_token,
            opa_ca_bundle=self.opa_ca_bundle,
            allow_revision_mismatch=self.allow_revision_mismatch,
            tests=self.tests,
            go_env=dict(self.go_env),
        )
