"""The disclosure pages: the form, a check recorded in the workspace's real decision log, the log and its tools."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from html import unescape

import pytest

from macip_gov.disclosure.log import open_log

from .conftest import WEB_USERS, csrf_from

THREAT_CASE = {
    "id": "WEB-THREAT-1",
    "requested_at": "2026-03-20",
    "from_agency": "health",
    "to_agency": "police",
    "subject.age": "29",
    "subject.macip_participant": "yes",
    "subject.consent": "not_sought",
    "categories": ["identity", "alcohol_drug", "mental_health"],
    "purpose": "prevent_serious_threat",
    "risk_level": "imminent",
    "threat": "yes",
    "threat.to": "another_person",
    "threat.likelihood": "high",
    "threat.severity": "grave",
    "threat.imminence": "imminent",
    "threat.recipient_can_act": "yes",
    "maintenance_of_law.necessary": "yes",
    "de_identified.published_identifiably": "no",
}
"""Example 22 (Health tells Police of an imminent threat) as a person fills the form in."""


def _log_path(web_workspace):
    return web_workspace.decision_log.target()


def _submit(client, fields: dict, *, token: str | None = None):
    form = client.get("/disclosure")
    assert form.status_code == 200, form.text
    data = {**fields, "csrf_token": csrf_from(form.text) if token is None else token}
    return client.post("/disclosure/check", data=data)


def _text(html: str) -> str:
    """The page's text (tags removed), to look for words as a person reads them."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def officer(client, signed_in):
    signed_in(client, "privacy_officer")
    return client


# -- the form ---------------------------------------------------------------------------------


def test_the_form_is_drawn_from_the_description(officer):
    page = officer.get("/disclosure")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    assert '<form class="form" method="post" action="/disclosure/check"' in html
    assert 'name="csrf_token"' in html
    # Agencies and their names from the policy data; categories with display names.
    assert '<option value="oranga_tamariki">Oranga Tamariki - Ministry for Children</option>' in html
    assert 'value="community:mentoring-service"' in html
    assert '<label for="f-categories-7">Alcohol and drug use</label>' in html
    # Help text names the statutory test, tied to its inputs.
    assert "how likely is it that the threat will be realised?" in html
    assert 'id="f-threat-likelihood" name="threat.likelihood" aria-describedby="f-threat-likelihood-hint"' in html
    # Fact sections are details that work without script, with a legend inside.
    assert '<details id="group-threat">' in html
    assert "Applies only when consent is refused." in html
    # Every input has a label.
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids - labelled == set()


def test_form_errors_come_back_beside_the_fields_with_the_answers_kept(officer, web_workspace):
    fields = {**THREAT_CASE, "subject.age": "twenty-nine", "categories": [], "threat.severity": ""}
    fields["threat.likelihood"] = "certain-ish"
    answer = _submit(officer, fields)
    assert answer.status_code == 400
    html = answer.text
    assert "There is a problem" in html
    assert '<a href="#f-subject-age">Age: enter a whole number of years</a>' in html
    assert 'id="f-subject-age-error"' in html
    assert 'aria-describedby="f-subject-age-hint f-subject-age-error"' in html
    assert 'value="twenty-nine"' in html, "the answer given is shown again"
    assert "Categories of information: give at least one" in _text(html)
    assert "Likelihood: choose one of the options" in _text(html)
    assert '<details id="group-threat" open>' in html
    assert 'value="not_sought" checked' in html
    # Nothing was decided, so nothing was logged.
    assert not (web_workspace.root / ".macip" / "decisions.db").exists()


def test_a_check_is_decided_logged_under_the_user_and_shown(officer, web_workspace):
    answer = _submit(officer, THREAT_CASE)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/disclosure/log/1"
    with open_log(_log_path(web_workspace), create=False) as log:
        (row,) = list(log.records())
        assert log.verify().ok
    assert (row.user, row.request_id, row.outcome) == (WEB_USERS["privacy_officer"][0], "WEB-THREAT-1",
                                                        "allow_with_conditions")  # fmt: skip
    assert row.decision["urgent"] is True
    assert row.decision["legal"]["verdict"] == "permitted"

    card = officer.get("/disclosure/log/1")
    assert card.status_code == 200
    text = _text(card.text)
    assert 'class="outcome outcome--allow_with_conditions"' in card.text
    assert "Allow with conditions" in text
    assert "Permitted: an exception holds on the facts" in text
    assert "Urgent Yes" in text
    for basis in row.decision["legal_basis"]:
        assert basis in text
    assert "Privacy Act 2020 s22 IPP 11(1)(f)(ii): Necessary to prevent or lessen a serious threat" in text
    assert row.decision["conditions"][0]["text"] in text
    assert row.decision["policy_revision"] in text
    assert "No approved PIA information flow covers it." in text or "Covered by" in text
    assert 'href="/disclosure/log/1/explain" hx-get="/disclosure/log/1/explain"' in card.text
    assert "Checked by priya" in text or "by priya" in text


