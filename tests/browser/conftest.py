"""Fixtures of the browser tests: the review app served on a loopback port, and one real headless Chromium.

``live_server`` is the app (``create_app``) over a copy of the example workspace in a temporary
folder, served by uvicorn in a background thread for the whole session; its users file has one
user of each role (``BROWSER_USERS``). ``browser`` is Debian's chromium driven through
chromium-driver with Selenium: one browser for the session (starting one costs a second or
two), its cookies cleared before each test. Without chromium or chromedriver every browser test
is skipped, saying which is missing (``make browser`` installs both)::

    def test_something(browser, live_server):
        sign_in(browser, live_server, "privacy_officer")
        browser.get(live_server.url + "/disclosure")
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from example_workspace import copy_example  # tests/example_workspace.py (tests/ is on the path)

from macip_gov.users import ROLES, add_user
from macip_gov.workspace import Workspace, load_workspace

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

WINDOW = (1280, 900)
"""The browser window's size in CSS pixels (fixed, so layouts and screenshots do not vary)."""

WAIT = 10.0
"""The longest a test waits for a page or an element, in seconds (a bound, never a measurement)."""

BROWSER_USERS = {
    "oia_officer": ("olivia", "tūī singing at dawn"),
    "privacy_officer": ("pita", "harbour bridge at night"),
    "secretariat": ("selwyn", "agenda papers for tuesday"),
    "approver": ("amiria", "approved without changes"),
    "admin": ("admin", "every key on the ring"),
}
"""One user of each role: role -> (name, password)."""


def build_workspace(root: Path) -> Workspace:
    """Make ``root`` a copy of the example workspace with one user of each role, and load it.

    The layout is the one the page tests use (tests/web/conftest.py): the PIA in ``pia/`` with
    its history, the ToR specs in ``tor/``, the OIA requests in ``oia/``, the example disclosure
    requests in ``disclosures/`` and the decision log in ``.macip/`` (made on the first check).
    """
    toml = copy_example(root)
    for role in ROLES:
        name, password = BROWSER_USERS[role]
        add_user(root / ".macip" / "users.json", name, role, password)
    return load_workspace(toml)


def loopback_socket(host: str = "127.0.0.1") -> socket.socket:
    """A listening-ready TCP socket bound to a free port on ``host`` (handed to the server, so no race for the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


@dataclass
class LiveServer:
    """The running app: its address, the workspace it serves and the app object (for its routes)."""

    url: str
    workspace: Workspace
    app: FastAPI

    @property
    def root(self) -> Path:
        """The workspace's folder."""
        return self.workspace.root


