"""The OIA pages: the request list, a request, marking a document, the release, its approval and downloads."""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile

import pytest
from markupsafe import escape

from macip_gov.oia import marking
from macip_gov.oia.markup import parse_markup

from .conftest import csrf_from

DOC = "/oia/macip-release/doc/macip-update"
RCOI = "/oia/macip-release/doc/rcoi-macip"
ORIGINALS = ("originals/01-rcoi-macip-briefing.md", "originals/02-macip-update.md")


def request_dir(web_workspace):
    return web_workspace.oia_requests / "macip-release"


def original(web_workspace, name="originals/02-macip-update.md"):
    return request_dir(web_workspace) / name


def form_values(page: str) -> dict[str, str]:
    """The marking form's hidden fields (token and version) from a document page."""
    version = re.search(r'name="version" value="([0-9a-f]{64})"', page)
    assert version, "no version field"
    return {"csrf_token": csrf_from(page), "version": version[1]}


def block_of(page: str, words: str) -> int:
    """The data-block index of the block whose option in the block list starts with ``words``."""
    found = re.search(r'<option value="(\d+)">\d+: ' + re.escape(str(escape(words))), page)
    assert found, f"no block starting {words!r}"
    return int(found[1])


def withheld_passages(source: str) -> list[str]:
    """The plain text of each marked passage (a line of it at least 12 characters long)."""
    pieces = []
    for mark in marking.marks(source, "x"):
        pieces += [part for part in re.split(r"\s*[…]\s*", mark.text) if len(part) >= 12]
    assert pieces
    return pieces


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def officer(client, signed_in):
    signed_in(client, "oia_officer")
    return client


# --------------------------------------------------------------------------- the list and a request


def test_the_list_shows_each_request_with_its_clock_worked_out(officer):
    page = officer.get("/oia")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/oia/macip-release">2021-187</a>' in text
    assert '<a href="/oia/pdf-original">2021-187-pdf</a>' in text
    assert "Harold" in text and "the Multi-Agency Coordination and Intervention Programme (MACIP)" in text
    # Received, the binding due date (extended), and the working: transfer, s 15(1) date, extension, days not counted.
    assert '<td class="oia-date">2021-07-12</td>' in text
    assert '<span class="oia-date">2021-09-20</span><details' in text.replace("\n", "")
    assert "How the due date was worked out" in text
    assert "Monday 16 August 2021 (s 15(1): 20 working days after transfer)" in text
    assert "Monday 20 September 2021 (s 15A: 25 more working days, notified Friday 13 August 2021)" in text
    assert "Sat 2021-07-17: Saturday" in text or "2021-07-17" in text
    assert '<span class="tag tag--neutral">Decided</span>' in text
    # Marks are counted, never shown: the list holds no withheld text.
    assert "(Invented" not in text and "555 0" not in text


def test_the_request_page_lists_documents_the_check_and_the_release_actions(officer):
    page = officer.get("/oia/macip-release")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/oia/macip-release/doc/macip-update">Multi-Agency Coordination' in text
    row = text[text.index('doc/macip-update"') :]
    row = row[: row.index("</tr>")]
    assert "released in part" in row and '<td class="num">13</td>' in row
    assert '<span class="tag tag--ok">No violations</span>' in text
    assert "on time" in text
    assert 'action="/oia/macip-release/release"' in text and "Write the release</button>" in text
    assert 'action="/oia/macip-release/approve"' not in text  # officers do not approve
    assert "No release has been written yet." in text
    assert "(Invented" not in text


def test_a_request_with_a_broken_manifest_says_so(officer, web_workspace):
    (request_dir(web_workspace) / "manifest.yaml").write_text("request: {id: 1}\n", encoding="utf-8")
    page = officer.get("/oia/macip-release")
    assert page.status_code == 200
    assert "The request&#39;s manifest could not be read" in page.text
    listing = officer.get("/oia")
    assert "Unreadable" in listing.text


# --------------------------------------------------------------------------- who may see what


