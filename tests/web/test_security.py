"""The review app's protections: form tokens, headers, error pages, upload limits, and paths kept in the workspace."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fastapi import File, Form, UploadFile

from macip_gov.errors import InvalidInputError, StaleRevisionError
from macip_gov.resources import templates_dir
from macip_gov.web import create_app
from macip_gov.web.paths import inside, safe_name
from macip_gov.web.security import CSP, read_upload, read_upload_sync
from macip_gov.web.settings import WebSettings

from .conftest import TestClient, csrf_from

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _add_test_routes(app):
    """Routes that fail in each way a real route can, and one that takes an upload."""

    @app.get("/test/library-error")
    def library_error() -> None:
        raise InvalidInputError("field x: not a number", file="request.yaml", location="3")

    @app.get("/test/stale")
    def stale() -> None:
        raise StaleRevisionError("the PIA changed since the page was opened")

    @app.get("/test/crash")
    def crash() -> None:
        raise RuntimeError("secret detail /etc/passwd line 42")

    @app.post("/test/upload")
    def upload(file: UploadFile = File(...), note: str = Form("")) -> dict[str, int]:  # noqa: B008
        return {"size": len(read_upload_sync(file, [".md", ".docx"]))}

    @app.post("/test/upload-async")
    async def upload_async(file: UploadFile = File(...)) -> dict[str, int]:  # noqa: B008
        return {"size": len(await read_upload(file, [".md"]))}

    @app.api_route("/test/echo", methods=["POST", "PUT", "PATCH", "DELETE"])
    def echo() -> dict[str, bool]:
        return {"ok": True}

    return app


@pytest.fixture
def app(web_workspace):
    settings = WebSettings.for_workspace(web_workspace).model_copy(update={"max_upload_bytes": 2000})
    return _add_test_routes(create_app(web_workspace, settings))


@pytest.fixture
def tclient(app):
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as c:
        yield c


def _token(client) -> str:
    return csrf_from(client.get("/login").text)


# --------------------------------------------------------------------------- CSRF


def test_a_post_without_the_form_token_is_a_403_page(tclient):
    response = tclient.post("/test/echo", data={"x": "1"})
    assert response.status_code == 403
    assert "<h1>The form had expired</h1>" in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_a_post_with_a_wrong_token_is_refused_and_the_right_one_accepted(tclient):
    token = _token(tclient)
    assert tclient.post("/test/echo", data={"csrf_token": token + "x"}).status_code == 403
    assert tclient.post("/test/echo", data={"csrf_token": ""}).status_code == 403
    assert tclient.post("/test/echo", data={"csrf_token": token}).json() == {"ok": True}


def test_the_token_in_the_header_works_for_htmx(tclient):
    token = _token(tclient)
    assert tclient.post("/test/echo", headers={"X-CSRF-Token": token}).json() == {"ok": True}
    refused = tclient.post("/test/echo", headers={"X-CSRF-Token": "guess", "HX-Request": "true"})
    assert refused.status_code == 403
    assert "<h1>" not in refused.text  # a fragment for htmx, not a whole page
    assert "The form had expired" in refused.text


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_every_state_changing_method_needs_the_token(tclient, method):
    assert getattr(tclient, method)("/test/echo").status_code == 403
    token = _token(tclient)
    assert getattr(tclient, method)("/test/echo", headers={"X-CSRF-Token": token}).status_code == 200


def test_another_sites_token_from_another_session_is_refused(tclient, app):
    with TestClient(app, follow_redirects=False) as other:
        foreign = _token(other)
    _token(tclient)
    assert tclient.post("/test/echo", data={"csrf_token": foreign}).status_code == 403


def test_a_request_the_browser_marks_cross_site_is_refused_even_with_the_token(tclient):
    token = _token(tclient)
    response = tclient.post("/test/echo", data={"csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_sign_in_needs_the_form_token_too(tclient):
    response = tclient.post("/login", data={"username": "admin", "password": "keys to the whole kingdom"})
    assert response.status_code == 403


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/login", "/", "/no/such/page"])
def test_every_answer_carries_the_security_headers_and_is_not_cached(client, path):
    response = client.get(path)
    assert response.headers["content-security-policy"] == EXPECTED_CSP == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_a_500_carries_the_headers_too(tclient):
    response = tclient.get("/test/crash")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["cache-control"] == "no-store"


def test_static_files_are_served_with_the_headers_but_may_be_cached(client):
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:2000]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["etag"]
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    "path", ["/static/../pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/macip.toml"]
)
def test_static_files_cannot_reach_outside_their_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "hatchling" not in response.text and "[pia]" not in response.text


def test_the_layout_loads_only_our_own_scripts_and_gives_htmx_the_token(client, signed_in):
    signed_in(client, "admin")
    html = client.get("/").text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ['<script src="/static/htmx.min.js" defer>', '<script src="/static/app.js" defer>']
    token = csrf_from(html)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in html
    assert '<html lang="en-NZ">' in html
    assert '<a class="skip-link" href="#main">' in html


def _web_templates() -> list[Path]:
    return sorted((templates_dir() / "web").rglob("*.j2"))


@pytest.mark.parametrize("template", _web_templates(), ids=lambda p: str(p.relative_to(templates_dir())))
def test_no_template_has_inline_script_style_or_event_handlers(template):
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"<style\b", text), "<style> element"
    assert not re.search(r"\sstyle\s*=", text), "style= attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "on*= handler"
    assert "javascript:" not in text.lower()
    assert "hx-on" not in text, "hx-on runs inline script"


# --------------------------------------------------------------------------- error pages


def test_a_library_error_is_a_400_page_with_its_one_line(tclient, signed_in):
    signed_in(tclient, "admin")
    response = tclient.get("/test/library-error")
    assert response.status_code == 400
    assert "request.yaml:3: field x: not a number" in response.text
    assert "Traceback" not in response.text


def test_a_stale_revision_is_a_409(tclient):
    response = tclient.get("/test/stale")
    assert response.status_code == 409
    assert "the PIA changed since the page was opened" in response.text


def test_an_unexpected_error_is_a_plain_500_page_without_details(tclient):
    response = tclient.get("/test/crash")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for leak in ("secret detail", "/etc/passwd", "RuntimeError", "Traceback", "line 42"):
        assert leak not in response.text


def test_an_unknown_page_is_a_404_page_in_the_layout(client, signed_in):
    signed_in(client, "admin")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
    assert 'aria-label="Main"' in response.text  # the navigation is there to find the way back


def test_a_wrong_method_is_a_405_page(tclient):
    response = tclient.get("/test/echo")
    assert response.status_code == 405
    assert "<h1>Not allowed here</h1>" in response.text


# --------------------------------------------------------------------------- uploads


def _upload(client, name: str, data: bytes, **kwargs):
    return client.post("/test/upload", data={"csrf_token": _token(client)}, files={"file": (name, data)}, **kwargs)


def test_an_upload_within_the_limit_with_an_allowed_suffix_is_read(tclient):
    assert _upload(tclient, "notes.MD", b"# Notes\n").json() == {"size": 8}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.exe", b"MZ", "notes.exe: expected a file ending .docx or .md"),
        ("notes.md", b"", "notes.md: the file is empty"),
        ("big.md", b"x" * 2001, "big.md: larger than 2000 bytes (the upload limit)"),
        ("../../etc/passwd.md", b"x", None),
    ],
)
def test_uploads_are_checked(tclient, name, data, message):
    response = _upload(tclient, name, data)
    if message is None:  # a path in the file name is reduced to its last part, never used as a path
        assert response.json() == {"size": 1}
        return
    assert response.status_code == 400
    assert message in response.text


def test_async_routes_await_the_same_checks(tclient):
    token = _token(tclient)
    ok = tclient.post("/test/upload-async", data={"csrf_token": token}, files={"file": ("a.md", b"abc")})
    assert ok.json() == {"size": 3}
    big = tclient.post("/test/upload-async", data={"csrf_token": token}, files={"file": ("a.md", b"x" * 2001)})
    assert big.status_code == 400
    assert "a.md: larger than 2000 bytes (the upload limit)" in big.text


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(tclient):
    response = _upload(tclient, "huge.md", b"x" * (2000 + 1024 * 1024 + 10))
    assert response.status_code == 413
    assert "files up to 2000 bytes can be uploaded" in response.text


def test_read_upload_refuses_a_missing_file():
    from starlette.datastructures import UploadFile as StarletteUpload

    with open(os.devnull, "rb") as fh, pytest.raises(InvalidInputError, match="no file was chosen"):
        read_upload_sync(StarletteUpload(file=fh, filename=""), [".md"])


# --------------------------------------------------------------------------- paths


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "oia" / "req").mkdir(parents=True)
    (root / "oia" / "req" / "manifest.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    return root


def test_paths_inside_the_workspace_are_resolved(root):
    assert inside(root, Path("oia/req/manifest.yaml")) == (root / "oia" / "req" / "manifest.yaml").resolve()
    assert inside(root, root / "oia") == (root / "oia").resolve()
    assert inside(root, Path("oia/../oia/req")) == (root / "oia" / "req").resolve()
    assert inside(root, Path("not/yet/made.txt")) == (root / "not" / "yet" / "made.txt").resolve()
    assert inside(root, Path(".")) == root.resolve()


@pytest.mark.parametrize("candidate", ["..", "../outside.txt", "oia/../../outside.txt", "oia/req/../../../x"])
def test_dot_dot_cannot_leave_the_workspace(root, candidate):
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, Path(candidate))


def test_an_absolute_path_elsewhere_is_refused(root, tmp_path):
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, Path("/etc/passwd"))
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, tmp_path / "outside.txt")
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, Path(str(root) + "-sibling/x"))  # a sibling whose name starts with the root's


def test_a_symlink_out_of_the_workspace_is_refused(root, tmp_path):
    (root / "oia" / "escape").symlink_to(tmp_path)
    (root / "oia" / "file-link").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, Path("oia/escape/outside.txt"))
    with pytest.raises(InvalidInputError, match="outside the workspace"):
        inside(root, Path("oia/file-link"))
    (root / "oia" / "inner-link").symlink_to(root / "oia" / "req")
    assert inside(root, Path("oia/inner-link/manifest.yaml")) == (root / "oia" / "req" / "manifest.yaml").resolve()


def test_a_nul_byte_is_refused(root):
    with pytest.raises(InvalidInputError, match="NUL"):
        inside(root, "oia/req\x00/../../outside.txt")


def test_encoded_traversal_is_a_name_not_a_way_out(root):
    # A URL's %2e%2e%2f arrives decoded or not at all; undecoded it is a plain (odd) name inside the root.
    assert inside(root, Path("%2e%2e%2foutside.txt")) == (root / "%2e%2e%2foutside.txt").resolve()
    with pytest.raises(InvalidInputError):
        safe_name("%2e%2e%2foutside.txt")


@pytest.mark.parametrize("name", ["macip-release", "pdf_original.2", "R1"])
def test_plain_names_are_accepted(name):
    assert safe_name(name) == name


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "a/b", "a\\b", ".hidden", "-rf", "a\x00b", "x" * 129, "é"])
def test_names_that_could_be_paths_are_refused(name):
    with pytest.raises(InvalidInputError):
        safe_name(name)


# --------------------------------------------------------------------------- the signing key


def test_the_signing_key_is_made_once_private_and_kept(tmp_path):
    from macip_gov.web.settings import read_or_make_secret

    path = tmp_path / ".macip" / "web-secret"
    first = read_or_make_secret(path)
    assert len(first) >= 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_or_make_secret(path) == first


def test_a_short_signing_key_is_refused(tmp_path):
    from macip_gov.web.settings import read_or_make_secret

    path = tmp_path / "web-secret"
    path.write_text("short\n", encoding="ascii")
    with pytest.raises(InvalidInputError, match="the signing key is too short"):
        read_or_make_secret(path)


def test_cookies_signed_with_another_workspaces_key_do_not_sign_in(web_workspace, tmp_path, signed_in):
    from macip_gov.web.auth import COOKIE

    first = create_app(web_workspace)
    with TestClient(first, follow_redirects=False) as a:
        signed_in(a, "admin")
        cookie = a.cookies.get(COOKIE)
    web_workspace.web.secret.unlink()  # a new key is made: everyone is signed out
    second = create_app(web_workspace)
    with TestClient(second, follow_redirects=False) as b:
        b.cookies.set(COOKIE, cookie)
        assert b.get("/").status_code == 303


def test_allowed_hosts_refuse_other_names(web_workspace):
    settings = WebSettings.for_workspace(web_workspace).model_copy(update={"allowed_hosts": ("127.0.0.1",)})
    app = create_app(web_workspace, settings)
    with TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False) as ok:
        assert ok.get("/login").status_code == 200
    with TestClient(app, base_url="http://evil.example", follow_redirects=False) as rebound:
        refused = rebound.get("/login")
    assert refused.status_code == 400
    assert "csrf_token" not in refused.text
