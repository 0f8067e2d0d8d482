"""The policy engine: OPA in-process (default) or an OPA server, both failing closed.

Every engine answers ``evaluate(entrypoint, input)`` with the JSON value of the
document ``data.<entrypoint>``. Anything other than a defined value -- a compile
error, a runtime error, an undefined document, a timeout, an unreachable server --
raises :class:`PolicyError`, so no caller can mistake a fault for a permissive answer.
"""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .errors import PolicyError, PolicyLoadError
from .policyset import PolicySet, load_policy_set

ENTRYPOINT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
# OPA reports "file.rego:12: rego_parse_error: ..." inside longer messages.
_LOCATED = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<line>\d+):\s*(?P<msg>[^\n]*)")


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


class EmbeddedEngine:
    """OPA's own Go engine running in this process (``opa_bindings``).

    Policies and data are loaded and compiled once, in the constructor; each
    :meth:`evaluate` is one prepared-query evaluation. One engine per process or
    thread: batches fan out over processes, each with its own engine.
    """

    def __init__(self, policy_set: PolicySet, *, timeout: float | None = None):
        """Load and compile a policy set.

        Args:
            policy_set: The policies and data to load.
            timeout: Seconds one evaluation may take; None waits for ever.

        Raises:
            PolicyLoadError: A module does not parse or the set does not compile.
        """
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
        self._broken: str | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._opa = OpaEngine()
        self._opa.print_handler = lambda message, location: None
        for rel, source in policy_set.modules.items():
            try:
                self._opa.add_policy(policy_set.display_path(rel), source)
            except OpaError as exc:
                raise _policy_error(exc.message, policy_set, PolicyLoadError) from None
        for dotted, value in policy_set.data.items():
            try:
                self._opa.add_data(value, dotted)
            except OpaError as exc:
                file = policy_set.display_path(policy_set.data_files[dotted])
                raise PolicyLoadError(exc.message, file=file) from None
        try:
            # Preparing any query compiles every module, so compile errors
            # (unsafe variables, type errors, conflicts) surface here, once.
            self._opa.eval_query("true")
        except OpaError as exc:
            raise _policy_error(exc.message, policy_set, PolicyLoadError) from None

    def query(self, query: str, input: Any = None) -> list[dict[str, Any]]:
        """Run an ad-hoc Rego query (tooling only; decisions use :meth:`evaluate`)."""
        OpaError, _ = self._error_types
        try:
            result: list[dict[str, Any]] = self._opa.eval_query(query, _dumps_input(input))
        except OpaError as exc:
            raise _policy_error(exc.message, self.policy_set) from None
        return result

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate ``data.<entrypoint>``.

        Args:
            entrypoint: Dotted document path, e.g. ``oia.grounds.decision``.
            input: JSON-compatible input document.

        Returns:
            The document's value.

        Raises:
            PolicyError: Runtime error, undefined document, timeout, or bad input.
        """
        _check_entrypoint(entrypoint)
        if self._broken:
            raise PolicyError(self._broken)
        _dumps_input(input)
        if self.timeout is None:
            return self._eval(entrypoint, input)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opa-eval")
        future = self._pool.submit(self._eval, entrypoint, input)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            # The Go evaluation cannot be interrupted; the engine stays locked
            # by it, so every later call fails closed too.
            self._broken = f"evaluation of {entrypoint} timed out after {self.timeout}s"
            raise PolicyError(self._broken) from None

    def _eval(self, entrypoint: str, input: Any) -> Any:
        OpaError, OpaUndefinedError = self._error_types
        try:
            return self._opa.eval_document(entrypoint, input)
        except OpaUndefinedError:
            raise PolicyError(f"data.{entrypoint} is undefined", file=str(self.policy_set.root)) from None
        except OpaError as exc:
            raise _policy_error(f"{exc.code}: {exc.message}", self.policy_set) from None

    def close(self) -> None:
        """Release the Go engine and any timeout worker."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._opa.close()


