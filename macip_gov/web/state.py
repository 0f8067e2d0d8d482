"""What the app holds for its whole life: the workspace, the settings, the users file and one policy engine."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..engine import PolicyEngine
from ..users import UserRecord, load_users
from ..workspace import Workspace
from .settings import WebSettings


class Users:
    """The users file, read again only when it changes on disk (so `macip-gov user ...` takes effect at once)."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._users: dict[str, UserRecord] = {}

    def all(self) -> dict[str, UserRecord]:
        """Every user by name.

        Raises:
            InvalidInputError: The file is missing or malformed.
        """
        with self._lock:
            try:
                st = self.path.stat()
                stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                stamp = None
            if stamp is None or stamp != self._stamp:
                self._users = load_users(self.path)
                self._stamp = stamp
            return self._users

    def get(self, name: str) -> UserRecord | None:
        """The user called ``name``, or None (also when the file cannot be read: fail closed)."""
        try:
            return self.all().get(name)
        except Exception:
            return None


T = TypeVar("T")

REMEMBERED = 256
"""How many answers :meth:`WebState.remembered` keeps."""


class LockedEngine:
    """The app's engine with each evaluation under the lock, not the work around it.

    Writing a release or a PDF renders for seconds between its few evaluations; holding
    the engine lock for all of it would keep every other page waiting.
    """

    def __init__(self, engine: PolicyEngine, lock: threading.Lock):
        self._engine = engine
        self._lock = lock

    def evaluate(self, entrypoint: str, input: Any = None) -> Any:
        """Evaluate under the lock (see :meth:`macip_gov.engine.PolicyEngine.evaluate`)."""
        with self._lock:
            return self._engine.evaluate(entrypoint, input)

    def evaluate_many(self, entrypoint: str, inputs: Sequence[Any]) -> list[Any]:
        """Evaluate a batch under the lock."""
        with self._lock:
            return list(self._engine.evaluate_many(entrypoint, inputs))  # type: ignore[attr-defined]

    def close(self) -> None:
        """Nothing: the app closes its engine when it stops."""

    def __getattr__(self, name: str) -> Any:
        # The revision and the policy set are read-only: no lock needed.
        return getattr(self._engine, name)


@dataclass
class WebState:
    """The app's shared state (``request.app.state.web``); see :func:`macip_gov.web.deps.state`.

    Attributes:
        workspace: The workspace the app serves.
        settings: Its settings.
        users: The users file.
        engine_lock: Held around every call into the policy engine (one evaluation at a time).
    """

    workspace: Workspace
    settings: WebSettings
    users: Users
    engine_lock: threading.Lock = field(default_factory=threading.Lock)
    _engine: PolicyEngine | None = None
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    _memo: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock)

    def engine(self) -> PolicyEngine:
        """The policy engine, loaded on first use and shared by every request.

        Raises:
            PolicyError: The policies fail to load.
        """
        with self._load_lock:
            if self._engine is None:
                self._engine = self.settings.engine.load()
            return self._engine

    def locked_engine(self) -> LockedEngine:
        """The engine with only each evaluation under :attr:`engine_lock`, for work that runs long between them."""
        return LockedEngine(self.engine(), self.engine_lock)

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s answer, kept for the next request with the same ``key``.

        For answers that are a function of what the key names (a document's text and the
        policy revision, say): many people opening the same document then cost one
        rendering. The most recently used :data:`REMEMBERED` answers are kept; two requests
        computing the same answer at once both compute it, neither waits.
        """
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[no-any-return]
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            self._memo.move_to_end(key)
            while len(self._memo) > REMEMBERED:
                self._memo.popitem(last=False)
        return value

    def close(self) -> None:
        """Close the engine, if one was loaded."""
        with self._load_lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
