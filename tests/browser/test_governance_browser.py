"""The PIA's sign-off in a real Chromium: an approver signs off and finds it in the history; an OIA officer cannot.

These tests sign off, which changes the PIA, so they run against an app of their own over a fresh
copy of the example workspace (not the session's shared ``live_server``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By

from macip_gov.pia.store import list_revisions, load_pia

from .conftest import BROWSER_USERS, LiveServer, serving, sign_in, start_app, wait_for, wait_for_page
from .test_axe import assert_accessible


@pytest.fixture(scope="module")
def pia_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app over a workspace of this module's own."""
    workspace, app = start_app(tmp_path_factory.mktemp("pia-live") / "workspace")
    with serving(app) as url:
        yield LiveServer(url=url, workspace=workspace, app=app)


def _revisions(server: LiveServer) -> list:
    return list_revisions(server.root / "pia" / "history")


def test_an_approver_signs_off_and_sees_it_in_the_history(browser, pia_server):
    name = sign_in(browser, pia_server, "approver")
    latest = _revisions(pia_server)[-1].revision
    browser.get(pia_server.url + "/pia")
    button = wait_for(browser, "#sign-off-form button[type='submit']")
    assert button.text == f"Sign off revision {latest}"
    form_text = browser.find_element(By.ID, "sign-off-form").text
    assert f"as {name}, Approver" in form_text
    assert_accessible(browser)
    # The app asks before signing off; saying no sends nothing.
    button.click()
    alert = browser.switch_to.alert
    assert alert.text == f"Sign off revision {latest} of the PIA as {name} (Approver)?"
    alert.dismiss()
    assert _revisions(pia_server)[-1].revision == latest
    button.click()
    browser.switch_to.alert.accept()
    wait_for_page(browser, "/pia/history")
    flash = wait_for(browser, ".flash--success").text
    assert flash == f"Signed off by {name} (Approver); recorded as revision {latest + 1}."
    row = browser.find_element(By.ID, f"r{latest + 1}")
    cells = [c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
    assert cells[0] == f"r{latest + 1} Sign-off"
    assert cells[2:4] == [name, f"Signed off by {name} (Approver)"]
    signers = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#signoffs-table tbody th")]
    assert signers[-1] == name
    assert_accessible(browser)
    # Recorded in the store, in the approver's name and role.
    signoff = load_pia(pia_server.root / "pia").latest_signoff
    assert (signoff.by, signoff.role, signoff.revision) == (name, "Approver", latest + 1)
    # The PIA page now says so, and offers no second sign-off of the same content by the same person.
    browser.get(pia_server.url + "/pia")
    wait_for(browser, "#signoff")
    assert f"Signed off by {name} (Approver) on" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.ID, "sign-off-form")


def _forge_sign_off(browser, revision: int, *, with_token: bool) -> None:
    """Post a sign-off form built in the page by script, as a forger with the page open would."""
    browser.execute_script(
        """
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/pia/sign-off';
        const add = (name, value) => {
          const input = document.createElement('input');
          input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
        };
        add('revision', String(arguments[0]));
        add('by', 'Someone Important');
        if (arguments[1]) {
          add('csrf_token', document.querySelector("input[name='csrf_token']").value);
        }
        document.body.appendChild(form);
        form.submit();
        """,
        revision,
        with_token,
    )


def test_an_oia_officer_has_no_sign_off_and_a_forged_one_is_refused(browser, pia_server):
    sign_in(browser, pia_server, "oia_officer")
    browser.get(pia_server.url + "/pia")
    wait_for(browser, "#signoff")
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/pia/sign-off']")
    assert "Sign off revision" not in browser.find_element(By.TAG_NAME, "main").text
    stored = _revisions(pia_server)
    # With this session's own form token (taken from the sign-out form): refused for the role.
    _forge_sign_off(browser, stored[-1].revision, with_token=True)
    wait_for_page(browser, "/pia/sign-off")
    assert wait_for(browser, "h1").text == "Not allowed"
    # Without a token: refused before the role is even looked at.
    browser.get(pia_server.url + "/pia")
    wait_for(browser, "#signoff")
    _forge_sign_off(browser, stored[-1].revision, with_token=False)
    wait_for_page(browser, "/pia/sign-off")
    assert wait_for(browser, "h1").text == "The form had expired"
    assert _revisions(pia_server) == stored
    name = BROWSER_USERS["oia_officer"][0]
    assert all(s.by != name and s.by != "Someone Important" for s in load_pia(pia_server.root / "pia").signoffs)


