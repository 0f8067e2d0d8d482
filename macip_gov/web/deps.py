"""What routes ask FastAPI for: the app's state, the signed-in user, and a role check.

::

    @router.get("/thing")
    def thing(request: Request, user: User = Depends(require("privacy_officer"))) -> HTMLResponse:
        st = state(request)
        decide(st.locked_engine(), ...)  # the engine lock held for each evaluation only
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from ..users import ROLE_TITLES, ROLES
from .state import WebState


@dataclass(frozen=True)
class User:
    """The signed-in user: a name from the users file (or the trusted proxy header) and its role there."""

    name: str
    role: str

    def can(self, *roles: str) -> bool:
        """True when the user's role is one of ``roles``; an admin can do everything."""
        return self.role == "admin" or self.role in roles

    @property
    def role_title(self) -> str:
        """The role as people name it ("Privacy officer")."""
        return ROLE_TITLES.get(self.role, self.role)


class SignInRequired(Exception):
    """Nobody is signed in: the handler sends the browser to the sign-in page."""

    def __init__(self, next_path: str = "/"):
        super().__init__("sign in required")
        self.next_path = next_path


class Forbidden(Exception):
    """The signed-in user's role may not do this: a 403 page."""

    def __init__(self, message: str = "Your role does not give access to this page."):
        super().__init__(message)
        self.message = message


def state(request: Request) -> WebState:
    """The app's shared state: workspace, settings, users and the policy engine."""
    web: WebState = request.app.state.web
    return web


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None; never raises (pages such as errors use it to show the header)."""
    from .auth import user_from_request

    return user_from_request(request)


def current_user(request: Request) -> User:
    """The signed-in user (a FastAPI dependency); the browser is sent to the sign-in page when there is none."""
    user = optional_user(request)
    if user is None:
        path = request.url.path
        query = request.url.query
        raise SignInRequired(path + ("?" + query if query else ""))
    return user


def require(*roles: str) -> Callable[[Request], User]:
    """A FastAPI dependency giving the signed-in user when its role is one of ``roles`` (admin always is).

    With no roles only an admin passes. Nobody signed in: the sign-in page; another role: a 403 page.

    Raises:
        ValueError: A name in ``roles`` is not a role (a mistake in the route, found at start).
    """
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"not a role: {', '.join(unknown)}")

    def dependency(request: Request) -> User:
        user = current_user(request)
        if not user.can(*roles):
            raise Forbidden()
        return user

    return dependency
