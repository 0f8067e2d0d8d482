"""Take the review app's screenshots for the docs (docs/screenshots/*.png), each page as its role sees it.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME]

Serves a temporary copy of the example workspace as bench/serve.py does (uvicorn in a
subprocess on a free loopback port), with one user of each role, records a few example
disclosure checks in its decision log, then drives Debian's chromium (headless, through
chromium-driver) through each area: signing in as the role that works there, opening each
page and saving it 1280 pixels wide, down to at most 2000 pixels of its length. Each PNG is
reduced to 256 colours when that keeps it under 300 KB.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve import Server  # noqa: E402  (bench/serve.py: the app in a uvicorn subprocess)

WIDTH = 1280
MAX_HEIGHT = 2000
MAX_BYTES = 300 * 1024

USERS = {
    "privacy_officer": ("pita", "harbour bridge at night"),
    "oia_officer": ("olivia", "tūī singing at dawn"),
    "secretariat": ("selwyn", "agenda papers for tuesday"),
    "approver": ("amiria", "approved without changes"),
    "admin": ("admin", "every key on the ring"),
}
"""One user of each role: role -> (name, password)."""

EXAMPLES = (
    "01-msd-support-status.yaml",
    "04-health-serious-threat.yaml",
    "07-police-to-nzsis.yaml",
    "20-refused-msd-referral.yaml",
    "22-health-threat-outside-flows.yaml",
)
"""Example disclosure requests checked before the screenshots, so the decision log has rows to show."""

CARD_EXAMPLE = 2
"""The logged row (1-based, in :data:`EXAMPLES` order) checked again in the browser for the decision card."""


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name, the role signed in, and the page (or a step that ends on it).

    ``anchor`` (a CSS selector) starts the picture at that element instead of the page's top;
    ``script`` runs in the page first (to scroll a box to what the picture is for).
    """

    name: str
    role: str | None
    path: str
    step: Callable[[Any, str], None] | None = None
    anchor: str | None = None
    script: str | None = None


FIRST_MARK = """
const box = document.getElementById('original'), mark = box && box.querySelector('mark');
if (mark) box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - 160;
"""
"""Scrolls the document's original to its first marked passage."""


def _check_again(driver: Any, base: str) -> None:
    # The disclosure form filled from a logged request, sent as it is: the app decides and shows the card.
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/disclosure?from={CARD_EXAMPLE}")
    driver.find_element(By.CSS_SELECTOR, "form[action='/disclosure/check'] button[type='submit']").click()
    _wait(driver, lambda d: re.search(r"/disclosure/log/\d+$", d.current_url) is not None)


def _write_release(driver: Any, base: str) -> None:
    # The officer writes the release from the request's page; the page comes back with it listed.
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/oia/macip-release")
    driver.find_element(By.CSS_SELECTOR, "form[action='/oia/macip-release/release'] button").click()
    _wait(driver, lambda d: bool(d.find_elements(By.CSS_SELECTOR, "a[href='/oia/macip-release/release.zip']")))


SHOTS = (
    Shot("sign-in", None, "/login"),
    Shot("home-privacy-officer", "privacy_officer", "/"),
    Shot("disclosure-form", "privacy_officer", "/disclosure"),
    Shot("decision-card", "privacy_officer", "", _check_again),
    Shot("decision-explanation", "privacy_officer", f"/disclosure/log/{CARD_EXAMPLE}/explain"),
    Shot("decision-log", "privacy_officer", "/disclosure/log"),
    Shot("home-oia-officer", "oia_officer", "/"),
    Shot("oia-requests", "oia_officer", "/oia"),
    Shot("oia-request-release-check", "oia_officer", "/oia/macip-release"),
    Shot("oia-document", "oia_officer", "/oia/macip-release/doc/rcoi-macip", script=FIRST_MARK),
    Shot("oia-document-marks", "oia_officer", "/oia/macip-release/doc/rcoi-macip", anchor="#marks"),
    Shot("oia-release-written", "oia_officer", "", _write_release),
    Shot("oia-release-approval", "approver", "/oia/macip-release"),
    Shot("pia-sign-off", "approver", "/pia", anchor="#signoff"),
    Shot("home-secretariat", "secretariat", "/"),
    Shot("pia-heat-map", "secretariat", "/pia"),
    Shot("pia-history", "secretariat", "/pia/history"),
    Shot("pia-diff", "secretariat", "/pia/diff?from=3&to=4"),
    Shot("tor", "secretariat", "/tor"),
)


# --------------------------------------------------------------------------- the workspace


def build_workspace(root: Path) -> None:
    """A copy of the example workspace in ``root`` with one user of each role (:data:`USERS`)."""
    from macip_gov.users import add_user

    sys.path.insert(0, str(ROOT / "tests"))
    from example_workspace import copy_example  # the layout the app's tests use

    copy_example(root)
    for role, (name, password) in USERS.items():
        add_user(root / ".macip" / "users.json", name, role, password)