@pytest.mark.parametrize("role", ["privacy_officer", "secretariat"])
def test_other_roles_are_refused_every_page_and_action(client, signed_in, role):
    signed_in(client, role)
    token = csrf_from(client.get("/").text)
    for url in ("/oia", "/oia/macip-release", DOC, f"{DOC}/check", "/oia/macip-release/release.zip"):
        assert client.get(url).status_code == 403, url
    for url in (
        "/oia/macip-release/release",
        "/oia/macip-release/approve",
        f"{DOC}/marks",
        f"{DOC}/marks/0/remove",
        f"{DOC}/marks/0/change",
    ):
        response = client.post(url, data={"csrf_token": token, "version": "0" * 64, "block": "1", "quote": "x"})
        assert response.status_code == 403, url


def test_nobody_signed_in_is_sent_to_sign_in(client):
    for url in ("/oia", DOC, "/oia/macip-release/release.zip"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), url


def test_approvers_read_but_do_not_mark_or_write_releases(client, signed_in, web_workspace):
    signed_in(client, "approver")
    page = client.get(DOC)
    assert page.status_code == 200
    assert "data-oia-mark-form" not in page.text and "Remove mark" not in page.text
    assert "Marks (13)" in page.text
    before = original(web_workspace).read_bytes()
    token = csrf_from(page.text)
    version = marking.version(before.decode("utf-8"))
    response = client.post(
        f"{DOC}/marks", data={"csrf_token": token, "version": version, "block": "2", "quote": "INFORMATION"}
    )
    assert response.status_code == 403
    assert client.post(f"{DOC}/marks/0/remove", data={"csrf_token": token, "version": version}).status_code == 403
    assert client.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 403
    assert original(web_workspace).read_bytes() == before
    assert not (request_dir(web_workspace) / "release").exists()


def test_officers_cannot_approve(officer, web_workspace):
    token = csrf_from(officer.get("/oia/macip-release").text)
    assert officer.post("/oia/macip-release/approve", data={"csrf_token": token}).status_code == 403
    assert not (request_dir(web_workspace) / "approval.json").exists()


def test_changes_need_the_form_token(officer, web_workspace):
    page = officer.get(DOC).text
    values = form_values(page)
    before = original(web_workspace).read_bytes()
    block = block_of(page, "INFORMATION REQUEST")
    data = {"version": values["version"], "block": str(block), "quote": "INFORMATION REQUEST", "grounds": "6(c)"}
    assert officer.post(f"{DOC}/marks", data=data).status_code == 403
    assert officer.post(f"{DOC}/marks", data={**data, "csrf_token": "wrong"}).status_code == 403
    assert officer.post(f"{DOC}/marks/0/remove", data={"version": values["version"]}).status_code == 403
    assert officer.post("/oia/macip-release/release", data={}).status_code == 403
    assert original(web_workspace).read_bytes() == before
    assert not (request_dir(web_workspace) / "release").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/oia/%2e%2e",
        "/oia/..%2Fmacip.toml",
        "/oia/%2e%2e%2f%2e%2e%2fetc",
        "/oia/macip-release/doc/..%2Fmanifest",
        "/oia/macip-release/doc/%2e%2e%2f%2e%2e%2fmacip.toml",
        "/oia/..%2Fmacip-release/doc/macip-update",
        "/oia/macip-release/release/..%2Fmanifest.yaml",
        "/oia/macip-release/release/%2e%2e/%2e%2e/macip.toml",
        "/oia/macip-release/release/..%2F..%2F..%2Fmacip.toml",
        "/oia/macip-release/release/%2Fetc%2Fpasswd",
        "/oia/macip-release/release/release.pdf%00",
    ],
)
def test_request_and_document_ids_are_names_never_paths(officer, url):
    # Plain ".." segments never reach the app (clients resolve them); encoded ones do, and are refused.
    response = officer.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert "[oia]" not in response.text and "decision_maker" not in response.text and "root:" not in response.text


def test_release_files_cannot_be_read_outside_the_release(officer, web_workspace):
    folder = request_dir(web_workspace)
    token = csrf_from(officer.get("/oia/macip-release").text)
    assert officer.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 303
    (folder / "release" / "planted.txt").symlink_to(folder / "manifest.yaml")
    for name in ("planted.txt", "../manifest.yaml", "..%2Fmanifest.yaml", "originals/02-macip-update.md"):
        response = officer.get(f"/oia/macip-release/release/{name}")
        assert response.status_code in (400, 404), name
        assert "decision_maker" not in response.text
    # The planted file also keeps the whole release from being served.
    assert officer.get("/oia/macip-release/release.zip").status_code == 400


