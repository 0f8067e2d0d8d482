"""Signing in and out of the review app, through its real forms."""

from __future__ import annotations

from .conftest import WEB_USERS


def test_a_signed_in_user_sees_the_home_page(client, signed_in):
    signed_in(client, "privacy_officer")
    page = client.get("/")
    assert page.status_code == 200
    assert "priya" in page.text
    assert "Privacy officer" in page.text


def test_nobody_signed_in_is_sent_to_the_sign_in_form(client):
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"
    assert WEB_USERS["admin"][1] not in client.get("/login").text