def record_examples(base: str) -> None:
    """Check :data:`EXAMPLES` as the privacy officer through the form's endpoint, in order (rows 1, 2, ...)."""
    import httpx
    import yaml

    from macip_gov.disclosure.form import describe, form_values
    from macip_gov.disclosure.models import DisclosureRequest
    from macip_gov.policyset import load_policy_set
    from macip_gov.resources import policies_dir

    form = describe(load_policy_set(policies_dir()))
    with httpx.Client(base_url=base, timeout=120) as client:
        name, password = USERS["privacy_officer"]
        client.post("/login", data={"username": name, "password": password, "csrf_token": _token(client, "/login")})
        for example in EXAMPLES:
            data = yaml.safe_load((ROOT / "examples" / "disclosures" / example).read_text(encoding="utf-8"))
            fields = {**form_values(DisclosureRequest.model_validate(data), form)}
            answer = client.post("/disclosure/check", data={**fields, "csrf_token": _token(client, "/disclosure")})
            if answer.status_code != 303:
                raise SystemExit(f"checking {example} answered {answer.status_code}")


def _token(client: Any, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    if not found:
        raise SystemExit(f"no form token on {path}")
    return found[1]


# --------------------------------------------------------------------------- the browser


def start_chromium() -> Any:
    """Headless chromium through chromium-driver, 1280 pixels wide."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"no {path}: install Debian's chromium and chromium-driver (`make browser`)")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", f"--window-size={WIDTH},900", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-NZ"):  # fmt: skip
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def _wait(driver: Any, until: Callable[[Any], bool]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(until)


def _loaded(driver: Any) -> bool:
    return bool(driver.execute_script("return document.readyState === 'complete' && !!document.querySelector('main')"))


def sign_in(driver: Any, base: str, role: str) -> None:
    """Sign in through the form as the user of ``role`` (signing out whoever was in first)."""
    from selenium.webdriver.common.by import By

    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    name, password = USERS[role]
    driver.get(base + "/login")
    driver.find_element(By.ID, "f-username").send_keys(name)
    driver.find_element(By.ID, "f-password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type='submit']").click()
    _wait(driver, lambda d: bool(d.find_elements(By.CSS_SELECTOR, "form[action='/logout']")))


def capture(driver: Any, anchor: str | None = None) -> bytes:
    """The page as PNG, 1280 pixels wide, from its top (or ``anchor``) down at most :data:`MAX_HEIGHT` pixels."""
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    height = int(driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)"))
    top = 0
    if anchor is not None:
        found = driver.execute_script(
            "const e = document.querySelector(arguments[0]);"
            "return e ? Math.floor(e.getBoundingClientRect().top + window.scrollY) - 24 : null",
            anchor,
        )
        if found is None:
            raise SystemExit(f"{driver.current_url}: nothing matches {anchor}")
        top = max(0, int(found))
    shown = max(600, min(height - top, MAX_HEIGHT))
    # A viewport as tall as the page (so nothing is cut), then a picture of the part wanted.
    metrics = {"width": WIDTH, "height": min(height, top + shown), "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        clip = {"x": 0, "y": top, "width": WIDTH, "height": shown, "scale": 1}
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return base64.b64decode(shot["data"])


def shrink(png: bytes) -> bytes:
    """``png`` saved smaller: optimised, then in 256 colours when still over :data:`MAX_BYTES`."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True
        )
    return out.getvalue()


def main() -> int:
    """Take every screenshot (or those named with --only) and write them to --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where to write the PNGs")
    parser.add_argument("--only", action="append", choices=[s.name for s in SHOTS], help="take only these")
    options = parser.parse_args()
    shots = [s for s in SHOTS if not options.only or s.name in options.only]
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="macip-screenshots-") as tmp:
        workspace = Path(tmp) / "macip"  # the home page names the workspace by its folder
        build_workspace(workspace)
        server = Server(workspace, workers=1)
        driver = None
        try:
            server.wait_ready()
            record_examples(server.url)
            driver = start_chromium()
            role: str | None = "nobody yet"
            for shot in shots:
                if shot.role != role:
                    if shot.role is None:
                        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
                    else:
                        sign_in(driver, server.url, shot.role)
                    role = shot.role
                if shot.step is not None:
                    shot.step(driver, server.url)
                else:
                    driver.get(server.url + shot.path)
                _wait(driver, _loaded)
                driver.execute_script("window.scrollTo(0, 0)")
                if shot.script:
                    driver.execute_script(shot.script)
                png = shrink(capture(driver, shot.anchor))
                target = options.out / f"{shot.name}.png"
                target.write_bytes(png)
                sys.stdout.write(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                                 f"  {len(png) // 1024} KB\n")  # fmt: skip
        finally:
            if driver is not None:
                driver.quit()
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
