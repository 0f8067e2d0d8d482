"""Signing in and out in a real Chromium: wrong and right passwords, signing out, and the limit on failures."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from macip_gov.web.app import create_app
from macip_gov.web.settings import WebSettings

from .conftest import BROWSER_USERS, fill_login, serving, sign_in, wait_for, wait_for_page

WRONG = "not the right password"


def _path(browser) -> str:
    return browser.execute_script("return location.pathname + location.search")


def _signed_out(browser, base_url: str) -> bool:
    # A page that needs a sign-in sends the browser to the sign-in form.
    browser.get(base_url + "/")
    wait_for(browser, "main")
    return _path(browser) == "/login?next=/" and not browser.find_elements(By.CSS_SELECTOR, "form[action='/logout']")


def test_a_wrong_password_shows_a_message_and_signs_nobody_in(browser, live_server):
    name, _ = BROWSER_USERS["privacy_officer"]
    fill_login(browser, live_server.url, name, WRONG)
    summary = wait_for(browser, ".error-summary")
    assert "The user name or password is not right." in summary.text
    assert browser.find_element(By.ID, "f-username").get_attribute("value") == name
    assert browser.find_element(By.ID, "f-password").get_attribute("value") == ""  # never sent back
    assert WRONG not in browser.page_source
    assert _signed_out(browser, live_server.url)


def test_the_right_password_signs_in_and_sign_out_ends_it(browser, live_server):
    name = sign_in(browser, live_server, "oia_officer")
    assert _path(browser) == "/"
    header = browser.find_element(By.CSS_SELECTOR, ".site-user").text
    assert name in header and "OIA officer" in header
    cookies = {c["name"]: c for c in browser.get_cookies()}
    assert cookies["macip_session"]["httpOnly"] is True
    assert cookies["macip_session"]["sameSite"] == "Lax"

    browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    wait_for_page(browser, "/login")
    assert "You have signed out." in browser.find_element(By.TAG_NAME, "main").text
    assert _signed_out(browser, live_server.url)


def test_signing_in_returns_to_the_page_asked_for(browser, live_server):
    browser.get(live_server.url + "/pia/history")
    wait_for_page(browser, "/login")
    name, password = BROWSER_USERS["secretariat"]
    browser.find_element(By.ID, "f-username").send_keys(name)
    browser.find_element(By.ID, "f-password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type='submit']").click()
    wait_for_page(browser, "/pia/history")
    wait_for(browser, "form[action='/logout']")


def test_repeated_failures_are_stopped_with_a_message(browser, live_server):
    # An app of its own with the default settings, over the same workspace: failures are counted
    # per user name and per client address, and every browser test comes from 127.0.0.1.
    app = create_app(live_server.workspace)
    name, password = BROWSER_USERS["approver"]
    limit = app.state.web.settings.login_max_failures
    assert limit == WebSettings.model_fields["login_max_failures"].default
    with serving(app) as url:
        for _ in range(limit):
            fill_login(browser, url, name, WRONG)
            assert "not right" in wait_for(browser, ".error-summary").text
        fill_login(browser, url, name, password)  # the right password, too late
        summary = wait_for(browser, ".error-summary")
        assert "Too many failed sign-ins." in summary.text
        assert "try again" in summary.text
        assert _signed_out(browser, url)
