"""The workspace: one ``macip.toml`` naming where a team's PIA, decision log, ToR specs and OIA requests live.

A workspace is the folder holding ``macip.toml``. Commands find it from the folder they
run in, looking upwards, or from ``MACIP_WORKSPACE``; the command line passes both in,
since the library never reads the environment or the current folder itself. Paths in the
file are relative to its folder. The file is checked strictly: a key this version does
not know is an error naming the file and the key, never silently ignored.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InvalidInputError

FILENAME = "macip.toml"
"""The workspace file's name."""

ENV_VAR = "MACIP_WORKSPACE"
"""Environment variable naming the workspace folder (or its ``macip.toml``) instead of searching."""

DEFAULT_PIA = "pia"
DEFAULT_DECISION_LOG = "sqlite:///.macip/decisions.db"
DEFAULT_WEB_USERS = ".macip/users.json"
DEFAULT_WEB_SECRET = ".macip/web-secret"
SQLITE_PREFIX = "sqlite:///"
SERVER_SCHEMES = ("postgresql", "postgres")
"""URL schemes of stores on a database server (passed on as written)."""

STARTER = f"""\
# macip-gov workspace. Every macip-gov command run in this folder, or in a folder
# below it, takes its defaults from here; options given on the command line win.
# Paths are relative to this file's folder.

[pia]
# The Privacy Impact Assessment: one YAML file, its revisions in history/ beside it.
dir = "{DEFAULT_PIA}"
# For a team sharing one PIA history, keep the revisions in PostgreSQL instead:
# history = "postgresql://USER@HOST/DB"

[decision_log]
# Where `disclosure check` records decisions. sqlite:///PATH is a file created on
# first use (sqlite:////PATH for an absolute path); postgresql://USER@HOST/DB is a
# PostgreSQL database a team shares (the password from PGPASSWORD or ~/.pgpass).
url = "{DEFAULT_DECISION_LOG}"

[tor]
# Terms of Reference specs: `tor check` with no SPEC checks every *.yaml here.
specs = "tor"

[oia]
# OIA requests, one folder each holding its manifest.yaml: `oia check NAME` and
# `oia release NAME` find NAME here.
requests = "oia"

[web]
# The review app (`macip-gov serve`). Its users, their roles and password hashes
# (`macip-gov user add NAME --role ROLE` writes it):
# users = "{DEFAULT_WEB_USERS}"
# The key that signs sign-in cookies, made (readable by its owner only) on first start:
# secret = "{DEFAULT_WEB_SECRET}"
# Take the signed-in user's name from this request header, set by a proxy in front
# that has signed the user in. Anyone who can reach the app's port directly can then
# claim any name: only use it when nothing but the proxy can connect.
# proxy_header = "X-Remote-User"
"""
"""What ``macip-gov init`` writes."""

STARTER_FOLDERS = ("pia", "tor", "oia")


class NoWorkspaceError(InvalidInputError):
    """A command needs a workspace and none was found."""


@dataclass(frozen=True)
class StoreLocation:
    """Where a store lives: its URL as written, the scheme, and for SQLite the file (None for a server)."""

    url: str
    scheme: str
    path: Path | None = None

    def target(self) -> str:
        """What the store is opened with: the SQLite file, or the server's URL."""
        return str(self.path) if self.path is not None else self.url


@dataclass(frozen=True)
class WebConfig:
    """The review app's settings from ``[web]``: its users file, cookie-signing key file and proxy header."""

    users: Path
    secret: Path
    proxy_header: str | None = None


