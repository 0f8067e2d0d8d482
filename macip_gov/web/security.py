"""What protects every request: the form token (CSRF), the security headers, upload limits and error pages.

Every POST, PUT, PATCH or DELETE must carry the session's form token, in the form field
``csrf_token`` or the ``X-CSRF-Token`` header (the layout gives htmx the header); a request a
browser marks as coming from another site is refused too. Pages go out with a strict Content
Security Policy (no inline script or style anywhere) and are never cached. Errors become pages:
a library error shows its one line, anything else a plain "something went wrong", never a traceback.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import PurePath
from typing import Any

from fastapi import FastAPI, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import InvalidInputError, MacipError, StaleRevisionError
from .deps import Forbidden, SignInRequired

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The Content-Security-Policy of every response."""

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
"""Headers added to every response."""

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

log = logging.getLogger("macip_gov.web")

DEFAULT_UPLOAD_LIMIT = 25 * 1024 * 1024
"""The upload limit when no request has set one (``WebSettings.max_upload_bytes`` sets it per request)."""

FORM_OVERHEAD = 1024 * 1024
"""Room for a form's other fields and its multipart framing beside the largest upload."""

_UPLOAD_LIMIT: ContextVar[int] = ContextVar("macip_upload_limit", default=DEFAULT_UPLOAD_LIMIT)


class CsrfRejected(Exception):
    """A state-changing request without the session's form token: a 403 page."""


class SecurityHeadersMiddleware:
    """Adds :data:`HEADERS` to every response, and ``Cache-Control``: ``no-store``, or ``no-cache`` for static files."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request (ASGI)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in HEADERS.items():
                    headers[key] = value
                # Pages may hold personal information: never stored. Our own files are kept but checked
                # each time (their ETag), so a new version is picked up at once.
                headers["Cache-Control"] = "no-cache" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TooLarge(Exception):
    """A request body over the app's limit: a 413 page."""


class UploadLimitMiddleware:
    """Refuses request bodies over the upload limit (plus room for the form), by their length or as they arrive.

    It also makes the limit what :func:`read_upload` checks against in this request.
    """

    def __init__(self, app: ASGIApp, max_upload_bytes: int):
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_body = max_upload_bytes + FORM_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request (ASGI)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _UPLOAD_LIMIT.set(self.max_upload_bytes)
        try:
            for key, value in scope.get("headers", []):
                if key == b"content-length" and value.isdigit() and int(value) > self.max_body:
                    await self._refuse(scope, receive, send)
                    return
            seen = 0

            async def counted() -> Message:
                nonlocal seen
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > self.max_body:
                        raise TooLarge()
                return message

            await self.app(scope, counted, send)
        finally:
            _UPLOAD_LIMIT.reset(token)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = error_response(request, 413, _TITLES[413], _too_large_message(self.max_upload_bytes))
        await response(scope, receive, send)


def _too_large_message(limit: int) -> str:
    return f"The form sent more than this app accepts: files up to {_size(limit)} can be uploaded."


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request without the session's form token (an app-wide dependency).

    Raises:
        CsrfRejected: The token is missing or wrong, or the browser says the request came from another site.
    """
    if request.method not in UNSAFE_METHODS:
        return
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfRejected()
    expected = request.scope.get("session", {}).get("csrf")
    given = request.headers.get("x-csrf-token")
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not secrets.compare_digest(expected, given):
        raise CsrfRejected()


async def read_upload(upload: UploadFile, allowed_suffixes: Iterable[str], *, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file, checked: a name with an allowed suffix, not empty, not too big.

    For ``async def`` routes (``data = await read_upload(...)``); a plain ``def`` route calls
    :func:`read_upload_sync`, which does the same.

    Args:
        upload: The form's file.
        allowed_suffixes: Suffixes accepted, with the dot (``[".md", ".docx"]``), compared case-insensitively.
        limit: The largest size in bytes (default: the app's ``WebSettings.max_upload_bytes``).

    Raises:
        InvalidInputError: No file, a suffix not allowed, an empty file, or one over the limit.
    """
    name, cap = _check_upload_name(upload, allowed_suffixes, limit)
    await upload.seek(0)
    return _check_upload_size(name, cap, await upload.read(cap + 1))


