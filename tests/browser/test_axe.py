"""Every page of the review app passes axe-core's WCAG 2.0 and 2.1 A and AA rules in a real Chromium.

axe-core (tests/browser/vendor/axe.min.js) is injected into each page through WebDriver, which
the page's Content Security Policy does not govern, then run over the whole document. The pages
are found from the app's own routes (every GET route answering HTML, its parameters filled with
the example workspace's ids: an OIA request, a document, a logged decision) and opened as the
admin, who may open all of them, and as each other role on its home page and wherever it sees a
page differently; then the sign-in page, a form sent with errors, the 403 and 404 pages. A page
fails on any violation, and the message lists each rule, its impact, the elements it found and
how to fix it. What axe-core cannot see is checked here too: the skip link and visible focus
with the keyboard, and pages read at 320 CSS pixels without scrolling sideways.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from macip_gov.users import ROLES

from .conftest import LiveServer, app_pages, fill_login, http_client, sign_in, wait_for

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({
    passes: r.passes.length,
    violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
    })),
  }))
  .catch(e => done({error: String(e)}));
"""

PAGES = app_pages()


def inject_axe(driver: Any) -> None:
    """Load axe-core into the current page (once per page load)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    assert driver.execute_script("return typeof window.axe === 'object' && typeof window.axe.run === 'function'")


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """The WCAG A/AA violations axe-core finds in the current page (failing when axe itself fails or checks nothing)."""
    inject_axe(driver)
    result = driver.execute_async_script(RUN_AXE, WCAG_TAGS)
    assert "error" not in result, f"axe-core failed on {driver.current_url}: {result['error']}"
    assert result["passes"] > 0, f"axe-core checked nothing on {driver.current_url}"
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    """The violations as a readable list: rule, impact, each element, and the fix."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            lines.append(f"      {summary[:400]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(driver: Any) -> None:
    """Fail with every violation listed when the current page has any."""
    assert driver.execute_script("return document.contentType") == "text/html", driver.current_url
    violations = axe_violations(driver)
    assert not violations, describe(driver.current_url, violations)


def open_page(driver: Any, server: LiveServer, path: str) -> None:
    """Open ``path`` and wait for its <main>."""
    driver.get(server.url + path)
    wait_for(driver, "main")


# --------------------------------------------------------------------------- the harness itself


def test_axe_runs_under_the_apps_csp_and_finds_a_violation(browser, live_server):
    # The pages' CSP forbids inline script; WebDriver's injection is not governed by it, and axe
    # must really report something wrong, or every other test here would pass for nothing.
    sign_in(browser, live_server, "privacy_officer")
    open_page(browser, live_server, "/")
    assert assert_accessible(browser) is None
    browser.execute_script(
        "const i = document.createElement('img'); i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';"
        "i.width = 20; i.height = 20; document.querySelector('main').appendChild(i);"
    )
    found = axe_violations(browser)
    assert [v["id"] for v in found] == ["image-alt"], describe(browser.current_url, found)
    assert "image-alt (critical)" in describe(browser.current_url, found)


# --------------------------------------------------------------------------- the pages


def test_the_sign_in_page(browser, live_server):
    open_page(browser, live_server, "/login")
    assert_accessible(browser)


def test_the_sign_in_page_with_an_error(browser, live_server):
    # A wrong password shows the error summary; one failure, well under the rate limit.
    fill_login(browser, live_server.url, "nobody-at-all", "not the password at all")
    wait_for(browser, ".error-summary")
    assert_accessible(browser)


def test_the_disclosure_form_with_errors(browser, live_server):
    # Sent empty: the error summary links to each field, and each field shows its message.
    sign_in(browser, live_server, "privacy_officer")
    open_page(browser, live_server, "/disclosure")
    browser.find_element("css selector", "form[action='/disclosure/check'] button[type='submit']").click()
    wait_for(browser, ".error-summary")
    assert browser.find_elements("css selector", ".field-error")
    assert_accessible(browser)


def test_the_page_not_found(browser, live_server):
    sign_in(browser, live_server, "oia_officer")
    open_page(browser, live_server, "/no-such-page")
    assert "not found" in browser.find_element("css selector", "h1").text.lower()
    assert_accessible(browser)


def test_pages_were_found():
    assert {"/", "/oia", "/disclosure", "/disclosure/log", "/pia", "/tor"} <= set(PAGES)
    assert any("/doc/" in p for p in PAGES) and any(p.startswith("/disclosure/log/") for p in PAGES)


def _main_part(html: str) -> str:
    # What a page shows below the header, without the session's form token.
    main = html[html.find("<main") : html.rfind("</main>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", main)


@pytest.fixture(scope="module")
def admin_view(live_server, checked) -> dict[str, str]:
    """The main part of every page as the admin sees it."""
    with http_client(live_server, "admin") as client:
        return {path: _main_part(client.get(path).text) for path in PAGES}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_each_role_may_open(browser, live_server, admin_view, role):
    # The admin may open every page and sees every control on it. Each other role is checked on its
    # home page and on every page it may open (200, not 403) whose main part differs from the
    # admin's (a control it lacks, a message of its own); one sign-in per role, and every page's
    # violations gathered into one message.
    with http_client(live_server, role) as client:
        answers = {path: client.get(path) for path in PAGES}
    allowed = [path for path, answer in answers.items() if answer.status_code == 200]
    assert "/" in allowed
    if role == "admin":
        assert allowed == PAGES
    own = [p for p in allowed if role == "admin" or p == "/" or _main_part(answers[p].text) != admin_view[p]]
    sign_in(browser, live_server, role)
    problems = []
    for path in own:
        open_page(browser, live_server, path)
        assert browser.execute_script("return document.contentType") == "text/html", path
        violations = axe_violations(browser)
        if violations:
            problems.append(describe(path, violations))
    assert not problems, "\n\n".join(problems)


def test_the_forbidden_page(browser, live_server):
    # The first page some role may not open, found by trying each role on each page.
    for role in ROLES:
        if role == "admin":
            continue
        with http_client(live_server, role) as client:
            forbidden = [path for path in PAGES if client.get(path).status_code == 403]
        if forbidden:
            sign_in(browser, live_server, role)
            open_page(browser, live_server, forbidden[0])
            assert "Not allowed" in browser.find_element("css selector", "h1").text
            assert_accessible(browser)
            return
    pytest.fail("no page answers 403 to any role: the 403 page was not checked")


# --------------------------------------------------------------------------- the keyboard

FOCUS_SHOWN = """
const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
return {
  tag: e.tagName.toLowerCase(), type: e.type || '', text: (e.innerText || e.value || e.name || '').trim().slice(0, 40),
  ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
  onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth,
};
"""


def _tab(browser) -> dict[str, Any]:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser).send_keys(Keys.TAB).perform()
    shown: dict[str, Any] = browser.execute_script(FOCUS_SHOWN)
    return shown


def test_the_skip_link_comes_first_and_moves_to_the_main_content(browser, live_server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, live_server, "privacy_officer")
    open_page(browser, live_server, "/disclosure/log")
    first = _tab(browser)
    assert first["text"] == "Skip to main content" and first["ring"] and first["onScreen"], first
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return location.hash") == "#main"
    assert browser.execute_script("return document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path", ["/", "/disclosure", "/disclosure/log/1", "/oia/macip-release/doc/rcoi-macip", "/pia/history", "/tor"]
)
def test_keyboard_focus_is_always_visible(browser, live_server, checked, path):
    # Tab through the page's first controls (the header, the navigation, then the page's own):
    # each one focused shows a ring (an outline of 2 px or more, or a shadow) and is on screen. A
    # date field is the exception: Tab focuses its day part inside, which chromium highlights itself.
    sign_in(browser, live_server, "admin")
    open_page(browser, live_server, path)
    seen = [_tab(browser) for _ in range(20)]
    shown = [f["onScreen"] and (f["ring"] or f["type"] == "date") for f in seen]
    hidden = [f for f, ok in zip(seen, shown, strict=True) if f["tag"] != "body" and not ok]
    assert not hidden, f"{path}: focus not visible on {hidden}"
    assert len({(f["tag"], f["text"]) for f in seen}) > 10


# --------------------------------------------------------------------------- narrow screens


def test_pages_reflow_at_320_css_pixels(browser, live_server, checked):
    # WCAG 2.1 1.4.10: at 320 CSS pixels wide (1280 zoomed to 400 %) a page reads without scrolling
    # sideways; a wide table may scroll inside its own box.
    sign_in(browser, live_server, "admin")
    metrics = {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    wide = {}
    try:
        for path in PAGES:
            open_page(browser, live_server, path)
            width = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            if width > 0:
                wide[path] = f"{width} px too wide"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not wide, wide