@dataclass(frozen=True)
class Workspace:
    """A loaded workspace: every path absolute, or relative to the folder the command runs in when below it."""

    file: Path
    root: Path
    pia: Path
    decision_log: StoreLocation
    pia_history: Path | str | None
    """Where the PIA's revisions are kept: a folder, a ``postgresql://`` URL, or None (``history/`` beside the PIA)."""
    tor_specs: Path | None
    oia_requests: Path | None
    web: WebConfig | None = None
    """The review app's settings (always set by :func:`load_workspace`, defaults filled in)."""

    def tor_spec_files(self) -> list[Path]:
        """Every ``*.yaml``/``*.yml`` in the ToR specs folder, sorted by name.

        Raises:
            InvalidInputError: The workspace names no ToR specs folder, or it is missing or empty.
        """
        folder = self._folder(self.tor_specs, "tor.specs")
        specs = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not specs:
            raise InvalidInputError(f"no ToR specs (*.yaml) in {folder} (tor.specs)", file=str(self.file))
        return specs

    def oia_request(self, name: str) -> Path:
        """The manifest of the OIA request ``name``: ``<oia.requests>/<name>/manifest.yaml``.

        Raises:
            InvalidInputError: No such request, or no requests folder named.
        """
        folder = self._folder(self.oia_requests, "oia.requests")
        request = folder / name
        manifest = request / "manifest.yaml" if request.is_dir() else request
        if "/" in name or "\\" in name or name in ("", ".", "..") or not manifest.is_file():
            raise InvalidInputError(f"no OIA request {name!r} in {folder} (oia.requests)", file=str(self.file))
        return manifest

    def _folder(self, folder: Path | None, key: str) -> Path:
        if folder is None:
            section, _, name = key.partition(".")
            raise InvalidInputError(f"names no such folder ([{section}] {name})", file=str(self.file))
        if not folder.is_dir():
            raise InvalidInputError(f"{key}: folder not found: {folder}", file=str(self.file))
        return folder


def find_workspace(start: Path, env_value: str | None = None) -> Path | None:
    """The ``macip.toml`` that governs ``start``: named by ``env_value``, else the nearest upwards.

    Args:
        start: The folder a command runs in (absolute).
        env_value: The value of ``MACIP_WORKSPACE``, if set: a folder holding ``macip.toml``,
            or the file itself; relative to ``start``.

    Returns:
        The file, or None when there is none in ``start`` or any folder above it.

    Raises:
        InvalidInputError: ``env_value`` names no workspace.
    """
    if env_value:
        named = start / env_value
        candidate = named / FILENAME if named.is_dir() else named
        if not candidate.is_file():
            raise InvalidInputError(f"{ENV_VAR}={env_value}: no {FILENAME} there")
        return candidate
    for folder in (start, *start.parents):
        candidate = folder / FILENAME
        if candidate.is_file():
            return candidate
    return None


def no_workspace(start: Path, fix: str) -> NoWorkspaceError:
    """The one-line error for a command that needs a workspace outside any.

    Args:
        start: The folder searched from.
        fix: What else the user may do, e.g. ``"pass --log FILE"``.
    """
    return NoWorkspaceError(
        f"no workspace: no {FILENAME} in {start} or any folder above it, and {ENV_VAR} is not set; "
        f"run `macip-gov init` to make one, or {fix}"
    )


def open_workspace(start: Path, env_value: str | None, *, fix: str) -> Workspace:
    """Find and load the workspace governing ``start``.

    Args:
        start: The folder a command runs in (absolute).
        env_value: ``MACIP_WORKSPACE``, if set.
        fix: The alternative to a workspace, named in the error when there is none.

    Raises:
        NoWorkspaceError: There is no workspace.
        InvalidInputError: The workspace file is malformed.
    """
    found = find_workspace(start, env_value)
    if found is None:
        raise no_workspace(start, fix)
    return load_workspace(found, relative_to=start)


# --------------------------------------------------------------------------- the file

_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


class PiaSection(BaseModel):
    """``[pia]``: where the PIA lives."""

    model_config = _STRICT
    dir: str = Field(
        default=DEFAULT_PIA, min_length=1, description="The PIA folder: one YAML file, history/ beside it."
    )
    history: str | None = Field(
        default=None,
        min_length=1,
        description="Where its revisions are kept: a folder, or postgresql://USER@HOST/DB (default: history/ in dir).",
    )


class DecisionLogSection(BaseModel):
    """``[decision_log]``: where disclosure decisions are recorded."""

    model_config = _STRICT
    url: str = Field(
        default=DEFAULT_DECISION_LOG, min_length=1, description="sqlite:///PATH (relative), sqlite:////PATH, or a path."
    )