def read_upload_sync(upload: UploadFile, allowed_suffixes: Iterable[str], *, limit: int | None = None) -> bytes:
    """:func:`read_upload` for plain ``def`` routes (it reads the spooled file directly).

    Raises:
        InvalidInputError: No file, a suffix not allowed, an empty file, or one over the limit.
    """
    name, cap = _check_upload_name(upload, allowed_suffixes, limit)
    upload.file.seek(0)
    return _check_upload_size(name, cap, upload.file.read(cap + 1))


def _check_upload_name(upload: UploadFile, allowed_suffixes: Iterable[str], limit: int | None) -> tuple[str, int]:
    allowed = sorted({s.lower() for s in allowed_suffixes})
    # Only the last part of the name the browser sent: it is shown in messages, never used as a path.
    name = PurePath((upload.filename or "").replace("\\", "/")).name
    if not name:
        raise InvalidInputError("no file was chosen")
    suffix = PurePath(name).suffix.lower()
    if suffix not in allowed:
        raise InvalidInputError(f"{name}: expected a file ending {' or '.join(allowed)}")
    return name, limit if limit is not None else _UPLOAD_LIMIT.get()


def _check_upload_size(name: str, cap: int, data: bytes) -> bytes:
    if len(data) > cap:
        raise InvalidInputError(f"{name}: larger than {_size(cap)} (the upload limit)")
    if not data:
        raise InvalidInputError(f"{name}: the file is empty")
    return data


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


# --------------------------------------------------------------------------- error pages


def error_response(request: Request, status: int, title: str, message: str, **extra: Any) -> Response:
    """An error as a page (or, for an htmx request, as a fragment) with ``status``."""
    from .templating import fragment, page

    context = {"title": title, "message": message, "status": status, **extra}
    if request.headers.get("HX-Request"):
        response = fragment(request, "error.html.j2", context, status=status)
        # htmx swaps only 2xx answers by default; tell it to show this one where the form's answer goes.
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return page(request, "error.html.j2", context, status=status)


_TITLES = {
    400: "That could not be done",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    409: "Changed by someone else",
    413: "Too large",
    429: "Too many attempts",
}


def install_error_handlers(app: FastAPI) -> None:
    """Turn every error into a page: library errors show their line, anything unexpected a plain 500."""
    from fastapi.exceptions import RequestValidationError

    from .auth import login_redirect

    async def on_sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return login_redirect(exc.next_path, htmx=bool(request.headers.get("HX-Request")))

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        return error_response(request, 403, _TITLES[403], exc.message if isinstance(exc, Forbidden) else str(exc))

    async def on_csrf(request: Request, exc: Exception) -> Response:
        return error_response(
            request,
            403,
            "The form had expired",
            "The form was not accepted because it came without this session's form token. "
            "Go back, reload the page and try again.",
        )

    async def on_library(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MacipError)
        status = 409 if isinstance(exc, StaleRevisionError) else 400
        return error_response(request, status, _TITLES[status], exc.one_line())

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
            problems.append(f"{where}: {err.get('msg', 'not valid')}")
        return error_response(request, 400, _TITLES[400], "; ".join(problems) or "The request was not valid.")

    async def on_too_large(request: Request, exc: Exception) -> Response:
        return error_response(request, 413, _TITLES[413], _too_large_message(_UPLOAD_LIMIT.get()))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.__cause__, TooLarge):  # FastAPI reports a body it could not read as a 400
            return await on_too_large(request, exc.__cause__)
        title = _TITLES.get(exc.status_code, "That could not be done")
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else ""
        if exc.status_code == 404:
            message = "There is no page at this address."
        response = error_response(request, exc.status_code, title, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s: %s", request.method, request.url.path, type(exc).__name__, exc_info=exc)
        response: Response
        try:
            response = error_response(
                request, 500, "Something went wrong", "The app hit an error it did not expect. It has been logged."
            )
        except Exception:  # even the error page failed: plain text, still no traceback
            response = HTMLResponse("<!doctype html><title>Error</title><p>Something went wrong.</p>", status_code=500)
        # This answer is sent from outside the app's middleware, so it carries its headers itself.
        response.headers.update({**HEADERS, "Cache-Control": "no-store"})
        return response

    app.add_exception_handler(SignInRequired, on_sign_in)
    app.add_exception_handler(Forbidden, on_forbidden)
    app.add_exception_handler(CsrfRejected, on_csrf)
    app.add_exception_handler(TooLarge, on_too_large)
    app.add_exception_handler(MacipError, on_library)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
