"""The review app's settings: where its users and signing key are, and the limits it enforces."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..engine import EngineSpec
from ..errors import InvalidInputError
from ..workspace import DEFAULT_WEB_SECRET, DEFAULT_WEB_USERS, Workspace

SECRET_BYTES = 32
"""Bytes of randomness in a new signing key."""


class WebSettings(BaseModel):
    """Everything the app needs besides the workspace."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    users_file: Path = Field(description="The users file (names, roles, password hashes).")
    secret_key: str = Field(min_length=32, repr=False, description="The key that signs session cookies.")
    proxy_header: str | None = Field(
        default=None,
        description="Trust this request header for the user's name (a proxy in front signs people in); None: off.",
    )
    session_max_age: int = Field(default=8 * 3600, gt=0, description="Seconds a sign-in lasts.")
    secure_cookies: bool | None = Field(
        default=None,
        description="Mark cookies Secure: True always, False never, None when the request came over https.",
    )
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, gt=0, description="The largest file a form may upload.")
    login_max_failures: int = Field(default=5, gt=0, description="Failed sign-ins allowed per window (name, address).")
    login_window_seconds: int = Field(default=300, gt=0, description="The window failed sign-ins are counted in.")
    allowed_hosts: tuple[str, ...] | None = Field(
        default=None,
        description="Answer only requests whose Host is one of these (None: any); keeps other sites' pages out "
        "of an app on this computer (DNS rebinding).",
    )
    engine: EngineSpec = Field(default_factory=EngineSpec, description="How to build the policy engine.")

    @classmethod
    def for_workspace(cls, workspace: Workspace, *, engine: EngineSpec | None = None) -> WebSettings:
        """The settings a workspace's ``[web]`` section names, its signing key made on first use.

        Raises:
            InvalidInputError: The key file cannot be read or made, or is too short.
        """
        web = workspace.web
        users = web.users if web is not None else workspace.root / DEFAULT_WEB_USERS
        secret_file = web.secret if web is not None else workspace.root / DEFAULT_WEB_SECRET
        return cls(
            users_file=users,
            secret_key=read_or_make_secret(secret_file),
            proxy_header=web.proxy_header if web is not None else None,
            engine=engine or EngineSpec(),
        )


def read_or_make_secret(path: Path) -> str:
    """The signing key in ``path``; a new random one is written there (mode 0600) when it does not exist.

    Raises:
        InvalidInputError: The file cannot be read or written, or holds too short a key.
    """
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = secrets.token_urlsafe(SECRET_BYTES)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return read_or_make_secret(path)  # another process made it first
        except OSError as exc:
            raise InvalidInputError(f"cannot make the signing key: {exc.strerror}", file=str(path)) from None
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text + "\n")
        return text
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not ASCII text"
        raise InvalidInputError(f"cannot read the signing key: {reason}", file=str(path)) from None
    if len(text) < 32:
        raise InvalidInputError(
            "the signing key is too short (32 characters at least); delete it to make a new one", file=str(path)
        )
    return text
