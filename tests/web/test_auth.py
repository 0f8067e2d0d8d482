"""Signing in and out of the review app, through its real forms."""

from __future__ import annotations

import logging
import time

import pytest
from fastapi import Request
from fastapi.responses import RedirectResponse
from itsdangerous import URLSafeSerializer

from macip_gov.users import remove_user, set_password, set_role, verify
from macip_gov.web import create_app
from macip_gov.web.auth import _SALT, COOKIE
from macip_gov.web.settings import WebSettings
from macip_gov.web.templating import flash

from .conftest import WEB_USERS, TestClient, csrf_from


def _post_login(client, name, password, next_path="/"):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"username": name, "password": password, "next": next_path, "csrf_token": token})


def _set_cookie(response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(COOKIE + "=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def test_a_signed_in_user_sees_the_home_page_with_their_name_and_role(client, signed_in):
    signed_in(client, "privacy_officer")
    page = client.get("/")
    assert page.status_code == 200
    assert "priya" in page.text
    assert "Privacy officer" in page.text


def test_nobody_signed_in_is_sent_to_the_sign_in_form_and_back_after(client):
    response = client.get("/?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/%3Fx%3D1"
    form = client.get(response.headers["location"])
    assert 'name="next" value="/?x=1"' in form.text
    name, password = WEB_USERS["approver"]
    signed = _post_login(client, name, password, next_path="/?x=1")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/?x=1"


def test_htmx_requests_without_a_sign_in_get_a_full_page_redirect(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/login?next=/"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x", "/\t/evil.example", "/\n/evil"],
)
def test_sign_in_never_sends_the_browser_to_another_site(client, target):
    name, password = WEB_USERS["admin"]
    response = _post_login(client, name, password, next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_wrong_password_or_unknown_name_is_refused_with_the_same_message(client):
    name, _ = WEB_USERS["admin"]
    wrong = _post_login(client, name, "not the password at all")
    unknown = _post_login(client, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "The user name or password is not right." in wrong.text
    assert "The user name or password is not right." in unknown.text
    assert client.get("/").status_code == 303


def test_an_unknown_name_is_checked_against_a_hash_too():
    # Same work either way: the dummy hash is made and verified for a name that does not exist.
    from macip_gov import users

    assert verify({}, "nobody", "whatever password") is None
    assert users._dummy_hash.cache_info().currsize == 1


def test_the_session_cookie_is_httponly_samesite_with_an_expiry_and_no_secure_over_http(client):
    name, password = WEB_USERS["secretariat"]
    response = _post_login(client, name, password)
    cookie = _set_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Max-Age=" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_over_https(web_workspace):
    app = create_app(web_workspace)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as https_client:
        name, password = WEB_USERS["secretariat"]
        cookie = _set_cookie(_post_login(https_client, name, password))
    assert "; Secure" in cookie


def test_signing_in_starts_a_new_session_id_and_form_token(client):
    form = client.get("/login")
    before_token = csrf_from(form.text)
    before_cookie = client.cookies.get(COOKIE)
    name, password = WEB_USERS["oia_officer"]
    client.post("/login", data={"username": name, "password": password, "csrf_token": before_token})
    after_cookie = client.cookies.get(COOKIE)
    after_token = csrf_from(client.get("/").text)
    assert after_token != before_token
    settings = client.app.state.web.settings
    serializer = URLSafeSerializer(settings.secret_key, salt=_SALT)
    assert serializer.loads(before_cookie)["sid"] != serializer.loads(after_cookie)["sid"]
    assert serializer.loads(after_cookie)["user"] == name
    assert password not in str(serializer.loads(after_cookie))


def test_signing_out_ends_the_session_even_for_a_copy_of_the_cookie(client, new_client, signed_in):
    signed_in(client, "approver")
    stolen = client.cookies.get(COOKIE)
    token = csrf_from(client.get("/").text)
    out = client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303
    assert out.headers["location"] == "/login?signed_out=1"
    assert "Max-Age=0" in _set_cookie(out)
    assert client.get("/").status_code == 303
    replay = new_client()
    replay.cookies.set(COOKIE, stolen)
    assert replay.get("/").status_code == 303


def test_signing_out_needs_the_form_token(client, signed_in):
    signed_in(client, "approver")
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/").status_code == 200


def test_an_expired_or_tampered_cookie_is_not_a_sign_in(client, new_client, signed_in):
    signed_in(client, "admin")
    settings = client.app.state.web.settings
    serializer = URLSafeSerializer(settings.secret_key, salt=_SALT)
    data = serializer.loads(client.cookies.get(COOKIE))
    expired = new_client()
    expired.cookies.set(COOKIE, serializer.dumps({**data, "exp": int(time.time()) - 1}))
    assert expired.get("/").status_code == 303
    forged = new_client()
    forged.cookies.set(COOKIE, URLSafeSerializer("another key" * 4, salt=_SALT).dumps(data))
    assert forged.get("/").status_code == 303
    still = new_client()
    still.cookies.set(COOKIE, serializer.dumps(data))
    assert still.get("/").status_code == 200


def test_removing_a_user_or_changing_their_password_ends_their_sessions(client, new_client, signed_in, web_workspace):
    users_file = web_workspace.web.users
    signed_in(client, "privacy_officer")
    other = new_client()
    signed_in(other, "approver")
    set_password(users_file, WEB_USERS["privacy_officer"][0], "a completely new passphrase")
    assert client.get("/").status_code == 303
    assert other.get("/").status_code == 200
    remove_user(users_file, WEB_USERS["approver"][0])
    assert other.get("/").status_code == 303


def test_a_new_role_takes_effect_on_the_next_request(client, signed_in, web_workspace):
    signed_in(client, "oia_officer")
    assert "OIA officer" in client.get("/").text
    set_role(web_workspace.web.users, WEB_USERS["oia_officer"][0], "approver")
    assert "Approver" in client.get("/").text


def test_five_failures_for_a_name_block_it_with_429_even_for_the_right_password(client, new_client):
    name, password = WEB_USERS["admin"]
    for _ in range(5):
        assert _post_login(client, name, "wrong wrong wrong").status_code == 401
    blocked = _post_login(client, name, password)
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert client.get("/").status_code == 303
    # Another user from the same address is blocked too: the address has had five failures.
    other, other_password = WEB_USERS["approver"]
    assert _post_login(new_client(), other, other_password).status_code == 429


def test_failures_for_one_name_do_not_block_a_fresh_name_within_the_limit(web_workspace):
    settings = WebSettings.for_workspace(web_workspace).model_copy(update={"login_max_failures": 3})
    app = create_app(web_workspace, settings)
    with TestClient(app, follow_redirects=False) as client:
        name, password = WEB_USERS["admin"]
        for _ in range(2):
            assert _post_login(client, name, "wrong wrong wrong").status_code == 401
        assert _post_login(client, name, password).status_code == 303
    with TestClient(app, follow_redirects=False) as client:
        # A success clears the name's count, not the address's: one more failure from here blocks.
        assert _post_login(client, "someone", "wrong wrong wrong").status_code == 401
        assert _post_login(client, "someone-else", "wrong wrong wrong").status_code == 429


def test_passwords_are_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    name, password = WEB_USERS["secretariat"]
    _post_login(client, name, "a wrong password typed")
    _post_login(client, name, password)
    assert password not in caplog.text
    assert "a wrong password typed" not in caplog.text


# --------------------------------------------------------------------------- trusted proxy header


@pytest.fixture
def proxied(web_workspace):
    settings = WebSettings.for_workspace(web_workspace).model_copy(update={"proxy_header": "X-Remote-User"})
    with TestClient(create_app(web_workspace, settings), follow_redirects=False) as client:
        yield client


def test_proxy_mode_takes_the_name_from_the_header_and_the_role_from_the_users_file(proxied):
    page = proxied.get("/", headers={"X-Remote-User": "sam"})
    assert page.status_code == 200
    assert "Governance secretariat" in page.text


def test_proxy_mode_refuses_a_missing_header_or_a_name_not_in_the_users_file(proxied):
    assert proxied.get("/").status_code == 303
    assert proxied.get("/", headers={"X-Remote-User": "mallory"}).status_code == 303
    form = proxied.get("/login")
    assert "Sign-in is done by the service in front of this app" in form.text
    assert 'name="password"' not in form.text


def test_proxy_mode_does_not_accept_passwords(proxied):
    name, password = WEB_USERS["admin"]
    response = _post_login(proxied, name, password)
    assert response.status_code == 400
    assert proxied.get("/").status_code == 303


def test_without_proxy_mode_the_header_means_nothing(client):
    assert client.get("/", headers={"X-Remote-User": "admin"}).status_code == 303


def test_proxy_mode_offers_no_sign_out(proxied):
    assert 'action="/logout"' not in proxied.get("/", headers={"X-Remote-User": "sam"}).text


def test_flash_messages_reach_the_next_page_once_and_never_overflow_the_cookie(web_workspace):
    app = create_app(web_workspace)

    @app.post("/test/flash")
    def leave_messages(request: Request) -> RedirectResponse:
        flash(request, "Revision 5 stored.", "success")
        flash(request, "x" * 5000, "error")
        return RedirectResponse("/", status_code=303)

    with TestClient(app, follow_redirects=False) as client:
        name, password = WEB_USERS["admin"]
        _post_login(client, name, password)
        token = csrf_from(client.get("/").text)
        response = client.post("/test/flash", data={"csrf_token": token})
        assert len(_set_cookie(response)) < 4000
        page = client.get("/").text
        assert '<div class="flash flash--success" role="status">' in page
        assert "Revision 5 stored." in page
        assert "Revision 5 stored." not in client.get("/").text


def test_a_broken_users_file_stops_sign_in_with_a_plain_message_and_logs_why(client, web_workspace, caplog):
    web_workspace.web.users.write_text('{"version": 1, "users": {"a": {"role": "king"}}}', encoding="utf-8")
    name, password = WEB_USERS["admin"]
    response = _post_login(client, name, password)
    assert response.status_code == 503
    assert "the app cannot read its list of users" in response.text
    assert str(web_workspace.web.users) not in response.text
    assert f"{web_workspace.web.users}: users.a.role: Input should be" in caplog.text
    assert client.get("/").status_code == 303


def test_a_session_begun_by_a_message_alone_still_gets_an_expiry(web_workspace):
    app = create_app(web_workspace)

    @app.get("/test/flash-anonymous")
    def leave_message(request: Request) -> RedirectResponse:
        flash(request, "Hello.")
        return RedirectResponse("/login", status_code=303)

    with TestClient(app, follow_redirects=False) as client:
        cookie = _set_cookie(client.get("/test/flash-anonymous"))
        assert "Max-Age=" in cookie
        assert "Hello." in client.get("/login").text


def test_the_limiter_counts_within_its_window_only():
    from macip_gov.web.auth import LoginLimiter

    limiter = LoginLimiter(max_failures=2, window=3600)
    limiter.failed("user:a", "addr:x")
    assert limiter.wait("user:a") == 0
    limiter.failed("user:a", "addr:x")
    assert 0 < limiter.wait("user:a") <= 3601
    assert limiter.wait("user:b") == 0
    assert limiter.wait("user:b", "addr:x") > 0
    limiter.succeeded("user:a")
    assert limiter.wait("user:a") == 0
    assert LoginLimiter(max_failures=1, window=0.000001).wait("user:a") == 0
