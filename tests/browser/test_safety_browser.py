"""What a hostile page or hostile text cannot do to the review app, tried in a real Chromium.

- Forged requests (CSRF): a page on another loopback origin posts a form to the app while an
  officer is signed in; the library then reads the decision log, the PIA's revisions and the
  session to show nothing changed.
- Script in what people type (XSS): markup entered through the forms comes back as text, no
  element it would create exists, and a flag its script would set stays unset.
- No inline script, inline style or ``on*=`` handler in any page or fragment the app serves, and
  the Content Security Policy on every answer.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from macip_gov.disclosure.log import open_log
from macip_gov.pia.store import check_history, resolve

from .conftest import (
    FRAGMENTS,
    WAIT,
    LiveServer,
    app_pages,
    example_form,
    filled,
    html_routes,
    http_client,
    logged_rows,
    sign_in,
    wait_for,
    wait_for_page,
)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

FLAG = "__macipXss"
"""The window property the payloads would set if any of their script ran."""

PAYLOAD = f'<script>window.{FLAG}=1</script><img src=x onerror="window.{FLAG}=2">'
"""Markup a hostile user types: a script element and an image whose error handler runs script."""


# --------------------------------------------------------------------------- a hostile page on another origin


@contextmanager
def hostile_site(page: str, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``page`` (HTML) at ``/`` of a second loopback server (another origin); yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


def forged_form(action: str, fields: dict[str, str | list[str]]) -> str:
    """A page that posts ``fields`` to ``action`` as soon as it loads (its own inline script: no CSP there)."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, values in fields.items()
        for value in ([values] if isinstance(values, str) else values)
    )
    return (
        '<!doctype html><html lang="en"><head><title>Win a prize</title></head><body>'
        f'<form id="f" method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.getElementById('f').submit();</script></body></html>"
    )


def _left_hostile_page(browser, hostile_url: str) -> None:
    WebDriverWait(browser, WAIT).until(
        lambda d: (
            not d.current_url.startswith(hostile_url) and d.execute_script("return document.readyState") == "complete"
        )
    )


def _revisions(server: LiveServer) -> int:
    """The PIA's latest stored revision, read with the library (which verifies the chain on the way)."""
    history = check_history(resolve(server.workspace.pia, server.workspace.pia_history).history)
    assert history.ok, history.problem
    return history.latest


def _logged_ids(server: LiveServer) -> set[str]:
    """The request ids in the decision log, read with the library."""
    with open_log(server.workspace.decision_log.target(), create=False) as log:
        return {record.request_id for record in log.records()}


def _refused(browser) -> None:
    # The app's answer to a post without the session's form token says so.
    assert "form token" in wait_for(browser, "main").text


def _still_signed_in(browser, server: LiveServer) -> bool:
    browser.get(server.url + "/")
    wait_for(browser, "main")
    return bool(browser.find_elements(By.CSS_SELECTOR, "form[action='/logout']"))


@pytest.mark.parametrize(
    "token",
    [None, "a-guessed-token-that-is-not-the-sessions"],
    ids=["no token", "a wrong token"],
)
def test_a_forged_disclosure_check_from_another_origin_stores_nothing(browser, live_server, checked, token):
    # Another port of 127.0.0.1 is another origin but the same site: the session cookie (SameSite=Lax)
    # goes with the post, so only the form token stands between the page and the decision log.
    sign_in(browser, live_server, "privacy_officer")
    before = logged_rows(live_server)
    fields = example_form("01-msd-support-status.yaml", id="FORGED-0001")
    if token:
        fields["csrf_token"] = token
    with hostile_site(forged_form(live_server.url + "/disclosure/check", fields)) as hostile:
        browser.get(hostile)
        _left_hostile_page(browser, hostile)
    assert browser.current_url == live_server.url + "/disclosure/check"  # not sent on to a logged row
    _refused(browser)
    assert logged_rows(live_server) == before
    assert "FORGED-0001" not in _logged_ids(live_server)
    assert _still_signed_in(browser, live_server)