class TorSection(BaseModel):
    """``[tor]``: Terms of Reference specs."""

    model_config = _STRICT
    specs: str | None = Field(default=None, min_length=1, description="The folder of ToR specs (*.yaml).")


class OiaSection(BaseModel):
    """``[oia]``: OIA requests."""

    model_config = _STRICT
    requests: str | None = Field(
        default=None, min_length=1, description="The folder of OIA requests, one folder each with manifest.yaml."
    )


class WebSection(BaseModel):
    """``[web]``: the review app (``macip-gov serve``)."""

    model_config = _STRICT
    users: str = Field(
        default=DEFAULT_WEB_USERS, min_length=1, description="The users file: names, roles and password hashes."
    )
    secret: str = Field(
        default=DEFAULT_WEB_SECRET,
        min_length=1,
        description="The file holding the key that signs sign-in cookies (made on first start, mode 0600).",
    )
    proxy_header: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9-]+$",
        description="Trust this request header for the user's name (a proxy in front sets it); off by default.",
    )


class WorkspaceFile(BaseModel):
    """The whole ``macip.toml``; every section is optional."""

    model_config = _STRICT
    pia: PiaSection = Field(default_factory=PiaSection, description="The PIA.")
    decision_log: DecisionLogSection = Field(default_factory=DecisionLogSection, description="The decision log.")
    tor: TorSection = Field(default_factory=TorSection, description="Terms of Reference specs.")
    oia: OiaSection = Field(default_factory=OiaSection, description="OIA requests.")
    web: WebSection = Field(default_factory=WebSection, description="The review app.")


def _key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line where the key at ``loc`` (``("pia", "dir")``) is written, found in the text."""
    section, key = (None, str(loc[0])) if len(loc) == 1 else (str(loc[0]), str(loc[1]))
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", stripped)
        if header:
            current = header[1].strip("\"'")
            if section is None and current == key:
                return number
            continue
        m = re.match(r"""["']?([A-Za-z0-9_.-]+)["']?\s*=""", stripped)
        if m and m[1] == key and current == section:
            return number
        if m and section is not None and current is None and m[1] in (section, f"{section}.{key}"):
            return number  # a dotted key or an inline table at the top level
    return None


def _problem(exc: ValidationError, text: str, name: str) -> InvalidInputError:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    key = ".".join(str(p) for p in loc) or "(file)"
    line = _key_line(text, loc) if loc else None
    if first["type"] == "extra_forbidden":
        message = f"unknown key '{key}'"
    elif first["type"] in ("model_type", "model_attributes_type"):
        message = f"{key}: expected a table ([{key}])"
    else:
        message = f"{key}: {first['msg']}"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more)" if more else ""
    return InvalidInputError(message + suffix, file=name, location=str(line) if line else None)


def parse_store_url(value: str, base: Path, *, key: str, file: str, line: int | None = None) -> StoreLocation:
    """Read a store URL from the workspace file.

    ``sqlite:///PATH`` (relative to ``base``), ``sqlite:////PATH`` (absolute), a plain path
    (a SQLite file), or a PostgreSQL URL (``postgresql://USER@HOST/DB``, kept as written).

    Raises:
        InvalidInputError: Another kind of URL, or a SQLite URL without a path.
    """
    where = str(line) if line else None
    scheme, sep, _ = value.partition("://")
    if not sep:
        return StoreLocation(url=value, scheme="sqlite", path=base / value)
    if scheme in SERVER_SCHEMES:
        return StoreLocation(url=value, scheme="postgresql")
    if scheme != "sqlite":
        raise InvalidInputError(
            f"{key}: {scheme}:// is not a kind of store (use {SQLITE_PREFIX}PATH or postgresql://USER@HOST/DB)",
            file=file,
            location=where,
        )
    if not value.startswith(SQLITE_PREFIX) or value == SQLITE_PREFIX:
        raise InvalidInputError(
            f"{key}: expected {SQLITE_PREFIX}PATH (a file path after three slashes)", file=file, location=where
        )
    return StoreLocation(url=value, scheme="sqlite", path=base / unquote(value[len(SQLITE_PREFIX) :]))