# --------------------------------------------------------------------------- the document view


def test_the_document_view_shows_the_original_grounds_marks_check_and_previews(officer):
    page = officer.get(DOC)
    assert page.status_code == 200
    text = page.text
    assert text.count("<h1") == 1
    assert 'data-block="2">INFORMATION REQUEST' in text
    assert '<mark class="mark mark-withhold" data-mark="0"' in text
    # The grounds come from the grounds policy, with whether the public-interest test applies.
    assert re.search(r'value="9\(2\)\(a\)"', text) and re.search(r'value="6\(c\)"', text)
    assert "public-interest test applies" in text
    assert 'value="18(d)"' not in text
    assert "Marks (13)" in text and 'id="mark-12"' in text
    assert "No violations in this document" in text
    # Side by side: the release (no withheld text) and the review copy (all of it).
    released = text[text.index('aria-label="The document as released"') : text.index('id="preview-review"')]
    review = text[text.index('id="preview-review"') :]
    assert "Harbourside" not in released and "s.6(c) OIA [REDACTED]" in released
    assert "Harbourside" in review and "REVIEW COPY – NOT FOR RELEASE" in review
    assert '<script src="/static/oia.js" defer></script>' in text
    assert "<script>" not in text and " style=" not in text and " onclick" not in text


def test_the_stylesheet_is_served_as_css(officer):
    response = officer.get("/static/oia.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert ".oia-preview .redaction" in response.text


def test_pdf_and_word_originals_show_the_command_to_use(officer, web_workspace):
    page = officer.get("/oia/pdf-original/doc/macip-update")
    assert page.status_code == 200
    assert (
        "macip-gov oia redact-pdf pdf-original/macip-update.pdf --marks pdf-original/macip-update.marks.yaml"
        in page.text
    )
    assert "data-oia-mark-form" not in page.text
    withheld = officer.get("/oia/macip-release/doc/macip-update-talking-points")
    assert "The manifest names no original" in withheld.text
    token = csrf_from(page.text)
    response = officer.post(
        "/oia/pdf-original/doc/macip-update/marks",
        data={"csrf_token": token, "version": "0" * 64, "block": "0", "quote": "MACIP", "grounds": "6(c)"},
    )
    assert response.status_code == 400 and "has no Markdown original to mark" in response.text


def test_marking_a_passage_saves_the_markup_and_lists_the_mark(officer, web_workspace):
    page = officer.get(DOC).text
    block = block_of(page, "MACIP is included as a deliverable")
    response = officer.post(
        f"{DOC}/marks",
        data={
            **form_values(page),
            "block": str(block),
            "quote": "Police maintains the lead agency role\n   for MACIP.",
            "occurrence": "1",
            "kind": "withhold",
            "grounds": ["9(2)(a)", "6(c)"],
        },
    )
    assert response.status_code == 303 and response.headers["location"] == f"{DOC}#marks"
    source = original(web_workspace).read_text(encoding="utf-8")
    assert '[Police maintains the lead agency role for MACIP.]{.withhold ground="6(c) 9(2)(a)"}' in source or (
        '[Police maintains the lead agency role for MACIP.]{.withhold ground="9(2)(a) 6(c)"}' in source
    )
    page = officer.get(DOC).text
    assert "Saved." in page
    assert "Marks (14)" in page
    assert "“Police maintains the lead agency role for MACIP.”" in page
    released = page[page.index('aria-label="The document as released"') : page.index('id="preview-review"')]
    assert "Police maintains the lead agency role" not in released


def test_an_htmx_save_swaps_the_panels_with_the_new_version(officer, web_workspace):
    page = officer.get(DOC).text
    values = form_values(page)
    block = block_of(page, "INFORMATION REQUEST")
    response = officer.post(
        f"{DOC}/marks",
        data={**values, "block": str(block), "quote": "Date of Response: 17 February 2021", "kind": "out_of_scope"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.text
    assert text.startswith('<div id="doc-panels"') and "<html" not in text
    assert "Marks (14)" in text and "<strong>Out of scope</strong>" in text
    new_version = form_values(text)["version"]
    assert new_version != values["version"]
    assert new_version == marking.version(original(web_workspace).read_text(encoding="utf-8"))
    assert 'id="check-panel"' in text


def test_a_whole_block_can_be_marked(officer, web_workspace):
    page = officer.get(DOC).text
    block = block_of(page, "Police's Counter-Terrorism Prevention Manager")
    response = officer.post(
        f"{DOC}/marks",
        data={**form_values(page), "block": str(block), "whole_block": "true", "kind": "withhold", "grounds": "6(c)"},
    )
    assert response.status_code == 303
    marks = marking.marks(original(web_workspace).read_text(encoding="utf-8"), "x")
    assert any(m.block and m.text.startswith("Police's Counter-Terrorism") for m in marks), [
        (m.block, m.text[:30]) for m in marks
    ]


def test_a_stale_edit_is_refused_with_409_and_a_reload_link(officer, web_workspace):
    page = officer.get(DOC).text
    values = form_values(page)
    first = {"block": str(block_of(page, "INFORMATION REQUEST")), "quote": "INFORMATION REQUEST", "grounds": "6(c)"}
    assert officer.post(f"{DOC}/marks", data={**values, **first}).status_code == 303
    saved = original(web_workspace).read_bytes()
    # The same page (same version) saves again: someone else's save came first.
    second = {"block": str(block_of(page, "Purpose")), "quote": "Purpose", "grounds": "6(c)"}
    response = officer.post(f"{DOC}/marks", data={**values, **second})
    assert response.status_code == 409
    assert "Not saved: the document changed since you opened it" in response.text
    assert f'<a href="{DOC}">Reload the document</a>' in response.text
    assert original(web_workspace).read_bytes() == saved
    removal = officer.post(f"{DOC}/marks/0/remove", data=values, headers={"HX-Request": "true"})
    assert removal.status_code == 409 and "Reload the document" in removal.text
    assert original(web_workspace).read_bytes() == saved


def test_bad_marks_are_refused_with_a_message_and_nothing_saved(officer, web_workspace):
    page = officer.get(DOC).text
    values = form_values(page)
    before = original(web_workspace).read_bytes()
    block = str(block_of(page, "INFORMATION REQUEST"))
    cases = [
        ({"block": block, "quote": "not in this block at all", "grounds": "6(c)"}, None),
        ({"block": block, "quote": "INFORMATION REQUEST"}, None),  # withhold needs a ground
        ({"block": block, "quote": "INFORMATION REQUEST", "grounds": "99(z)"}, None),
        ({"block": block, "quote": "INFORMATION REQUEST", "kind": "secret", "grounds": "6(c)"}, "kind: expected"),
        ({"quote": "INFORMATION REQUEST", "grounds": "6(c)"}, "block: choose the block"),
        ({"block": "", "quote": "INFORMATION REQUEST", "grounds": "6(c)"}, "block: choose the block"),
        ({"block": block, "quote": "  ", "grounds": "6(c)"}, "quote: select the passage"),
        ({"block": "9999", "quote": "x", "grounds": "6(c)"}, None),
    ]
    for data, message in cases:
        response = officer.post(f"{DOC}/marks", data={**values, **data})
        assert response.status_code == 400, data
        assert "The mark was not saved" in response.text, data
        if message:
            assert message in response.text
        assert "Traceback" not in response.text
    assert original(web_workspace).read_bytes() == before
    # The passage typed is kept in the form, so nothing is lost.
    response = officer.post(f"{DOC}/marks", data={**values, "block": block, "quote": "typed by hand"})
    assert ">typed by hand</textarea>" in response.text


def test_changing_and_removing_a_mark(officer, web_workspace):
    page = officer.get(f"{DOC}?change=0").text
    assert "Change mark 1" in page and f'action="{DOC}/marks/0/change"' in page
    assert re.search(r'value="6\(c\)" checked', page)
    response = officer.post(
        f"{DOC}/marks/0/change", data={**form_values(page), "kind": "withhold", "grounds": "9(2)(a)"}
    )
    assert response.status_code == 303
    source = original(web_workspace).read_text(encoding="utf-8")
    first = marking.marks(source, "x")[0]
    assert first.grounds == ("9(2)(a)",) and "Harbourside" in first.text
    page = officer.get(DOC).text
    response = officer.post(f"{DOC}/marks/0/remove", data=form_values(page))
    assert response.status_code == 303
    source = original(web_workspace).read_text(encoding="utf-8")
    assert len(marking.marks(source, "x")) == 12
    assert "(Invented.) The fictional 2019 Harbourside pilot" in source
    assert "Harbourside" not in "".join(m.text for m in marking.marks(source, "x"))


def test_a_violation_appears_beside_its_mark_and_in_the_check_panel(officer, web_workspace):
    page = officer.get(RCOI).text
    block = block_of(page, "Talking points are attached.")
    response = officer.post(
        f"{RCOI}/marks",
        data={
            **form_values(page),
            "block": str(block),
            "quote": "Talking points are attached.",
            "grounds": "9(2)(b)(ii)",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.text
    panel = text[text.index('id="check-panel"') :]
    assert "1 violation in this document" in panel
    assert "oia.release.public_interest_missing" in panel
    index = next(
        m.index
        for m in marking.marks(original(web_workspace, ORIGINALS[0]).read_text(), "x")
        if m.grounds == ("9(2)(b)(ii)",)
    )
    assert f'<a href="#mark-{index}">mark {index + 1}</a>' in panel
    item = text[text.index(f'<li id="mark-{index}">') :]
    item = item[: item.index("</li>")]
    assert "records no public-interest consideration" in item
    # The check panel alone, as htmx asks for it again.
    again = officer.get(f"{RCOI}/check", headers={"HX-Request": "true"})
    assert again.status_code == 200 and again.text.startswith('<div id="check-panel"')
    assert "oia.release.public_interest_missing" in again.text
    # The release is not written while the check finds a violation.
    token = csrf_from(officer.get("/oia/macip-release").text)
    refused = officer.post("/oia/macip-release/release", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "The release was not written: the check found 1 violation." in refused.text
    assert not (request_dir(web_workspace) / "release").exists()


# --------------------------------------------------------------------------- the release, its downloads and approval


def test_writing_the_release_offers_a_zip_with_no_withheld_text(officer, web_workspace):
    token = csrf_from(officer.get("/oia/macip-release").text)
    response = officer.post("/oia/macip-release/release", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/oia/macip-release#release"
    folder = request_dir(web_workspace) / "release"
    assert (folder / "release.json").is_file() and (folder / "release.pdf").is_file()
    page = officer.get("/oia/macip-release").text
    assert "The release was written:" in page
    assert 'href="/oia/macip-release/release.zip"' in page and 'href="/oia/macip-release/release/release.pdf"' in page
    assert "Write the release again" in page and "Not approved" in page

    response = officer.get("/oia/macip-release/release.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="macip-release-release.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {name.removeprefix("macip-release-release/") for name in contents} == on_disk
    passages = []
    for name in ORIGINALS:
        passages += withheld_passages(original(web_workspace, name).read_text(encoding="utf-8"))
    import pdf_read

    for name, data in contents.items():
        if name.endswith(".pdf"):
            readable = [*pdf_read.texts(data).values(), pdf_read.stored(data)]
        elif name.endswith(".docx"):
            with zipfile.ZipFile(io.BytesIO(data)) as docx:
                readable = [
                    html.unescape(re.sub(r"<[^>]+>", "", docx.read(p).decode()))
                    for p in docx.namelist()
                    if p.endswith(".xml")
                ]
        else:
            readable = [data.decode("utf-8"), html.unescape(re.sub(r"<[^>]+>", "", data.decode("utf-8")))]
        for text in readable:
            assert "(Invented" not in text, name
            flat = squeezed(text)
            for passage in passages:
                assert squeezed(passage) not in flat, (name, passage)

    pdf = officer.get("/oia/macip-release/release/release.pdf")
    assert (
        pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    )
    assert hashlib.sha256(pdf.content).hexdigest() == hashlib.sha256((folder / "release.pdf").read_bytes()).hexdigest()
    letter = officer.get("/oia/macip-release/release/letter.html")
    assert letter.status_code == 200 and letter.headers["content-disposition"].startswith("attachment")
    assert not letter.headers["content-type"].startswith("text/html")


def test_an_approver_approves_and_a_new_release_makes_the_approval_stale(client, new_client, signed_in, web_workspace):
    signed_in(client, "oia_officer")
    token = csrf_from(client.get("/oia/macip-release").text)
    assert client.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 303

    approver = new_client()
    signed_in(approver, "approver")
    page = approver.get("/oia/macip-release").text
    assert 'action="/oia/macip-release/approve"' in page and 'action="/oia/macip-release/release"' not in page
    response = approver.post("/oia/macip-release/approve", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    page = approver.get("/oia/macip-release").text
    assert "You approved the release of request 2021-187." in page
    assert '<span class="tag tag--ok">Approved</span> by ana on' in page
    assert 'action="/oia/macip-release/approve"' not in page
    assert "Approved" in approver.get("/oia").text
    record = (request_dir(web_workspace) / "approval.json").read_text(encoding="utf-8")
    assert '"approved_by": "ana"' in record

    # The officer changes a mark and writes the release again: the approval no longer applies.
    doc = client.get(DOC).text
    block = block_of(doc, "INFORMATION REQUEST")
    data = {**form_values(doc), "block": str(block), "quote": "INFORMATION REQUEST", "grounds": "6(c)"}
    assert client.post(f"{DOC}/marks", data=data).status_code == 303
    # Marked but not yet written: the page says the release lags the marks, and nobody may approve it.
    page = approver.get("/oia/macip-release").text
    assert "Changed since the release was written: originals/02-macip-update.md." in page
    assert 'action="/oia/macip-release/approve"' not in page
    refused = approver.post("/oia/macip-release/approve", data={"csrf_token": csrf_from(page)})
    assert refused.status_code == 400 and "changed after the release was written" in refused.text
    assert client.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 303
    page = approver.get("/oia/macip-release").text
    assert "Changed since the release was written" not in page
    assert "Approval no longer applies" in page and "the release was written again after it was approved" in page
    assert 'action="/oia/macip-release/approve"' in page
    assert "Released, not approved" in approver.get("/oia").text


def test_nothing_to_approve_without_a_release(client, signed_in, web_workspace):
    signed_in(client, "approver")
    token = csrf_from(client.get("/oia/macip-release").text)
    response = client.post("/oia/macip-release/approve", data={"csrf_token": token})
    assert response.status_code == 400 and "no release has been written here" in response.text
    assert not (request_dir(web_workspace) / "approval.json").exists()
    assert client.get("/oia/macip-release/release.zip").status_code == 400


def test_admins_do_everything(client, signed_in):
    signed_in(client, "admin")
    page = client.get(DOC).text
    assert "data-oia-mark-form" in page
    token = csrf_from(page)
    assert client.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 303
    assert client.post("/oia/macip-release/approve", data={"csrf_token": token}).status_code == 303
    assert "Approved</span> by admin" in client.get("/oia/macip-release").text


def test_the_markup_stays_readable_after_every_edit(officer, web_workspace):
    """Every save through the pages leaves an original the CLI reads as before."""
    page = officer.get(DOC).text
    block = block_of(page, "INFORMATION REQUEST")
    officer.post(
        f"{DOC}/marks", data={**form_values(page), "block": str(block), "quote": "Deadline", "grounds": "6(c)"}
    )
    source = original(web_workspace).read_text(encoding="utf-8")
    assert parse_markup(source, "x").withheld == 14


def test_an_original_whose_markup_is_broken_is_shown_as_such(officer, web_workspace):
    original(web_workspace).write_text('Text [unclosed]{.withhold ground="6(c)"\n', encoding="utf-8")
    page = officer.get(DOC)
    assert page.status_code == 200
    assert "The original's markup cannot be read" in page.text and "02-macip-update.md" in page.text
    assert "data-oia-mark-form" not in page.text
    request_page = officer.get("/oia/macip-release")
    assert request_page.status_code == 200 and "The check could not run" in request_page.text


def test_a_word_original_shows_the_import_command(officer, web_workspace):
    import shutil

    import yaml

    from .conftest import ROOT

    folder = request_dir(web_workspace)
    shutil.copy(ROOT / "examples" / "word" / "macip-update.docx", folder / "originals" / "macip-update.docx")
    manifest = folder / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["documents"][1]["path"] = "originals/macip-update.docx"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    page = officer.get(DOC)
    assert page.status_code == 200
    assert (
        "macip-gov oia import macip-release/originals/macip-update.docx -o macip-release/originals/macip-update.md"
        in page.text
    )
    assert "data-oia-mark-form" not in page.text
    row = officer.get("/oia/macip-release").text
    assert "<td>Word</td>" in row.replace("\n", "")


def test_a_change_of_a_mark_that_is_not_there_is_refused(officer, web_workspace):
    page = officer.get(f"{DOC}?change=-1").text
    assert "Mark a passage" in page  # no such mark: the form adds one
    before = original(web_workspace).read_bytes()
    response = officer.post(f"{DOC}/marks/99/change", data={**form_values(page), "grounds": "6(c)"})
    assert response.status_code == 400 and "The mark was not saved" in response.text
    response = officer.post(f"{DOC}/marks/99/remove", data=form_values(page))
    assert response.status_code == 400
    assert original(web_workspace).read_bytes() == before


def test_a_workspace_without_its_requests_folder_says_so(officer, web_workspace):
    import shutil

    shutil.rmtree(web_workspace.oia_requests)
    page = officer.get("/oia")
    assert page.status_code == 400
    assert "The OIA requests could not be read" in page.text and "folder not found" in page.text
    assert officer.get("/oia/macip-release").status_code == 400


def test_a_document_not_released_shows_no_release_preview(officer, web_workspace):
    import yaml

    manifest = request_dir(web_workspace) / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["documents"][1]["decision"] = "withheld_in_full"
    data["documents"][1]["grounds"] = ["s 6(c)"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    page = officer.get(DOC).text
    assert "Nothing of this document is released: it is withheld in full." in page
    assert 'aria-label="The document as released"' not in page
    assert "Harbourside" in page[page.index('id="preview-review"') :]


def test_a_release_folder_linked_outside_the_request_is_not_used(client, signed_in, web_workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "release.json").write_text('{"artefacts": {}}', encoding="utf-8")
    (request_dir(web_workspace) / "release").symlink_to(elsewhere)
    signed_in(client, "admin")
    page = client.get("/oia/macip-release")
    assert page.status_code == 200 and "is outside the workspace" in page.text
    token = csrf_from(page.text)
    assert client.post("/oia/macip-release/approve", data={"csrf_token": token}).status_code == 400
    assert client.post("/oia/macip-release/release", data={"csrf_token": token}).status_code == 400
    assert client.get("/oia/macip-release/release.zip").status_code == 400
    assert not (request_dir(web_workspace) / "approval.json").exists()
    assert [p.name for p in elsewhere.iterdir()] == ["release.json"]


def test_pages_show_files_changed_outside_the_app_at_once(officer, web_workspace):
    # The document view keeps its renderings for the next visitor; a file edited by hand (or by
    # the CLI) must show on the next visit, never an answer kept from before.
    path = original(web_workspace)
    first = officer.get(DOC).text
    assert "Hand-marked passage" not in first
    source = path.read_text(encoding="utf-8")
    marked = source.replace(
        "## Purpose\n", '## Purpose\n\n[Hand-marked passage for a test.]{.withhold ground="9(2)(a)"}\n', 1
    )
    assert marked != source
    path.write_text(marked, encoding="utf-8")
    second = officer.get(DOC).text
    assert marking.version(marked) in second
    assert len(re.findall(r'data-mark="\d+"', second)) > len(re.findall(r'data-mark="\d+"', first))
    released = second[second.index('aria-label="The document as released"') : second.index('id="preview-review"')]
    assert "Hand-marked passage" not in released
    # The manifest too: a document's decision changed by hand reaches the check.
    manifest = request_dir(web_workspace) / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("decision: released_in_part", "decision: released", 1), encoding="utf-8")
    assert "finding about other documents" not in second
    assert "No violations in this document</span> 1 finding about other documents" in officer.get(DOC).text