@contextmanager
def serving(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread on a free port of ``host``; yields its base URL.

    The server is asked to exit on leaving and the thread joined, so nothing outlives the block.
    """
    import uvicorn

    sock = loopback_socket(host)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start serving")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(WAIT)
        sock.close()


SIGN_IN_FAILURES = 50
"""Failed sign-ins an address may make in the window on the test servers: every browser test comes from
127.0.0.1, so the default (5) would let a few tests that try a wrong password lock the rest out. The
limit itself is tested on an app with the default settings (test_signin_browser.py)."""


def start_app(root: Path) -> tuple[Workspace, FastAPI]:
    """A workspace built in ``root`` and the app over it (allowing :data:`SIGN_IN_FAILURES`)."""
    from macip_gov.web.app import create_app
    from macip_gov.web.settings import WebSettings

    workspace = build_workspace(root)
    settings = WebSettings.for_workspace(workspace).model_copy(update={"login_max_failures": SIGN_IN_FAILURES})
    return workspace, create_app(workspace, settings)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The review app over its own copy of the example workspace, served on loopback for the session."""
    workspace, app = start_app(tmp_path_factory.mktemp("live") / "workspace")
    with serving(app) as url:
        yield LiveServer(url=url, workspace=workspace, app=app)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when chromium and chromedriver are both installed."""
    packages = ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver"))
    missing = [f"{path} (Debian's {pkg})" for path, pkg in packages if not os.access(path, os.X_OK)]
    if not missing:
        return None
    return "no " + " and no ".join(missing) + ": `make browser` installs them"


def start_chromium(width: int = WINDOW[0], height: int = WINDOW[1]) -> WebDriver:
    """A headless Chromium driven by chromedriver (the caller quits it).

    Raises:
        pytest.skip.Exception: chromium or chromedriver is not installed.
    """
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        f"--window-size={width},{height}",
        "--disable-dev-shm-usage",  # containers often give /dev/shm only 64 MB
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--lang=en-NZ",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to start its sandbox as root
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT * 3)
    driver.set_script_timeout(WAIT * 3)
    return driver


@pytest.fixture(scope="session")
def _chromium() -> Iterator[WebDriver]:
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def browser(_chromium: WebDriver) -> Iterator[WebDriver]:
    """The session's Chromium, starting each test with no cookies (nobody signed in)."""
    clear_cookies(_chromium)
    yield _chromium
    clear_cookies(_chromium)


def clear_cookies(driver: WebDriver) -> None:
    """Forget every cookie of every site (``delete_all_cookies`` would clear only the current site's)."""
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


def wait_for(driver: WebDriver, css: str) -> Any:
    """The first element matching ``css``, waiting up to :data:`WAIT` seconds for it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_for_page(driver: WebDriver, path_prefix: str) -> None:
    """Wait until the browser is on a loaded page whose path starts with ``path_prefix``."""
    from selenium.webdriver.support.ui import WebDriverWait

    def arrived(d: WebDriver) -> bool:
        state = d.execute_script("return [location.pathname, document.readyState]")
        return bool(state[0].startswith(path_prefix) and state[1] == "complete")

    WebDriverWait(driver, WAIT).until(arrived)


def fill_login(driver: WebDriver, base_url: str, name: str, password: str) -> None:
    """Open the sign-in form, type the name and password, and submit it (as a person would)."""
    from selenium.webdriver.common.by import By

    driver.get(base_url + "/login")
    wait_for(driver, "form[action='/login']")
    user_box = driver.find_element(By.ID, "f-username")
    user_box.clear()
    user_box.send_keys(name)
    driver.find_element(By.ID, "f-password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type='submit']").click()


def sign_in(driver: WebDriver, server: LiveServer, role: str) -> str:
    """Sign in as the user of ``role`` through the real form; returns the user's name once the home page shows."""
    name, password = BROWSER_USERS[role]
    fill_login(driver, server.url, name, password)
    wait_for_page(driver, "/")
    wait_for(driver, "form[action='/logout']")
    return name


# --------------------------------------------------------------------------- the app over HTTP (no browser)


def form_token(html: str) -> str:
    """The form token (``csrf_token``) in a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token field in the page"
    return found[1]


@contextmanager
def http_client(server: LiveServer, role: str) -> Iterator[httpx.Client]:
    """An HTTP client of the running app, signed in as the user of ``role`` through the sign-in form."""
    import httpx

    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=WAIT * 3) as client:
        name, password = BROWSER_USERS[role]
        token = form_token(client.get("/login").text)
        answer = client.post("/login", data={"username": name, "password": password, "csrf_token": token})
        assert answer.status_code == 303, answer.text
        yield client


@cache
def _form_description() -> Any:
    from macip_gov.disclosure.form import describe
    from macip_gov.policyset import load_policy_set
    from macip_gov.resources import policies_dir

    return describe(load_policy_set(policies_dir()))


def example_form(example: str, **changes: str) -> dict[str, str | list[str]]:
    """The disclosure form's fields filled as for the example request ``example``, then ``changes``."""
    import yaml

    from macip_gov.disclosure.form import form_values
    from macip_gov.disclosure.models import DisclosureRequest

    data = yaml.safe_load((ROOT / "examples" / "disclosures" / example).read_text(encoding="utf-8"))
    return {**form_values(DisclosureRequest.model_validate(data), _form_description()), **changes}


EXAMPLE_REQUEST = "01-msd-support-status.yaml"
"""The example disclosure request the tests check (MSD to Police, with consent)."""


def check_example(client: httpx.Client, example: str = EXAMPLE_REQUEST, **changes: str) -> int:
    """Post the disclosure form for ``example`` (a privacy officer's client); returns the logged row's number."""
    token = form_token(client.get("/disclosure").text)
    answer = client.post("/disclosure/check", data={**example_form(example, **changes), "csrf_token": token})
    assert answer.status_code == 303, answer.text[:2000]
    location = answer.headers["location"]
    assert location.startswith("/disclosure/log/"), location
    return int(location.rsplit("/", 1)[1])


def logged_rows(server: LiveServer) -> int:
    """Rows in the workspace's decision log, read with the library (0 when it has not been made yet)."""
    from macip_gov.disclosure.log import open_log

    path = server.workspace.decision_log.path
    if path is not None and not path.exists():
        return 0
    with open_log(server.workspace.decision_log.target(), create=False) as log:
        return log.count()


@pytest.fixture(scope="session")
def checked(live_server: LiveServer) -> int:
    """Row 1 of the live server's decision log: the example request checked by the privacy officer (once)."""
    if logged_rows(live_server) == 0:
        with http_client(live_server, "privacy_officer") as client:
            check_example(client)
    return 1


# --------------------------------------------------------------------------- the app's pages

FRAGMENTS = {
    "/oia/{name}/doc/{key}/check": "the release check alone, swapped by htmx into the document page (checked whole)",
}
"""HTML routes that answer a part of a page, not a page: path -> where the part is checked instead."""

EXAMPLE_VALUES = {"name": "macip-release", "key": "rcoi-macip", "seq": "1"}
"""The example workspace's ids for path parameters: an OIA request, one of its documents, the first log row
(the ``checked`` fixture makes it)."""

QUERY_PAGES = [
    "/pia/diff?from=1&to=3",
    "/pia/diff?from=latest&to=working",
    "/disclosure?from=1",
    "/disclosure/log?outcome=allow",
    "/oia/pdf-original/doc/macip-update",
]
"""Pages that show something else: a PIA diff with changes and one without, the form filled from a logged
row, a log search, and a document whose original is a PDF."""


def html_routes() -> list[str]:
    """Every GET route answering HTML, as written (``/oia/{name}``), without the sign-in page."""
    # The routes as the app publishes them (its OpenAPI description: FastAPI includes routers
    # lazily, so app.routes does not list them). An app built only to be read: the example
    # workspace and throwaway settings, so nothing (users file, signing key) is written.
    from macip_gov.web.app import create_app
    from macip_gov.web.settings import WebSettings

    app = create_app(
        load_workspace(ROOT / "macip.toml"),
        WebSettings(users_file=ROOT / ".macip" / "no-such-users.json", secret_key="route listing only " * 2),
    )
    found = []
    for path, operations in app.openapi()["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        if "text/html" in answer.get("content", {}) and path != "/login":
            found.append(path)
    return sorted(found)


def filled(route: str) -> str:
    """``route`` with its path parameters replaced by the example's ids (:data:`EXAMPLE_VALUES`)."""
    missing = set(re.findall(r"{(\w+)[^}]*}", route)) - set(EXAMPLE_VALUES)
    assert not missing, f"{route}: no example value for {missing} (add one to EXAMPLE_VALUES)"
    return re.sub(r"{(\w+)[^}]*}", lambda m: EXAMPLE_VALUES[m[1]], route)


def app_pages() -> list[str]:
    """Every page to open: each HTML route but fragments, with the example's ids, and the query pages."""
    return [filled(route) for route in html_routes() if route not in FRAGMENTS] + QUERY_PAGES
