"""Rendering pages: the Jinja2 templates in ``templates/web/`` in a sandbox with HTML escaping always on.

:func:`page` renders a full page in the layout; :func:`fragment` renders a template for htmx to
swap into a page. Both add ``request``, ``user`` (or None), ``csrf_token``, ``nav`` and
``flashes`` (messages left by :func:`flash` on the previous request) to the context.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..resources import templates_dir
from .auth import csrf_token, session
from .deps import optional_user, state


@dataclass(frozen=True)
class NavItem:
    """One link in the navigation bar."""

    label: str
    href: str
    current: bool = False


NAV = (
    ("Home", "/"),
    ("OIA requests", "/oia"),
    ("Disclosures", "/disclosure"),
    ("Decision log", "/disclosure/log"),
    ("PIA", "/pia"),
    ("Terms of Reference", "/tor"),
)
"""The navigation bar: label and address (Sign out is a form of its own in the layout)."""


_TOKEN: ContextVar[str] = ContextVar("macip_csrf_token", default="")


def _current_csrf_token() -> str:
    # The `csrf()` macro calls this, so it works in templates that import the macros without context.
    return _TOKEN.get()


@cache
def environment() -> SandboxedEnvironment:
    """The template environment (built once): sandboxed, autoescaped, strict about undefined names."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(templates_dir() / "web"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["current_csrf_token"] = _current_csrf_token
    return env


def nav(path: str) -> list[NavItem]:
    """The navigation bar for a page at ``path``: the longest matching link is the current one."""
    best = max(
        (href for _, href in NAV if path == href or (href != "/" and path.startswith(href.rstrip("/") + "/"))),
        key=len,
        default=None,
    )
    return [NavItem(label, href, href == best) for label, href in NAV]


FLASH_LIMIT = 400
"""The longest flash message kept, in characters (longer ones are cut)."""


def flash(request: Request, message: str, kind: str = "info") -> None:
    """Leave a message for the next page shown to this session (``kind``: info, success, warning, error)."""
    data = session(request)
    # The messages travel in the session cookie, which browsers cap at about 4 KB: keep them short.
    short = message if len(message) <= FLASH_LIMIT else message[: FLASH_LIMIT - 1] + "…"
    data["flash"] = [*data.get("flash", []), {"kind": kind, "message": short}][-3:]


def _context(request: Request, context: Mapping[str, Any] | None, *, fragment: bool) -> dict[str, Any]:
    data = session(request)
    flashes = data.pop("flash", []) if "flash" in data and not fragment else []
    return {
        "fragment": fragment,
        "request": request,
        "user": optional_user(request),
        "csrf_token": csrf_token(request),
        "nav": nav(request.url.path),
        "flashes": flashes,
        "signed_in_by_proxy": bool(state(request).settings.proxy_header),
        **(context or {}),
    }


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *, fragment: bool = False) -> str:
    """``templates/web/<template>`` rendered with the common context, as text."""
    values = _context(request, context, fragment=fragment)
    token = _TOKEN.set(values["csrf_token"])
    try:
        return environment().get_template(template).render(values)
    finally:
        _TOKEN.reset(token)


def page(request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    """A full page: ``templates/web/<template>`` (which extends ``base.html.j2``) as an HTML response."""
    return HTMLResponse(render(request, template, context), status_code=status)


def fragment(
    request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Part of a page for htmx: a template that does not extend the layout, with the same context.

    ``fragment`` is true in the context (a template may extend the layout only when it is false),
    and flash messages are left for the next full page.
    """
    return HTMLResponse(render(request, template, context, fragment=True), status_code=status)