def _shown(path: Path, relative_to: Path | None) -> Path:
    """``path`` relative to ``relative_to`` when it lies below it (as the user would type it), else absolute."""
    path = Path(os.path.normpath(path))
    if relative_to is not None:
        try:
            return path.relative_to(relative_to) if path != relative_to else Path(".")
        except ValueError:
            pass
    return path


def load_workspace(file: Path, *, relative_to: Path | None = None) -> Workspace:
    """Read and check a ``macip.toml``.

    Args:
        file: The workspace file.
        relative_to: Give paths below this folder relative to it (the folder a command runs in).

    Returns:
        The workspace, its paths resolved against the file's folder.

    Raises:
        InvalidInputError: The file is unreadable, not TOML, or has an unknown key or a value
            that does not fit (file, line and key named).
    """
    import tomllib

    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text", file=name) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror}", file=name) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
        line = at[1] if at else None
        message = message[: at.start()] if at else message
        raise InvalidInputError(f"not valid TOML: {message}", file=name, location=line) from None
    try:
        parsed = WorkspaceFile.model_validate(data)
    except ValidationError as exc:
        raise _problem(exc, text, name) from None
    root = Path(os.path.normpath(file.parent.absolute()))
    key = ("decision_log", "url")
    log = parse_store_url(parsed.decision_log.url, root, key=".".join(key), file=name, line=_key_line(text, key))
    if log.path is not None:
        log = StoreLocation(url=log.url, scheme=log.scheme, path=_shown(log.path, relative_to))

    def folder(value: str | None) -> Path | None:
        return None if value is None else _shown(root / value, relative_to)

    pia_history: Path | str | None = folder(parsed.pia.history)
    if parsed.pia.history is not None and "://" in parsed.pia.history:
        key = ("pia", "history")
        where = parse_store_url(parsed.pia.history, root, key=".".join(key), file=name, line=_key_line(text, key))
        if where.scheme != "postgresql":
            raise InvalidInputError(
                "pia.history: expected a folder or postgresql://USER@HOST/DB",
                file=name,
                location=str(_key_line(text, key) or "") or None,
            )
        pia_history = where.url

    return Workspace(
        file=_shown(file.absolute(), relative_to),
        root=root,
        pia=_shown(root / parsed.pia.dir, relative_to),
        decision_log=log,
        pia_history=pia_history,
        tor_specs=folder(parsed.tor.specs),
        oia_requests=folder(parsed.oia.requests),
        web=WebConfig(
            users=_shown(root / parsed.web.users, relative_to),
            secret=_shown(root / parsed.web.secret, relative_to),
            proxy_header=parsed.web.proxy_header,
        ),
    )


@dataclass(frozen=True)
class InitResult:
    """What ``init_workspace`` made."""

    file: Path
    created: tuple[Path, ...]


def init_workspace(folder: Path) -> InitResult:
    """Make ``folder`` a workspace: write the starter ``macip.toml`` and its folders.

    Args:
        folder: The workspace folder; created when missing.

    Returns:
        The file written and the folders created (existing ones are kept as they are).

    Raises:
        InvalidInputError: ``folder`` already holds a ``macip.toml`` (it is never overwritten),
            or cannot be written.
    """
    file = folder / FILENAME
    if file.exists():
        raise InvalidInputError("already a workspace; nothing was changed", file=str(file))
    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in STARTER_FOLDERS:
            if not (folder / name).is_dir():
                (folder / name).mkdir()
                created.append(folder / name)
        # The decision log's folder is private, as the log is (0600 inside 0700).
        store = folder / ".macip"
        if not store.is_dir():
            store.mkdir(mode=0o700)
            created.append(store)
        with file.open("x", encoding="utf-8") as fh:
            fh.write(STARTER)
    except FileExistsError:
        raise InvalidInputError("already a workspace; nothing was changed", file=str(file)) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot write: {exc.strerror}", file=str(exc.filename or folder)) from None
    return InitResult(file=file, created=tuple(created))
