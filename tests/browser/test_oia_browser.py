"""Marking a document in a real Chromium: select a passage with the mouse, pick a ground, save, see the check, release.

The test runs its own copy of the app (over its own workspace) so that the marks and the
release it writes change nothing the other browser tests see.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pdf_read
import pytest

from .conftest import LiveServer, http_client, serving, sign_in, start_app, wait_for
from .test_axe import assert_accessible

DOC = "/oia/macip-release/doc/rcoi-macip"
PASSAGE = "Talking points are attached."


@pytest.fixture(scope="module")
def oia_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    workspace, app = start_app(tmp_path_factory.mktemp("oia-live") / "workspace")
    with serving(app) as url:
        yield LiveServer(url=url, workspace=workspace, app=app)


def wait_until(driver: Any, condition: Any, message: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    from .conftest import WAIT

    return WebDriverWait(driver, WAIT).until(condition, message)


def drag_across(driver: Any, block: Any) -> None:
    """Select the block's text with the mouse: press at its first character, drag past its last, release."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", block)
    box = driver.execute_script(
        """
        const range = document.createRange();
        range.selectNodeContents(arguments[0]);
        const rects = range.getClientRects();
        const first = rects[0], last = rects[rects.length - 1];
        return [first.left, first.top + first.height / 2, last.right, last.top + last.height / 2];
        """,
        block,
    )
    left, top, right, bottom = (round(v) for v in box)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(left + 1, top).pointer_down()
    actions.pointer_action.move_to_location((left + right) // 2, top)
    actions.pointer_action.move_to_location(right + 3, bottom).pointer_up()
    actions.perform()
    ActionChains(driver).reset_actions()


def panels_text(driver: Any) -> str:
    text: str = driver.find_element("css selector", "#doc-panels").text
    return text


def test_an_officer_marks_a_passage_sees_the_check_and_writes_the_release(browser, oia_server):
    from selenium.webdriver.common.by import By

    sign_in(browser, oia_server, "oia_officer")
    browser.get(oia_server.url + DOC)
    wait_for(browser, "[data-oia-original]")
    marks_before = len(browser.find_elements(By.CSS_SELECTOR, ".oia-marks > li"))

    # The passage is selected with a real mouse drag; the script fills in the form.
    block = next(
        b for b in browser.find_elements(By.CSS_SELECTOR, "[data-oia-original] [data-block]") if b.text == PASSAGE
    )
    number = block.get_attribute("data-block")
    drag_across(browser, block)
    quote = browser.find_element(By.ID, "f-quote")
    wait_until(
        browser,
        lambda d: quote.get_attribute("value") == PASSAGE,
        f"the form was not filled: {quote.get_attribute('value')!r}",
    )
    assert browser.find_element(By.ID, "f-block").get_attribute("value") == number
    assert browser.find_element(By.ID, "f-occurrence").get_attribute("value") == "1"
    assert PASSAGE in browser.find_element(By.CSS_SELECTOR, "[data-oia-selection-status]").text

    # The grounds list narrows as a ground is typed; a ground needing a public-interest note is picked.
    browser.find_element(By.ID, "f-ground-search").send_keys("9(2)(b)(ii)")
    shown = [g for g in browser.find_elements(By.CSS_SELECTOR, "[data-oia-ground]") if g.is_displayed()]
    assert [g.get_attribute("data-oia-ground").split()[0] for g in shown] == ["9(2)(b)(ii)"]
    browser.find_element(By.CSS_SELECTOR, "input[name=grounds][value='9(2)(b)(ii)']").click()
    browser.find_element(By.CSS_SELECTOR, "#mark-form button[type=submit]").click()

    # htmx swaps the panels: the new mark is listed, with the violation it causes beside it.
    wait_until(
        browser,
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".oia-marks > li")) == marks_before + 1,
        "the new mark did not appear",
    )
    assert browser.current_url.endswith(DOC)  # swapped in place, not a new page
    item = next(li for li in browser.find_elements(By.CSS_SELECTOR, ".oia-marks > li") if PASSAGE in li.text)
    assert "Withheld under 9(2)(b)(ii)" in item.text
    assert "records no public-interest consideration" in item.text
    panel = browser.find_element(By.ID, "check-panel").text
    assert "1 violation in this document" in panel and "oia.release.public_interest_missing" in panel
    assert_accessible(browser)  # the page as htmx left it, violation and all
    source = (oia_server.root / "oia" / "macip-release" / "originals" / "01-rcoi-macip-briefing.md").read_text()
    assert re.search(r'\[Talking points are \*\*attached\*\*\.\]\{\.withhold ground="9\(2\)\(b\)\(ii\)"\}', source)

    # The release is refused while the violation stands.
    browser.get(oia_server.url + "/oia/macip-release")
    browser.find_element(By.CSS_SELECTOR, "form[action='/oia/macip-release/release'] button").click()
    wait_for(browser, ".error-summary")
    assert "The release was not written: the check found 1 violation." in browser.page_source
    assert_accessible(browser)

    # The officer changes the mark to a ground whose public interest the manifest records.
    browser.get(oia_server.url + DOC)
    item = next(li for li in browser.find_elements(By.CSS_SELECTOR, ".oia-marks > li") if PASSAGE in li.text)
    item.find_element(By.PARTIAL_LINK_TEXT, "Change mark").click()
    wait_for(browser, "form[action*='/change']")
    browser.find_element(By.CSS_SELECTOR, "input[name=grounds][value='9(2)(b)(ii)']").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=grounds][value='9(2)(a)']").click()
    browser.find_element(By.CSS_SELECTOR, "#mark-form button[type=submit]").click()
    wait_until(browser, lambda d: "No violations in this document" in panels_text(d), "the violation did not clear")

    # The release is written, and its zip holds the passage only as a redaction.
    browser.get(oia_server.url + "/oia/macip-release")
    browser.find_element(By.CSS_SELECTOR, "form[action='/oia/macip-release/release'] button").click()
    wait_for(browser, "a[href='/oia/macip-release/release.zip']")
    assert "The release was written" in browser.page_source
    assert_accessible(browser)
    with http_client(oia_server, "oia_officer") as client:
        answer = client.get("/oia/macip-release/release.zip")
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = archive.namelist()
        assert "macip-release-release/release.pdf" in names and "macip-release-release/release.json" in names
        document = archive.read("macip-release-release/documents/01-rcoi-macip.md").decode("utf-8")
        texts = {n: archive.read(n) for n in names if n.endswith((".md", ".html", ".json"))}
        whole = archive.read("macip-release-release/release.pdf")
    assert "2. s.9(2)(a) OIA \\[REDACTED\\]" in document
    for name, data in texts.items():
        assert b"Talking points are" not in data, name
    for text in [*pdf_read.texts(whole).values(), pdf_read.stored(whole)]:
        assert "Talkingpointsare" not in re.sub(r"\s+", "", text)


