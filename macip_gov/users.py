"""The review app's users file: names, roles and argon2 password hashes, read and written whole.

The file is JSON (``{"version": 1, "users": {NAME: {"role": ROLE, "password_hash": HASH}}}``),
kept in the workspace's private ``.macip/`` folder and written readable by its owner only. Every
change writes a new file beside the old one and renames it into place, so a failed write never
loses the users already there. Passwords are never stored or returned, only argon2id hashes made
by argon2-cffi's ``PasswordHasher`` (imported when first needed: the command line starts without it).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InvalidInputError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = ("oia_officer", "privacy_officer", "secretariat", "approver", "admin")
"""Every role, in the order the app lists them. ``admin`` may do everything the others may."""

ROLE_TITLES = {
    "oia_officer": "OIA officer",
    "privacy_officer": "Privacy officer",
    "secretariat": "Governance secretariat",
    "approver": "Approver",
    "admin": "Administrator",
}
"""How each role is named to people."""

Role = Literal["oia_officer", "privacy_officer", "secretariat", "approver", "admin"]

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
"""A user name: a letter or digit, then up to 63 letters, digits, dots, underscores, @ or hyphens."""

MIN_PASSWORD = 12
"""The shortest password accepted (a passphrase of a few words is easier to remember and longer)."""

MAX_PASSWORD = 1024
"""The longest password accepted (hashing is deliberately slow; a bound keeps it so)."""

FILE_VERSION = 1


class StoredUser(BaseModel):
    """One user as stored: the role and the password's hash."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    role: Role = Field(description="What the user may do in the review app.")
    password_hash: str = Field(min_length=1, description="The argon2 hash of the user's password.")


class UsersFile(BaseModel):
    """The whole users file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    version: Literal[1] = Field(description="The file format's version.")
    users: dict[str, StoredUser] = Field(description="Each user by name.")


@dataclass(frozen=True)
class UserRecord:
    """A user read from the file."""

    name: str
    role: str
    password_hash: str


def _hasher() -> PasswordHasher:
    return _shared_hasher()


@cache
def _shared_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    # Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
    return _hasher().hash("not a password of anyone: " + os.urandom(16).hex())


def prepare() -> None:
    """Make now the hash unknown names are checked against, so even the first such sign-in takes the usual time."""
    _dummy_hash()


def check_name(name: str) -> str:
    """``name`` when it is a valid user name.

    Raises:
        InvalidInputError: It is not.
    """
    if not re.fullmatch(NAME_PATTERN, name):
        raise InvalidInputError(
            f"user name {name!r}: use 1 to 64 letters, digits, dots, underscores, @ or hyphens, "
            "starting with a letter or digit"
        )
    return name


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`.

    Raises:
        InvalidInputError: It is not.
    """
    if role not in ROLES:
        raise InvalidInputError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    """``password`` when it is long enough and not too long.

    Raises:
        InvalidInputError: It is not (the message never repeats the password).
    """
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"password: at least {MIN_PASSWORD} characters please (a few words work well)")
    if len(password) > MAX_PASSWORD:
        raise InvalidInputError(f"password: at most {MAX_PASSWORD} characters")
    if password != password.strip():
        raise InvalidInputError("password: no spaces at its start or end (they are easily lost when typed)")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (checked first with :func:`check_password`)."""
    return _hasher().hash(check_password(password))


def load_users(path: Path, *, missing_ok: bool = False) -> dict[str, UserRecord]:
    """Read the users file.

    Args:
        path: The file.
        missing_ok: Give an empty mapping when the file does not exist (to add the first user).

    Returns:
        Each user by name.

    Raises:
        InvalidInputError: The file is missing (unless ``missing_ok``), unreadable, not JSON, or
            does not fit the format (the file and the field named).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise InvalidInputError(
            "no users file: add the first user with `macip-gov user add NAME --role admin`", file=str(path)
        ) from None
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"not valid JSON: {exc.msg}", file=str(path), location=str(exc.lineno)) from None
    try:
        parsed = UsersFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise InvalidInputError(f"{field}: {first['msg']}", file=str(path)) from None
    for name in parsed.users:
        if not re.fullmatch(NAME_PATTERN, name):
            raise InvalidInputError(f"users.{name}: not a valid user name", file=str(path))
    return {
        name: UserRecord(name=name, role=user.role, password_hash=user.password_hash)
        for name, user in sorted(parsed.users.items())
    }


def _write(path: Path, users: dict[str, UserRecord]) -> None:
    document = {
        "version": FILE_VERSION,
        "users": {name: {"role": u.role, "password_hash": u.password_hash} for name, u in sorted(users.items())},
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InvalidInputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp made it 0600
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InvalidInputError(f"cannot write: {exc.strerror}", file=str(path)) from None


def add_user(path: Path, name: str, role: str, password: str) -> UserRecord:
    """Add a user to the file (made when missing).

    Raises:
        InvalidInputError: The name, role or password is not valid, the name is taken, or the
            file cannot be read or written.
    """
    check_name(name)
    check_role(role)
    users = load_users(path, missing_ok=True)
    if name in users:
        raise InvalidInputError(f"user {name!r} already exists (use `macip-gov user passwd {name}`)", file=str(path))
    record = UserRecord(name=name, role=role, password_hash=hash_password(password))
    _write(path, {**users, name: record})
    return record


def remove_user(path: Path, name: str) -> None:
    """Remove a user from the file.

    Raises:
        InvalidInputError: No such user, or the file cannot be read or written.
    """
    users = load_users(path)
    if name not in users:
        raise InvalidInputError(f"no user {name!r}", file=str(path))
    _write(path, {n: u for n, u in users.items() if n != name})


def set_password(path: Path, name: str, password: str) -> UserRecord:
    """Give a user a new password.

    Raises:
        InvalidInputError: No such user, the password is not valid, or the file cannot be read or written.
    """
    users = load_users(path)
    if name not in users:
        raise InvalidInputError(f"no user {name!r}", file=str(path))
    record = UserRecord(name=name, role=users[name].role, password_hash=hash_password(password))
    _write(path, {**users, name: record})
    return record


def set_role(path: Path, name: str, role: str) -> UserRecord:
    """Give a user another role.

    Raises:
        InvalidInputError: No such user, not a role, or the file cannot be read or written.
    """
    check_role(role)
    users = load_users(path)
    if name not in users:
        raise InvalidInputError(f"no user {name!r}", file=str(path))
    record = UserRecord(name=name, role=role, password_hash=users[name].password_hash)
    _write(path, {**users, name: record})
    return record


def verify(users: dict[str, UserRecord], name: str, password: str) -> UserRecord | None:
    """The user when ``password`` is theirs, else None.

    An unknown name costs the same as a wrong password (a hash is checked either way), so the
    time taken does not tell which names exist.
    """
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    record = users.get(name)
    hashed = record.password_hash if record is not None else _dummy_hash()
    ok: bool
    try:
        ok = _hasher().verify(hashed, password[: MAX_PASSWORD + 1])
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return record if ok and record is not None else None
