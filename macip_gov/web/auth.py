"""Signing in and out: the session cookie, the sign-in form, its rate limit, and the trusted proxy header.

The session lives in one cookie signed with the workspace's key (itsdangerous): who is signed in,
when the sign-in ends, the form token (CSRF) and a session id. The cookie is HttpOnly and
SameSite=Lax, and Secure when the request came over https. Signing in starts a new session (new
id, new form token), so a session id known before sign-in is worth nothing after it; signing out
clears the cookie and remembers the id as ended until it would have expired anyway. Each request
checks the user against the users file again, so removing a user, changing their role or their
password takes effect on their next request.

Failed sign-ins are counted per user name and per client address in this process's memory (a
restart forgets them): after ``login_max_failures`` in ``login_window_seconds`` the form answers
429 until the window has passed.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import MacipError
from ..users import verify
from .deps import User, state
from .security import UNSAFE_METHODS
from .settings import WebSettings

log = logging.getLogger("macip_gov.web")

COOKIE = "macip_session"
"""The session cookie's name."""

_SALT = "macip-gov review app session"

MAX_COOKIE = 3800
"""The longest session cookie value sent (browsers keep cookies up to about 4 KB)."""


def _fingerprint(password_hash: str) -> str:
    # Kept in the session: a new password changes it, which ends sessions made with the old one.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class _Ended:
    """Session ids signed out before their expiry (in memory)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def add(self, sid: str, until: float) -> None:
        with self._lock:
            now = time.time()
            self._until = {s: t for s, t in self._until.items() if t > now}
            self._until[sid] = until

    def __contains__(self, sid: object) -> bool:
        with self._lock:
            return isinstance(sid, str) and self._until.get(sid, 0) > time.time()


class SessionMiddleware:
    """Puts the signed session (a dict) at ``scope["session"]`` and writes the cookie back when it changed."""

    def __init__(self, app: ASGIApp, settings: WebSettings):
        self.app = app
        self.settings = settings
        self.serializer = URLSafeSerializer(settings.secret_key, salt=_SALT)
        self.ended = _Ended()

    def _load(self, scope: Scope) -> dict[str, Any]:
        raw = None
        for key, value in scope.get("headers", []):
            if key == b"cookie":
                for part in value.decode("latin-1").split(";"):
                    name, _, val = part.strip().partition("=")
                    if name == COOKIE:
                        raw = val
        if not raw:
            return {}
        try:
            data = self.serializer.loads(raw)
        except BadSignature:
            return {}
        if not isinstance(data, dict):
            return {}
        exp = data.get("exp")
        if not isinstance(exp, int | float) or exp <= time.time() or data.get("sid") in self.ended:
            return {}
        return data

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request (ASGI)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self._load(scope)
        before = dict(session)
        scope["session"] = session
        scope["macip.session_ended"] = self.ended

        # A form post that came without a session (another site's forged form: SameSite keeps the
        # cookie back) must not start one: its Set-Cookie would replace the signed-in session.
        may_write = bool(before) or scope.get("method") not in UNSAFE_METHODS

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                now: dict[str, Any] = scope["session"]
                if now != before and may_write:
                    headers = MutableHeaders(scope=message)
                    headers.append("Set-Cookie", self._cookie(scope, now))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, scope: Scope, session: dict[str, Any]) -> str:
        secure = self.settings.secure_cookies
        if secure is None:
            secure = scope.get("scheme") == "https"
        attrs = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if not session:
            return f"{COOKIE}=; Max-Age=0" + attrs
        if not isinstance(session.get("exp"), int | float):  # a session begun without _new_session
            session["exp"] = int(time.time()) + self.settings.session_max_age
        left = max(1, int(session["exp"] - time.time()))
        value = self.serializer.dumps(session)
        if len(value) > MAX_COOKIE and "flash" in session:
            # Browsers drop a cookie over about 4 KB, which would sign the user out: lose the messages instead.
            value = self.serializer.dumps({k: v for k, v in session.items() if k != "flash"})
        return f"{COOKIE}={value}; Max-Age={left}" + attrs


def session(request: Request) -> dict[str, Any]:
    """The request's session (a dict; changes are written back to the cookie)."""
    data: dict[str, Any] = request.scope.setdefault("session", {})
    return data


def _new_session(request: Request) -> dict[str, Any]:
    data = session(request)
    data.clear()
    data.update(
        sid=secrets.token_urlsafe(18),
        csrf=secrets.token_urlsafe(24),
        exp=int(time.time()) + state(request).settings.session_max_age,
    )
    return data


def csrf_token(request: Request) -> str:
    """The session's form token, starting a session (signed in or not) when there is none."""
    data = session(request)
    if not data.get("csrf"):
        data = _new_session(request)
    token: str = data["csrf"]
    return token


