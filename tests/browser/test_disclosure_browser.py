"""Checking a disclosure in a real Chromium: fill the form as a privacy officer, see the decision, explain it, find it.

The case is the README's (example 22): a participant tells his nurse he will use a weapon on his
former partner tonight, and Health tells Police. The threat is serious and imminent, so the
disclosure is allowed with conditions and is urgent. Each page on the way is checked with axe-core
in the state a person sees it (the form with its errors, the decision with its explanation open).
"""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import WAIT, sign_in, wait_for, wait_for_page
from .test_axe import assert_accessible

REQUEST_ID = "BROWSER-THREAT-22"


def _choose(browser, name: str, value: str) -> None:
    """Tick the radio button or check box ``value`` of the question ``name`` by clicking its label."""
    box = browser.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']")
    browser.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_selected(), f"{name}={value} is not selected"


def _select(browser, name: str, value: str) -> None:
    Select(browser.find_element(By.NAME, name)).select_by_value(value)


def _type(browser, name: str, text: str) -> None:
    box = browser.find_element(By.NAME, name)
    box.clear()
    box.send_keys(text)


def _open_section(browser, key: str) -> None:
    details = browser.find_element(By.ID, f"group-{key}")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None


def _fill_threat_case(browser, *, age: str = "29") -> None:
    _type(browser, "id", REQUEST_ID)
    _select(browser, "from_agency", "health")
    _select(browser, "to_agency", "police")
    _type(browser, "subject.age", age)
    _choose(browser, "subject.macip_participant", "yes")
    _choose(browser, "subject.consent", "not_sought")
    for category in ("identity", "alcohol_drug", "mental_health"):
        _choose(browser, "categories", category)
    _select(browser, "purpose", "prevent_serious_threat")
    _choose(browser, "risk_level", "imminent")
    _open_section(browser, "threat")
    _choose(browser, "threat", "yes")
    _choose(browser, "threat.to", "another_person")
    _select(browser, "threat.likelihood", "high")
    _select(browser, "threat.severity", "grave")
    _select(browser, "threat.imminence", "imminent")
    _choose(browser, "threat.recipient_can_act", "yes")


def _arrive(browser, path: str, query: str = "") -> None:
    """Wait for a loaded page at exactly ``path`` whose query holds ``query`` (a link or form has been followed)."""

    def arrived(d) -> bool:
        where = d.execute_script("return [location.pathname, location.search, document.readyState]")
        return bool(where[0] == path and query in where[1] and where[2] == "complete")

    WebDriverWait(browser, WAIT).until(arrived)


def _submit(browser) -> None:
    browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/check'] button[type='submit']").click()