def test_a_second_occurrence_selected_in_script_is_the_one_marked(browser, oia_server):
    """The form says which occurrence was selected, and the library marks that one, not the first."""
    from selenium.webdriver.common.by import By

    sign_in(browser, oia_server, "oia_officer")
    browser.get(oia_server.url + "/oia/macip-release/doc/macip-update")
    wait_for(browser, "[data-oia-original]")
    block = next(
        b
        for b in browser.find_elements(By.CSS_SELECTOR, "[data-oia-original] [data-block]")
        if b.text.startswith("MACIP is included as a deliverable")
    )
    # Select the second "MACIP" of the block with the Selection API, as a screen reader's selection would.
    browser.execute_script(
        """
        const block = arguments[0];
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let seen = 0, node;
        while ((node = walker.nextNode())) {
          let at = node.data.indexOf('MACIP');
          while (at !== -1) {
            seen += 1;
            if (seen === 2) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + 5);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              return;
            }
            at = node.data.indexOf('MACIP', at + 1);
          }
        }
        """,
        block,
    )
    occurrence = browser.find_element(By.ID, "f-occurrence")
    wait_until(browser, lambda d: occurrence.get_attribute("value") == "2", "the occurrence was not filled in")
    assert browser.find_element(By.ID, "f-quote").get_attribute("value") == "MACIP"
    browser.find_element(By.CSS_SELECTOR, "input[name=grounds][value='6(c)']").click()
    browser.find_element(By.CSS_SELECTOR, "#mark-form button[type=submit]").click()
    wait_until(browser, lambda d: "Marks (14)" in panels_text(d), "the mark was not saved")
    source = (oia_server.root / "oia" / "macip-release" / "originals" / "02-macip-update.md").read_text()
    assert "lead agency role for [MACIP]{.withhold" in source
    assert "15. MACIP is included as a deliverable" in source