def test_the_secretariat_revises_in_the_page_and_a_bad_upload_is_one_message(browser, pia_server, tmp_path):
    name = sign_in(browser, pia_server, "secretariat")
    stored = _revisions(pia_server)
    browser.get(pia_server.url + "/pia/revise")
    box = wait_for(browser, "#f-text")
    assert_accessible(browser)
    # A malformed file chosen in the form: one message, the form again, nothing stored.
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    browser.find_element(By.ID, "f-message").send_keys("A broken file")
    browser.find_element(By.ID, "f-upload").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "#revise-form button[type='submit']").click()
    summary = wait_for(browser, ".error-summary")
    items = [li.text for li in summary.find_elements(By.TAG_NAME, "li")]
    assert len(items) == 1 and items[0].startswith("broken.yaml:2: invalid YAML"), items
    assert_accessible(browser)
    assert _revisions(pia_server) == stored
    # Then an edit typed into the text box is stored with the secretariat as its author.
    browser.get(pia_server.url + "/pia/revise")
    box = wait_for(browser, "#f-text")
    text = box.get_property("value")
    edited = re.sub(r"^title: .*$", "title: MACIP PIA (checked)", text, count=1, flags=re.M)
    assert edited != text
    browser.execute_script("arguments[0].value = arguments[1];", box, edited)
    browser.find_element(By.ID, "f-message").send_keys("Note that the PIA was checked")
    browser.find_element(By.CSS_SELECTOR, "#revise-form button[type='submit']").click()
    wait_for_page(browser, "/pia/history")
    revisions = _revisions(pia_server)
    assert len(revisions) == len(stored) + 1
    assert (revisions[-1].author, revisions[-1].message) == (name, "Note that the PIA was checked")
    row = browser.find_element(By.ID, f"r{revisions[-1].revision}")
    assert name in row.text and "Note that the PIA was checked" in row.text
    assert load_pia(pia_server.root / "pia").title == "MACIP PIA (checked)"


def test_the_secretariat_generates_a_tor_document_and_a_broken_spec_is_refused(browser, pia_server):
    from selenium.webdriver.support.ui import Select

    sign_in(browser, pia_server, "secretariat")
    browser.get(pia_server.url + "/tor")
    wait_for(browser, "#tor-check")
    assert_accessible(browser)
    Select(browser.find_element(By.ID, "f-spec")).select_by_value("macip-working-group")
    Select(browser.find_element(By.ID, "f-format")).select_by_value("md")
    browser.find_element(By.CSS_SELECTOR, "#generate-form button[type='submit']").click()
    wait_for_page(browser, "/tor")
    assert wait_for(browser, ".flash--success").text.startswith("Generated MACIP Working Group, version")
    link = browser.find_element(By.CSS_SELECTOR, "a[href='/tor/download/macip-working-group.md']")
    assert link.text == "macip-working-group.md"
    written = pia_server.root / ".macip" / "out" / "tor" / "macip-working-group.md"
    assert written.read_text(encoding="utf-8").startswith("# MACIP Working Group")
    assert_accessible(browser)
    # A spec that breaks a rule: the check says so, and generating is refused with each rule named.
    spec = pia_server.root / "tor" / "macip-working-group.yaml"
    spec.write_text(re.sub(r"^quorum: \d+", "quorum: 1", spec.read_text(encoding="utf-8"), flags=re.M), "utf-8")
    browser.get(pia_server.url + "/tor")
    wait_for(browser, "#tor-check")
    assert "Fail" in browser.find_element(By.ID, "tor-check").text
    Select(browser.find_element(By.ID, "f-spec")).select_by_value("macip-working-group")
    Select(browser.find_element(By.ID, "f-format")).select_by_value("pdf")
    browser.find_element(By.CSS_SELECTOR, "#generate-form button[type='submit']").click()
    refused = wait_for(browser, "#refused")
    assert refused.text.startswith("Not generated: MACIP Working Group breaks")
    assert not (written.parent / "macip-working-group.pdf").exists()
    assert_accessible(browser)
