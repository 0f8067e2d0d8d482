"""The home page: each role's areas, with figures read from the workspace, and failing soft."""

from __future__ import annotations

import re
import sqlite3

import pytest

from macip_gov.cli import cli
from macip_gov.disclosure.log import open_log

from .conftest import WEB_USERS

AREAS_BY_ROLE = {
    "oia_officer": ["OIA requests", "Privacy Impact Assessment"],
    "privacy_officer": ["Disclosures", "Decision log", "Privacy Impact Assessment"],
    "secretariat": ["Privacy Impact Assessment", "Terms of Reference"],
    "approver": ["OIA requests", "Privacy Impact Assessment", "Terms of Reference"],
    "admin": ["OIA requests", "Disclosures", "Decision log", "Privacy Impact Assessment", "Terms of Reference"],
}


def _areas(html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


@pytest.mark.parametrize("role", list(AREAS_BY_ROLE))
def test_each_role_sees_its_own_areas(client, signed_in, role):
    signed_in(client, role)
    html = client.get("/").text
    assert _areas(html) == AREAS_BY_ROLE[role]
    assert f"<h1>Kia ora, {WEB_USERS[role][0]}</h1>" in html
    assert html.count("<h1>") == 1


@pytest.mark.parametrize("role", list(AREAS_BY_ROLE))
def test_every_link_on_a_dashboard_opens_for_that_role(client, signed_in, role):
    signed_in(client, role)
    html = client.get("/").text
    links = re.findall(r'<h2><a href="([^"]+)">', html)
    for link in links:
        response = client.get(link, follow_redirects=True)
        assert response.status_code != 403, (role, link)


def test_the_figures_come_from_the_workspace(client, signed_in, web_workspace):
    signed_in(client, "admin")
    html = client.get("/").text
    assert "2 requests in the workspace" in html  # macip-release and pdf-original
    assert "no decisions recorded yet" in html
    assert "revision 4, " in html
    assert "2 Terms of Reference specs" in html


def test_the_decision_count_follows_the_log(client, signed_in, web_workspace, runner, monkeypatch):
    # Two real decisions, recorded by the command line into the workspace's log.
    monkeypatch.chdir(web_workspace.root)
    for name in ("01-msd-support-status.yaml", "02-education-attendance.yaml"):
        result = runner.invoke(cli, ["disclosure", "check", f"disclosures/{name}"])
        assert result.exit_code in (0, 1), result.output
    with open_log(web_workspace.decision_log.path, create=False) as log:
        assert log.count() == 2
    signed_in(client, "privacy_officer")
    assert "2 decisions recorded" in client.get("/").text


def test_a_broken_store_shows_one_line_not_an_error_page(client, signed_in, web_workspace):
    path = web_workspace.decision_log.path
    path.parent.mkdir(exist_ok=True)
    sqlite3.connect(path).close()
    path.write_bytes(b"this is not a database at all" * 10)
    (web_workspace.pia / "macip.yaml").write_text("document: [unclosed", encoding="utf-8")
    signed_in(client, "admin")
    response = client.get("/")
    assert response.status_code == 200
    assert response.text.count("Not available") == 2
    assert "could not be read" in response.text
    assert "Traceback" not in response.text
    assert "2 requests in the workspace" in response.text


@pytest.mark.parametrize("role", [r for r in AREAS_BY_ROLE if r != "admin"])
def test_the_areas_left_off_a_dashboard_are_the_ones_the_role_may_not_open(client, signed_in, role):
    from macip_gov.web.routes.home import AREAS

    signed_in(client, role)
    for area in AREAS:
        if area.title in AREAS_BY_ROLE[role]:
            continue
        assert client.get(area.href, follow_redirects=True).status_code == 403, (role, area.href)