def test_a_privacy_officer_checks_an_imminent_threat_explains_it_and_finds_it_in_the_log(browser, live_server):
    name = sign_in(browser, live_server, "privacy_officer")
    browser.get(live_server.url + "/disclosure")
    wait_for(browser, "form[action='/disclosure/check']")
    assert_accessible(browser)

    # First with a mistake the browser lets through (the form has novalidate): it comes back
    # with the message beside the field and the answers kept.
    _fill_threat_case(browser, age="131")
    _submit(browser)
    summary = wait_for(browser, ".error-summary")
    assert "Age: out of range: less than or equal to 130" in summary.text
    assert browser.switch_to.active_element == summary, "the error summary takes the focus"
    age = browser.find_element(By.NAME, "subject.age")
    assert age.get_attribute("aria-describedby") == "f-subject-age-hint f-subject-age-error"
    assert browser.find_element(By.ID, "f-subject-age-error").text.endswith("out of range: less than or equal to 130")
    assert browser.find_element(By.CSS_SELECTOR, "input[name='threat.to'][value='another_person']").is_selected()
    assert browser.find_element(By.ID, "group-threat").get_attribute("open") is not None
    assert_accessible(browser)

    # Corrected and sent: the decision card, outcome first.
    _type(browser, "subject.age", "29")
    _submit(browser)
    wait_for_page(browser, "/disclosure/log/")
    outcome = wait_for(browser, ".outcome__word")
    assert outcome.text == "Allow with conditions"
    card = browser.find_element(By.CSS_SELECTOR, "section.decision").text
    assert "Permitted: an exception holds on the facts" in card
    assert "Yes: the facts show a serious threat that may be realised imminently" in card
    assert "Privacy Act 2020 s22 IPP 11(1)(f)(ii)" in card
    assert "Health Information Privacy Code 2020 r11(2)(d)(ii)" in card
    assert "recorded" in browser.find_element(By.CSS_SELECTOR, ".lede").text and name in browser.page_source
    row_path = browser.execute_script("return location.pathname")
    seq = int(row_path.rsplit("/", 1)[1])

    # Explain: htmx loads the explanation into the page (the link also works as a plain link).
    browser.find_element(By.LINK_TEXT, "Explain this decision").click()
    table = wait_for(browser, "#explanation table")
    explanation = browser.find_element(By.ID, "explanation").text
    assert "Outcome-table row permitted_urgent" in explanation
    assert "Privacy Act 2020 s22 IPP 11(1)(f)(ii)" in explanation and "Holds" in explanation
    assert table.find_elements(By.CSS_SELECTOR, "th[scope='col']")
    assert browser.execute_script("return location.pathname") == row_path, "explained in place"
    assert_accessible(browser)

    # The decision log: search for it, open its row.
    browser.find_element(By.LINK_TEXT, "Decision log").click()
    _arrive(browser, "/disclosure/log")
    _type(browser, "text", REQUEST_ID.lower())
    _select(browser, "outcome", "allow_with_conditions")
    browser.find_element(By.CSS_SELECTOR, "form[role='search'] button[type='submit']").click()
    _arrive(browser, "/disclosure/log", "outcome=allow_with_conditions")
    link = wait_for(browser, f"table a[href='/disclosure/log/{seq}']")
    assert link.text == REQUEST_ID
    row = link.find_element(By.XPATH, "./ancestor::tr").text
    assert "Allow with conditions" in row and "urgent" in row and name in row
    assert_accessible(browser)

    # Verify the log in place.
    browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/log/verify'] button").click()
    WebDriverWait(browser, WAIT).until(lambda d: "The log verifies" in d.find_element(By.ID, "verify-result").text)
    assert "chain intact" in browser.find_element(By.ID, "verify-result").text

    link = browser.find_element(By.CSS_SELECTOR, f"table a[href='/disclosure/log/{seq}']")
    link.click()
    _arrive(browser, row_path)
    assert wait_for(browser, ".outcome__word").text == "Allow with conditions"


def test_without_javascript_the_form_the_sections_and_explain_still_work(browser, live_server):
    sign_in(browser, live_server, "privacy_officer")
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(live_server.url + "/disclosure")
        wait_for(browser, "form[action='/disclosure/check']")
        _fill_threat_case(browser)  # opens the threat section by its summary: native <details>
        _type(browser, "id", REQUEST_ID + "-NOJS")
        _submit(browser)
        wait_for_page(browser, "/disclosure/log/")
        assert wait_for(browser, ".outcome__word").text == "Allow with conditions"
        row_path = browser.execute_script("return location.pathname")
        # Without htmx the Explain link is an ordinary link to the explanation page.
        browser.find_element(By.LINK_TEXT, "Explain this decision").click()
        _arrive(browser, row_path + "/explain")
        assert "Outcome-table row permitted_urgent" in wait_for(browser, "main").text
        # Verify is an ordinary form too.
        browser.get(live_server.url + "/disclosure/log")
        browser.find_element(By.CSS_SELECTOR, "form[action='/disclosure/log/verify'] button").click()
        _arrive(browser, "/disclosure/log/verify")
        assert "The log verifies" in wait_for(browser, "main").text
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