def user_from_request(request: Request) -> User | None:
    """The signed-in user, checked against the users file; None when nobody (valid) is signed in."""
    st = state(request)
    cached = request.scope.get("macip.user", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    user: User | None = None
    header = st.settings.proxy_header
    if header:
        name = request.headers.get(header, "").strip()
        record = st.users.get(name) if name else None
        user = User(name=record.name, role=record.role) if record is not None else None
    else:
        data = session(request)
        signed = data.get("user")
        record = st.users.get(signed) if isinstance(signed, str) else None
        if record is not None and data.get("pw") == _fingerprint(record.password_hash):
            user = User(name=record.name, role=record.role)
    request.scope["macip.user"] = user
    return user


# --------------------------------------------------------------------------- rate limit


class LoginLimiter:
    """Failed sign-ins per key (a user name, a client address) in a sliding window, in memory."""

    def __init__(self, max_failures: int, window: float):
        self.max_failures = max_failures
        self.window = window
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def wait(self, *keys: str) -> int:
        """Seconds until another attempt is allowed for all of ``keys`` (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            # Allowed again once enough of the failures have left the window to be under the limit.
            waits = [
                times[-self.max_failures] + self.window - now
                for key in keys
                if len(times := self._recent(key, now)) >= self.max_failures
            ]
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, *keys: str) -> None:
        """Count a failed attempt against each of ``keys``."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget keys with no recent failures
                self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}

    def succeeded(self, key: str) -> None:
        """Forget the failures counted against ``key`` (the user name; an address keeps its count)."""
        with self._lock:
            self._failures.pop(key, None)


def limiter(request: Request) -> LoginLimiter:
    """The app's sign-in limiter."""
    found: LoginLimiter = request.app.state.login_limiter
    return found


def _safe_next(value: str | None) -> str:
    # Only a path on this site: never another host (//host or a scheme), never a backslash, and no
    # control characters (browsers drop tabs and newlines, so "/\t/host" would become "//host").
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    return value


# --------------------------------------------------------------------------- routes

router = APIRouter()


def _login_page(request: Request, *, status: int = 200, error: str | None = None, name: str = "") -> HTMLResponse:
    from .templating import page

    st = state(request)
    return page(
        request,
        "login.html.j2",
        {
            "error": error,
            "name": name,
            "next": _safe_next(request.query_params.get("next") or request.scope.get("macip.next")),
            "proxy_header": st.settings.proxy_header,
        },
        status=status,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The sign-in form (or, when already signed in, the home page)."""
    if user_from_request(request) is not None:
        return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(default="", max_length=200),
    password: str = Form(default="", max_length=2048),
    next: str = Form(default="/", max_length=2000),
) -> Response:
    """Check the name and password; on success start a new signed-in session."""
    st = state(request)
    request.scope["macip.next"] = next
    if st.settings.proxy_header:
        return _login_page(request, status=400, error="Sign-in is done by the service in front of this app.")
    name = username.strip()
    address = request.client.host if request.client else "unknown"
    keys = (f"user:{name.casefold()}", f"addr:{address}")
    lim = limiter(request)
    wait = lim.wait(*keys)
    if wait:
        minutes = max(1, round(wait / 60))
        return _login_page(
            request,
            status=429,
            name=name,
            error=f"Too many failed sign-ins. Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
        )
    try:
        users = st.users.all()
    except MacipError as exc:
        # Nobody can sign in; say so plainly, and leave the details (the file, the field) to the server's log.
        log.error("sign-in refused: the users file cannot be used: %s", exc.one_line())
        return _login_page(
            request,
            status=503,
            name=name,
            error="Signing in is not possible just now: the app cannot read its list of users. "
            "Please tell your administrator.",
        )
    record = verify(users, name, password) if name and password else None
    if record is None:
        lim.failed(*keys)
        return _login_page(request, status=401, name=name, error="The user name or password is not right.")
    lim.succeeded(keys[0])
    data = _new_session(request)  # a new id and form token: nothing from before sign-in carries over
    data["user"] = record.name
    data["pw"] = _fingerprint(record.password_hash)
    request.scope.pop("macip.user", None)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session and go back to the sign-in form."""
    data = session(request)
    sid, exp = data.get("sid"), data.get("exp")
    if isinstance(sid, str) and isinstance(exp, int | float):
        request.scope["macip.session_ended"].add(sid, float(exp))
    data.clear()
    return RedirectResponse("/login?signed_out=1", status_code=303)


def login_redirect(next_path: str, *, htmx: bool) -> Response:
    """Where a request without a sign-in goes: the sign-in form, coming back to ``next_path`` after."""
    target = "/login?next=" + quote(_safe_next(next_path), safe="/")
    if htmx:  # an htmx request would swap the form into the page; ask for a full navigation instead
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