class OpaServerEngine:
    """The same policies served by an OPA server, through opa-python-client.

    By default the constructor pushes every module (``PUT /v1/policies/<path>``)
    and data document (``PUT /v1/data/<a/b>``); with ``push=False`` it assumes
    the server already serves the bundle from ``macip-gov policy bundle``.
    Decisions are ``POST /v1/data/<a/b/c>`` with ``{"input": ...}``.
    """

    def __init__(
        self,
        policy_set: PolicySet,
        url: str,
        *,
        timeout: float = 5.0,
        push: bool = True,
        token: str | None = None,
    ):
        """Connect to an OPA server and, unless ``push`` is False, load the policy set into it.

        Args:
            policy_set: The policies and data.
            url: Base URL of the server, e.g. ``http://127.0.0.1:8181``.
            timeout: Seconds per HTTP request.
            push: Upload policies and data first.
            token: Bearer token for a server that requires one.

        Raises:
            PolicyError: The server is unreachable or refused a policy.
        """
        from opa_client.opa import OpaClient

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PolicyError(f"not an OPA server URL: {url!r}")
        self.url = url
        self.policy_set = policy_set
        self.revision = policy_set.revision
        self._lock = threading.Lock()
        self._client = OpaClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 80),
            ssl=parts.scheme == "https",
            timeout=timeout,
            retries=0,
            token=token,
        )
        if push:
            self._push()

    def _request(self, what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        import requests

        try:
            with self._lock:
                return call(*args, **kwargs)
        except requests.RequestException as exc:
            response = getattr(exc, "response", None)
            if response is not None:
                try:
                    body = response.json()
                    detail = body.get("message") or body
                except ValueError:
                    detail = response.text
                raise PolicyError(f"{what}: OPA server answered {response.status_code}: {detail}",
                                  file=self.url) from None
            raise PolicyError(f"{what}: OPA server unreachable ({type(exc).__name__})",
                              file=self.url) from None
        except Exception as exc:  # the client raises its own types for OPA errors
            detail = getattr(exc, "message", None) or str(exc)
            raise PolicyError(f"{what}: {detail}", file=self.url) from None

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

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate ``data.<entrypoint>`` on the server (see :meth:`EmbeddedEngine.evaluate`)."""
        _check_entrypoint(entrypoint)
        _dumps_input(input)
        body = self._request(
            f"evaluating {entrypoint}",
            self._client.query_rule,
            input,
            entrypoint,
            query_params={"strict-builtin-errors": "true"},
        )
        if not isinstance(body, dict) or "result" not in body:
            raise PolicyError(f"data.{entrypoint} is undefined", file=self.url)
        return body["result"]

    def close(self) -> None:
        """Close the HTTP session."""
        self._client.close_connection()


def load_engine(
    policies: Path | str | None = None,
    *,
    kind: str = "embedded",
    opa_url: str | None = None,
    timeout: float | None = None,
) -> PolicyEngine:
    """Build an engine over a policy directory (the bundled policies by default).

    Args:
        policies: Policy directory; None means the policies shipped with macip-gov.
        kind: ``embedded`` (OPA in-process) or ``opa`` (an OPA server).
        opa_url: The server URL, for ``kind="opa"``.
        timeout: Seconds allowed per evaluation.

    Returns:
        A loaded engine.

    Raises:
        PolicyError: Unknown kind, missing URL, or the policies fail to load.
    """
    from .resources import policies_dir

    policy_set = load_policy_set(policies if policies is not None else policies_dir())
    if kind == "embedded":
        return EmbeddedEngine(policy_set, timeout=timeout)
    if kind == "opa":
        if not opa_url:
            raise PolicyError("the opa engine needs --opa-url (or MACIP_OPA_URL)")
        return OpaServerEngine(policy_set, opa_url, timeout=timeout or 5.0)
    raise PolicyError(f"unknown engine {kind!r} (use embedded or opa)")