def test_a_forged_post_from_another_site_stores_nothing(browser, live_server, checked):
    # localhost and 127.0.0.1 are different sites: the browser does not send the session cookie
    # (SameSite=Lax) and says the post came from another site; the app refuses it either way.
    sign_in(browser, live_server, "privacy_officer")
    before = logged_rows(live_server)
    page = forged_form(live_server.url + "/disclosure/check", example_form("01-msd-support-status.yaml"))
    with hostile_site(page) as hostile:
        other_site = hostile.replace("127.0.0.1", "localhost")
        browser.get(other_site)
        _left_hostile_page(browser, other_site)
    assert browser.current_url == live_server.url + "/disclosure/check"
    _refused(browser)
    assert logged_rows(live_server) == before
    # The refusal page starts no session of its own, so the user is still signed in.
    assert _still_signed_in(browser, live_server)


def test_a_forged_pia_revision_and_sign_out_change_nothing(browser, live_server):
    sign_in(browser, live_server, "secretariat")
    revisions = _revisions(live_server)
    working_file = resolve(live_server.workspace.pia, live_server.workspace.pia_history).working
    working = working_file.read_bytes()
    forged = {"message": "forged", "text": "schema_version: 1\nid: FORGED\n", "opened_at": ""}
    with hostile_site(forged_form(live_server.url + "/pia/revise", forged)) as hostile:
        browser.get(hostile)
        _left_hostile_page(browser, hostile)
    _refused(browser)
    with hostile_site(forged_form(live_server.url + "/logout", {})) as hostile:
        browser.get(hostile)
        _left_hostile_page(browser, hostile)
    _refused(browser)
    assert _revisions(live_server) == revisions
    assert working_file.read_bytes() == working
    assert _still_signed_in(browser, live_server)


# --------------------------------------------------------------------------- script in what people type


def _no_script_ran(browser) -> None:
    assert browser.execute_script(f"return typeof window.{FLAG}") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('[onerror]').length") == 0
    scripts = browser.execute_script("return [...document.scripts].map(s => s.src + '|' + s.text)")
    assert not [s for s in scripts if FLAG in s], scripts


def _shown_as_text(browser, text: str) -> bool:
    return text in browser.execute_script("return document.body.innerText")


