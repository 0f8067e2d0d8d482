"""Fixtures for the review app's tests: a workspace of its own, its users, and clients that sign in for real.

Use them like this::

    def test_something(client, signed_in):
        signed_in(client, "privacy_officer")
        assert client.get("/").status_code == 200

``web_workspace`` is a copy of the example workspace in ``tmp_path``: its ``macip.toml`` names the
PIA in ``pia/`` (with its history), the decision log ``.macip/decisions.db`` (not created yet),
the ToR specs in ``tor/`` (the Governance Group and Working Group), the OIA requests in ``oia/``
(``macip-release`` and ``pdf-original``), and ``disclosures/`` holds the example disclosure
requests. Its users file has one user of each role (``WEB_USERS``: role -> name, password).
"""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette 1.x would rather its test client ran on httpx2; httpx (what the project installs)
    # still works, and this first import is the only place it says so.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from example_workspace import copy_example  # tests/example_workspace.py (tests/ is on the path)

from macip_gov.users import ROLES, load_users
from macip_gov.workspace import Workspace, load_workspace

ROOT = Path(__file__).resolve().parents[2]

WEB_USERS = {
    "oia_officer": ("aroha", "kōwhai tree by the river"),
    "privacy_officer": ("priya", "pōhutukawa in december"),
    "secretariat": ("sam", "minutes of the meeting"),
    "approver": ("ana", "signed sealed delivered"),
    "admin": ("admin", "keys to the whole kingdom"),
}
"""One user of each role: role -> (name, password)."""


@pytest.fixture(scope="session")
def _users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Made once and copied into each workspace. The hashes are real argon2id with the lowest cost
    # argon2 allows: a hash carries its own parameters, so signing in (which every page test does)
    # checks them quickly. The app's own hashes (macip_gov.users) keep the full cost; tests/test_users.py
    # covers those.
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    path = tmp_path_factory.mktemp("users") / "users.json"
    users = {}
    for role in ROLES:
        name, password = WEB_USERS[role]
        users[name] = {"role": role, "password_hash": cheap.hash(password)}
    path.write_text(json.dumps({"version": 1, "users": users}, indent=2), encoding="utf-8")
    assert sorted(load_users(path)) == sorted(name for name, _ in WEB_USERS.values())
    return path


@pytest.fixture
def web_workspace(tmp_path: Path, _users_file: Path) -> Workspace:
    """A copy of the example workspace in ``tmp_path``, with one user of each role."""
    root = tmp_path / "workspace"
    toml = copy_example(root)
    shutil.copy(_users_file, root / ".macip" / "users.json")
    (root / ".macip" / "users.json").chmod(0o600)
    return load_workspace(toml)


@pytest.fixture
def web_app(web_workspace: Workspace):
    """The app over ``web_workspace`` (its engine loaded on first use, closed at the end)."""
    from macip_gov.web import create_app

    return create_app(web_workspace)


@pytest.fixture
def client(web_app) -> Iterator[TestClient]:
    """A browser-like client of the app, not signed in (redirects are not followed)."""
    with TestClient(web_app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def new_client(web_app) -> Iterator[Callable[[], TestClient]]:
    """Makes more clients of the same app (each with its own cookies): ``other = new_client()``."""
    made: list[TestClient] = []

    def make() -> TestClient:
        test_client = TestClient(web_app, follow_redirects=False)
        made.append(test_client)
        return test_client

    yield make
    for test_client in made:
        test_client.close()


def csrf_from(html: str) -> str:
    """The form token in a page: the first ``csrf_token`` field, else the one the layout gives htmx."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(r'"X-CSRF-Token": "([^"]+)"', html)
    assert found, "no form token in the page"
    return found[1]


def sign_in(client: TestClient, role: str) -> str:
    """Sign ``client`` in as the user of ``role`` through the real sign-in form; returns the user's name."""
    name, password = WEB_USERS[role]
    form = client.get("/login")
    assert form.status_code == 200, form.text
    response = client.post(
        "/login", data={"username": name, "password": password, "next": "/", "csrf_token": csrf_from(form.text)}
    )
    assert response.status_code == 303, response.text
    return name


@pytest.fixture
def signed_in() -> Callable[[TestClient, str], str]:
    """``signed_in(client, role)`` signs the client in as that role's user (see ``WEB_USERS``) and returns the name."""
    return sign_in