def test_explain_as_a_page_and_as_a_fragment(officer):
    assert _submit(officer, THREAT_CASE).status_code == 303
    page = officer.get("/disclosure/log/1/explain")
    assert page.status_code == 200
    assert "<html" in page.text and page.text.count("<h1>") == 1
    text = _text(page.text)
    assert "Privacy Act 2020 s22 IPP 11(1)(f)(ii)" in text
    assert "Holds" in text and "Not engaged" in text
    assert "Outcome-table row permitted_urgent" in text
    part = officer.get("/disclosure/log/1/explain", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and "<h4" in part.text
    assert "Deciding fact" in part.text


def test_an_uncertain_decision_names_the_facts_to_supply(officer, web_workspace):
    from macip_gov.disclosure.form import form_values
    from macip_gov.disclosure.models import DisclosureRequest
    from macip_gov.inputs import load_model

    example = load_model(DisclosureRequest, web_workspace.root / "disclosures" / "30-threat-facts-missing.yaml")
    answer = _submit(officer, form_values(example))
    assert answer.status_code == 303
    card = _text(officer.get(answer.headers["location"]).text)
    assert "Refer" in card and "Uncertain: facts are missing" in card
    assert (
        "Facts to supply The law cannot be applied until the request states: The recipient can prevent or lessen it"
        in card
    )
    assert "threat.recipient_can_act" in card


def test_the_check_finds_its_way_into_the_log_page(officer):
    assert _submit(officer, THREAT_CASE).status_code == 303
    assert _submit(officer, {**THREAT_CASE, "id": "WEB-OTHER", "from_agency": "msd"}).status_code == 303
    page = officer.get("/disclosure/log")
    assert page.status_code == 200
    assert '<a href="/disclosure/log/1">WEB-THREAT-1</a>' in page.text
    assert "2 of 2 decisions" in _text(page.text)
    assert '<th scope="col">Outcome</th>' in page.text
    found = officer.get("/disclosure/log", params={"text": "web-threat", "outcome": "allow_with_conditions"})
    assert "WEB-THREAT-1" in found.text and "WEB-OTHER" not in found.text
    by_agency = officer.get("/disclosure/log", params={"from_agency": "msd"})
    assert "WEB-OTHER" in by_agency.text and "WEB-THREAT-1" not in by_agency.text
    none = officer.get("/disclosure/log", params={"date_to": "2000-01-01"})
    assert "0 of 2 decisions" in _text(none.text)


def test_an_empty_log_page_and_a_bad_filter(officer):
    page = officer.get("/disclosure/log")
    assert page.status_code == 200 and "Nothing has been logged yet" in page.text
    bad = officer.get("/disclosure/log", params={"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert bad.status_code == 400
    assert "the end date is before the start date" in bad.text


def test_verify_the_log(officer, web_workspace):
    empty = officer.get("/disclosure/log/verify")
    assert empty.status_code == 200 and "Nothing to verify" in empty.text
    assert _submit(officer, THREAT_CASE).status_code == 303
    ok = officer.get("/disclosure/log/verify", headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "<html" not in ok.text
    assert "The log verifies" in ok.text and "ok: 1 rows, chain intact" in ok.text
    db = sqlite3.connect(_log_path(web_workspace))
    with db:
        db.execute("UPDATE decisions SET user = 'mallory'")
    db.close()
    broken = officer.get("/disclosure/log/verify")
    assert broken.status_code == 409
    assert "The log does not verify" in broken.text and "FAILED at row 1" in broken.text


def test_csv_of_the_current_search(officer):
    assert _submit(officer, THREAT_CASE).status_code == 303
    assert _submit(officer, {**THREAT_CASE, "id": "WEB-OTHER", "from_agency": "msd"}).status_code == 303
    answer = officer.get("/disclosure/log.csv", params={"from_agency": "health"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["request_id"] for r in rows] == ["WEB-THREAT-1"]
    assert rows[0]["user"] == "priya" and rows[0]["outcome"] == "allow_with_conditions"
    page = officer.get("/disclosure/log", params={"from_agency": "health"})
    assert 'href="/disclosure/log.csv?from_agency=health"' in page.text


def test_csv_guards_against_formulas(officer, web_workspace):
    # A user name is free text in the users file; it reaches the log's user column as written.
    assert _submit(officer, THREAT_CASE).status_code == 303
    with open_log(_log_path(web_workspace)) as log:
        record = log.get("1")
        from macip_gov.canonical import canonical_json
        from macip_gov.disclosure.entry import LogEntry

        decision = {**record.decision, "id": "WEB-2", "reasons": ["=1+2", "@SUM(A1)"]}
        request = {**record.request, "id": "WEB-2"}
        entry = LogEntry(
            "WEB-2", record.outcome, record.policy_revision, canonical_json(request), canonical_json(decision)
        )
        log.append([entry], user="+cmd|' /C calc'!A0")
    rows = list(csv.reader(io.StringIO(officer.get("/disclosure/log.csv").text)))
    header, cells = rows[0], rows[2]
    assert cells[header.index("user")] == "'+cmd|' /C calc'!A0"
    assert cells[header.index("reasons")] == "'=1+2; @SUM(A1)"
    for row in rows:
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)


def test_text_is_shown_as_text_never_as_markup(officer, web_workspace):
    script = "<script>alert(1)</script>"
    fields = {**THREAT_CASE, "id": script}
    answer = _submit(officer, fields)
    assert answer.status_code == 400
    assert script not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    # Free text that the request accepts is logged and shown escaped on every page.
    fields = {**THREAT_CASE, "id": "WEB-XSS", "subject.consent": "refused", "subject.refusal_reasons": script,
              "claimed_basis": "IPP 11(1)(f)(ii) <img src=x onerror=alert(1)>"}  # fmt: skip
    assert _submit(officer, fields).status_code == 303
    for url in (
        "/disclosure/log/1",
        "/disclosure/log",
        "/disclosure/log?text=%3Cscript%3E",
        "/disclosure/log/1/explain",
    ):
        html = officer.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in officer.get("/disclosure/log/1").text
    again = officer.get("/disclosure?from=1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in again


def test_a_logged_request_can_be_checked_again(officer):
    assert _submit(officer, THREAT_CASE).status_code == 303
    form = officer.get("/disclosure?from=1")
    assert form.status_code == 200
    assert 'value="WEB-THREAT-1"' in form.text
    assert '<details id="group-threat" open>' in form.text
    assert officer.get("/disclosure?from=7").status_code == 400
    assert officer.get("/disclosure?from=abc").status_code == 400


@pytest.mark.parametrize("role", ["oia_officer", "secretariat", "approver"])
def test_other_roles_are_refused(client, signed_in, role):
    signed_in(client, role)
    for url in ("/disclosure", "/disclosure/log", "/disclosure/log.csv", "/disclosure/log/verify", "/disclosure/log/1"):
        assert client.get(url).status_code == 403, url
    token = csrf_from(client.get("/").text)
    assert client.post("/disclosure/check", data={**THREAT_CASE, "csrf_token": token}).status_code == 403


def test_admin_may_check(client, signed_in, web_workspace):
    signed_in(client, "admin")
    assert _submit(client, THREAT_CASE).status_code == 303
    with open_log(_log_path(web_workspace), create=False) as log:
        assert [r.user for r in log.records()] == ["admin"]


def test_signed_out_is_sent_to_sign_in(client):
    answer = client.get("/disclosure/log")
    assert answer.status_code in (302, 303, 307)
    assert "/login" in answer.headers["location"]


def test_a_check_without_the_form_token_is_refused(officer, web_workspace):
    assert _submit(officer, THREAT_CASE, token="not-the-token").status_code == 403
    assert officer.post("/disclosure/check", data=THREAT_CASE).status_code == 403
    assert not (web_workspace.root / ".macip" / "decisions.db").exists()


def test_a_missing_row_and_a_bad_row_number(officer):
    assert _submit(officer, THREAT_CASE).status_code == 303
    assert officer.get("/disclosure/log/99").status_code == 400
    assert officer.get("/disclosure/log/abc").status_code in (400, 404, 422)
    assert "Traceback" not in officer.get("/disclosure/log/99").text


def test_a_row_logged_in_an_earlier_shape_is_shown_as_stored(officer, web_workspace):
    from macip_gov.canonical import canonical_json
    from macip_gov.disclosure.entry import LogEntry

    request = {"id": "OLD-1", "from_agency": "msd", "to_agency": "police", "purpose": "support"}
    decision = {"id": "OLD-1", "outcome": "allow", "policy_revision": "r0", "legal_basis": ["IPP 11(a)"]}
    with open_log(_log_path(web_workspace)) as log:
        log.append([LogEntry("OLD-1", "allow", "r0", canonical_json(request), canonical_json(decision))], user="ops")
    page = officer.get("/disclosure/log/1")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Decision: Allow" in text and "shown as it was stored" in text
    assert '"legal_basis": [ "IPP 11(a)" ]' in text
    assert "Check it again with changes" not in text, "an old request cannot fill today's form"
    listing = officer.get("/disclosure/log")
    assert '<a href="/disclosure/log/1">OLD-1</a>' in listing.text
    explained = officer.get("/disclosure/log/1/explain")
    assert explained.status_code == 400 and "no longer fits the request model" in explained.text


def test_the_log_page_waits_for_a_log_the_first_check_is_making(officer, web_workspace):
    # The first check makes the file, then its tables: a page opened in between waits for
    # them instead of calling the file no decision log.
    from pathlib import Path

    path = Path(_log_path(web_workspace))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    page = officer.get("/disclosure/log")
    assert page.status_code == 200, page.text
    assert open_log(path, create=False).count() == 0


def test_a_file_that_is_no_decision_log_is_still_refused(officer, web_workspace):
    from pathlib import Path

    path = Path(_log_path(web_workspace))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database at all, just text\n" * 200)
    page = officer.get("/disclosure/log")
    assert page.status_code == 400
    assert "decision log" in page.text