def test_markup_in_a_disclosure_request_id_is_shown_as_text(browser, live_server, checked):
    sign_in(browser, live_server, "privacy_officer")
    before = logged_rows(live_server)
    browser.get(live_server.url + f"/disclosure?from={checked}")
    box = wait_for(browser, "#f-id")
    box.clear()
    box.send_keys(PAYLOAD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/check'] button[type='submit']").click()
    wait_for(browser, ".error-summary")
    _no_script_ran(browser)
    assert browser.find_element(By.ID, "f-id").get_attribute("value") == PAYLOAD  # given back as typed
    assert logged_rows(live_server) == before  # not a valid id: nothing stored


def test_markup_in_a_logged_request_is_shown_as_text(browser, live_server, checked):
    # Free text that the library stores (what the information was obtained for) comes back on the
    # logged decision's page and in the form filled from it.
    sign_in(browser, live_server, "privacy_officer")
    browser.get(live_server.url + f"/disclosure?from={checked}")
    box = wait_for(browser, "#f-collection-obtained-for")
    box.clear()
    box.send_keys(PAYLOAD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/check'] button[type='submit']").click()
    wait_for_page(browser, "/disclosure/log/")
    seq = int(browser.execute_script("return location.pathname").rsplit("/", 1)[1])
    assert seq > checked
    for path in (f"/disclosure/log/{seq}", f"/disclosure?from={seq}", f"/disclosure/log/{seq}/explain"):
        browser.get(live_server.url + path)
        wait_for(browser, "main")
        _no_script_ran(browser)
    browser.get(live_server.url + f"/disclosure/log/{seq}")
    wait_for(browser, "main")
    assert _shown_as_text(browser, PAYLOAD)


def test_markup_in_a_pia_revision_is_shown_as_text(browser, live_server):
    sign_in(browser, live_server, "secretariat")
    browser.get(live_server.url + "/pia/revise")
    wait_for(browser, "#f-text")
    text = browser.find_element(By.ID, "f-text").get_attribute("value")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    changed = text.replace(title, f"title: {PAYLOAD!r}", 1)
    # The whole PIA typed key by key would take minutes: the text goes in as a paste would.
    browser.execute_script("document.getElementById('f-text').value = arguments[0]", changed)
    browser.find_element(By.ID, "f-message").send_keys(PAYLOAD)
    browser.find_element(By.CSS_SELECTOR, "#revise-form button[type='submit']").click()
    wait_for_page(browser, "/pia/history")
    flash = wait_for(browser, ".flash")
    assert "Stored revision" in flash.text and PAYLOAD in flash.text
    _no_script_ran(browser)
    assert _shown_as_text(browser, PAYLOAD)
    for path in ("/pia", "/pia/diff", "/pia/history", "/pia/revise"):
        browser.get(live_server.url + path)
        wait_for(browser, "main")
        _no_script_ran(browser)
    browser.get(live_server.url + "/pia")
    wait_for(browser, "main")
    assert _shown_as_text(browser, PAYLOAD)


def test_markup_in_a_search_or_an_address_comes_back_as_text(browser, live_server, checked):
    # Reflected, not stored: a search typed in, filters crafted into a link someone is sent, and a
    # user name typed into the sign-in form are all shown again in the page.
    from urllib.parse import quote

    from .conftest import fill_login

    fill_login(browser, live_server.url, PAYLOAD, "not anyone's password")
    wait_for(browser, ".error-summary")
    _no_script_ran(browser)
    assert browser.find_element(By.ID, "f-username").get_attribute("value") == PAYLOAD

    sign_in(browser, live_server, "privacy_officer")
    browser.get(live_server.url + "/disclosure/log")
    wait_for(browser, "#f-text").send_keys(PAYLOAD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/log'] button[type='submit']").click()
    wait_for_page(browser, "/disclosure/log")
    wait_for(browser, "main")
    _no_script_ran(browser)
    assert browser.find_element(By.ID, "f-text").get_attribute("value") == PAYLOAD

    crafted = "&".join(f"{key}={quote(PAYLOAD)}" for key in ("outcome", "from_agency", "date_from", "page"))
    # The last one's message quotes (the start of) the row number it could not read.
    for path in (
        f"/disclosure/log?{crafted}",
        f"/pia/diff?from={quote(PAYLOAD)}",
        f"/disclosure?from={quote(PAYLOAD)}",
    ):
        browser.get(live_server.url + path)
        wait_for(browser, "main")
        _no_script_ran(browser)
    assert _shown_as_text(browser, "<script>")


# --------------------------------------------------------------------------- what every page is made of


class _Inline(HTMLParser):
    """Notes inline script, inline style and event-handler attributes in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: an event-handler attribute")
            if name == "style":
                self.problems.append(f"<{tag} style=...>: an inline style")
        if tag == "script":
            self.scripts += 1
            self._in_script = True
            if "src" not in names:
                self.problems.append("<script> without src: an inline script")
        if tag == "style":
            self.problems.append("<style>: an inline stylesheet")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"<script> with content: {data.strip()[:60]!r}")


def _check_page(answer, path: str) -> int:
    assert answer.status_code == 200, f"{path}: {answer.status_code}"
    assert answer.headers["content-security-policy"] == CSP, path
    assert answer.headers["content-type"].startswith("text/html"), path
    parser = _Inline()
    parser.feed(answer.text)
    assert not parser.problems, f"{path}: {parser.problems}"
    return parser.scripts


def test_no_page_has_inline_script_or_style_and_every_answer_has_the_csp(live_server, checked):
    fragments = [filled(route) for route in html_routes() if route in FRAGMENTS]
    pages = [*app_pages(), *fragments]
    assert len(pages) > 10
    with httpx.Client(base_url=live_server.url) as client:
        scripts = _check_page(client.get("/login"), "/login")
    with http_client(live_server, "admin") as client:
        for path in pages:
            scripts += _check_page(client.get(path), path)
        for path in ("/static/app.css", "/no-such-page"):
            assert client.get(path).headers["content-security-policy"] == CSP, path
    assert scripts > len(pages)  # the layout's script tags (from files) were seen: the parser read the pages
