"""The PIA and Terms of Reference pages: viewing, revising, signing off and generating, through the real app."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from macip_gov.pia.check import validate_path
from macip_gov.pia.diff import diff_versions
from macip_gov.pia.store import list_revisions, load_pia

from .conftest import WEB_USERS, csrf_from

ROLES = tuple(WEB_USERS)


def _pia_dir(workspace) -> Path:
    return Path(workspace.root) / "pia"


def _revisions(workspace) -> list:
    return list_revisions(_pia_dir(workspace) / "history")


def _revise_form(client) -> tuple[str, str, str]:
    """The revise form's token, the version it was opened at, and the PIA text it shows."""
    page = client.get("/pia/revise")
    assert page.status_code == 200, page.text
    opened = re.search(r'name="opened_at" value="([^"]+)"', page.text)[1]
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S)[1]
    return csrf_from(page.text), opened, html.unescape(text)


def _post_revise(client, *, message, text="", opened=None, token=None, files=None):
    if opened is None or token is None:
        token, opened, _ = _revise_form(client)
    data = {"csrf_token": token, "opened_at": opened, "message": message, "text": text}
    return client.post("/pia/revise", data=data, files=files or {"upload": ("", b"", "application/octet-stream")})


def _retitled(text: str, title: str) -> str:
    new, count = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    assert count == 1
    return new


def _one_line_error(page_text: str) -> str:
    found = re.search(r'<div class="error-summary".*?<li>(.*?)</li>', page_text, re.S)
    assert found, page_text
    return html.unescape(found[1]).strip()


# --------------------------------------------------------------------------- /pia


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_pia_summary_check_heat_map_and_sign_off_state(client, signed_in, role, web_workspace):
    signed_in(client, role)
    page = client.get("/pia")
    assert page.status_code == 200, page.text
    pia = load_pia(_pia_dir(web_workspace) / "macip.yaml")
    assert f"<h1>{html.escape(pia.title)}</h1>" in page.text
    assert page.text.count("<h1>") == 1
    assert 'href="/pia/heatmap.css"' in page.text
    assert 'id="heatmap-inherent"' in page.text and 'id="heatmap-residual"' in page.text
    assert "Check against the PIA rules" in page.text
    # The sign-off control is there only for those who may sign off.
    assert ('action="/pia/sign-off"' in page.text) == (role in ("approver", "admin"))
    assert ('href="/pia/revise"' in page.text) == (role in ("secretariat", "admin"))


def test_the_check_is_the_same_as_pia_validate(client, signed_in, web_workspace, engine):
    signed_in(client, "privacy_officer")
    page = client.get("/pia").text
    result = validate_path(_pia_dir(web_workspace), engine, today=date.today())
    for v in [*result.violations, *result.warnings]:
        assert f"<code>{v.id}</code>" in page
        assert v.msg in html.unescape(page)
    if result.valid:
        assert '<span class="tag tag--ok">Valid</span>' in page
    else:
        assert f"{len(result.violations)} violation" in page


def test_heat_map_cells_state_level_and_count_in_text(client, signed_in, web_workspace):
    signed_in(client, "oia_officer")
    page = client.get("/pia").text
    inherent = page[page.index('id="heatmap-inherent"') : page.index('id="heatmap-residual"')]
    cells = re.findall(r'<td class="heat-cell (heat-[a-z]+)">\s*<span class="heat-level">(\w+)</span>\s*'
                       r'<span class="heat-count">(\d+) risks?</span>', inherent)  # fmt: skip
    assert len(cells) == 16
    assert all(css == f"heat-{level}" for css, level, _ in cells)
    pia = load_pia(_pia_dir(web_workspace) / "macip.yaml")
    assert sum(int(n) for _, _, n in cells) == len([r for r in pia.risks if r.active])
    # R01 is likelihood 3, consequence 4 in the example: rated extreme by the rules' matrix.
    assert re.search(r'heat-extreme">\s*<span class="heat-level">extreme</span>\s*<span class="heat-count">1 risk'
                     r"</span>\s*<ul><li><strong>R01</strong>", inherent)  # fmt: skip


def test_the_heat_map_stylesheet_is_served_as_css(client, signed_in):
    signed_in(client, "approver")
    response = client.get("/pia/heatmap.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ".heat-extreme {" in response.text


def test_pia_pages_need_a_sign_in(client):
    for path in ("/pia", "/pia/history", "/pia/diff", "/pia/revise", "/tor"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_a_malformed_working_copy_is_one_line_on_the_page_with_a_way_to_revise(client, signed_in, web_workspace):
    working = _pia_dir(web_workspace) / "macip.yaml"
    working.write_text("id: [unclosed\n", encoding="utf-8")
    signed_in(client, "secretariat")
    page = client.get("/pia")
    assert page.status_code == 400
    assert "invalid YAML" in page.text and "Traceback" not in page.text
    assert 'href="/pia/revise"' in page.text


@pytest.mark.parametrize(("fmt", "media", "magic"), [
    ("md", "text/markdown", b""),
    ("docx", "application/vnd.openxmlformats", b"PK"),
    ("pdf", "application/pdf", b"%PDF-"),
])  # fmt: skip
def test_the_pia_report_downloads_as_pia_render_writes_it(client, signed_in, web_workspace, engine, fmt, media, magic):
    from macip_gov.pia.report import render_path

    signed_in(client, "oia_officer")
    assert f'href="/pia/report.{fmt}"' in client.get("/pia").text
    response = client.get(f"/pia/report.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == f'attachment; filename="macip-pia-report.{fmt}"'
    assert response.content.startswith(magic)
    if fmt == "md":  # the same document the CLI writes
        out = Path(web_workspace.root) / "cli-report.md"
        render_path(_pia_dir(web_workspace), out, engine, today=date.today())
        assert response.content == out.read_bytes()


def test_a_report_format_not_offered_is_refused(client, signed_in):
    signed_in(client, "approver")
    response = client.get("/pia/report.exe")
    assert response.status_code == 400
    assert "is not offered" in response.text


# --------------------------------------------------------------------------- history and diff


def test_history_lists_every_revision_with_who_when_and_why(client, signed_in, web_workspace):
    signed_in(client, "oia_officer")
    page = client.get("/pia/history")
    assert page.status_code == 200
    for info in _revisions(web_workspace):
        row = html.unescape(re.search(rf'<tr id="r{info.revision}">(.*?)</tr>', page.text, re.S)[1])
        assert f"<td>{info.author}</td>" in row
        assert info.message in row
        assert info.created_at.strftime("%Y-%m-%d %H:%M") in row
    assert "Chain verified" in page.text


def test_diff_shows_the_librarys_field_changes(client, signed_in, web_workspace):
    signed_in(client, "privacy_officer")
    page = client.get("/pia/diff", params={"from": "1", "to": "2"})
    assert page.status_code == 200
    expected = diff_versions(_pia_dir(web_workspace), "1", "2")
    assert expected.changes, "the example's first two revisions differ"
    rows = re.findall(r"<tr>\s*<th scope=\"row\">", page.text)
    assert len(rows) == sum(max(1, len(c.fields)) for c in expected.changes)
    text = html.unescape(page.text)
    for change in expected.changes:
        assert change.id in text
        for f in change.fields:
            assert f"<code>{f.path}</code>" in text


@pytest.mark.parametrize("bad", ["../../etc/passwd", "r1;drop", "HEAD~1"])
def test_diff_refuses_a_version_it_does_not_know_with_one_line(client, signed_in, bad):
    signed_in(client, "approver")
    page = client.get("/pia/diff", params={"from": bad, "to": "latest"})
    assert page.status_code == 400
    assert "is not a version" in page.text


def test_diff_of_a_revision_not_stored_is_a_400(client, signed_in):
    signed_in(client, "approver")
    page = client.get("/pia/diff", params={"from": "99", "to": "latest"})
    assert page.status_code == 400
    assert "no revision 99" in page.text


# --------------------------------------------------------------------------- revise


def test_revise_stores_a_revision_by_the_signed_in_user_shown_in_history_and_diff(client, signed_in, web_workspace):
    name = signed_in(client, "secretariat")
    before = _revisions(web_workspace)
    token, opened, text = _revise_form(client)
    response = _post_revise(
        client,
        message="Retitle for the 2027 review",
        text=_retitled(text, "MACIP PIA 2027"),
        opened=opened,
        token=token,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/pia/history"
    after = _revisions(web_workspace)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (new.author, new.message) == (name, "Retitle for the 2027 review")
    history = client.get("/pia/history")
    assert f"Stored revision {new.revision} by {name}" in history.text
    row = re.search(rf'<tr id="r{new.revision}">(.*?)</tr>', history.text, re.S)[1]
    assert f"<td>{name}</td>" in row and "Retitle for the 2027 review" in row
    diff = client.get("/pia/diff", params={"from": str(new.revision - 1), "to": str(new.revision)})
    assert "<code>title</code>" in diff.text and "MACIP PIA 2027" in diff.text
    assert load_pia(_pia_dir(web_workspace)).title == "MACIP PIA 2027"


def test_revise_from_an_uploaded_file(client, signed_in, web_workspace):
    signed_in(client, "admin")
    token, opened, text = _revise_form(client)
    upload = ("new-pia.yaml", _retitled(text, "Uploaded title").encode("utf-8"), "application/x-yaml")
    response = _post_revise(client, message="From a file", opened=opened, token=token, files={"upload": upload})
    assert response.status_code == 303, response.text
    assert _revisions(web_workspace)[-1].author == "admin"
    assert load_pia(_pia_dir(web_workspace)).title == "Uploaded title"


def test_a_stale_revise_is_refused_with_409_and_nothing_lost(client, new_client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    token, opened, text = _revise_form(client)
    other = new_client()
    signed_in(other, "admin")
    assert _post_revise(other, message="Someone else first", text=_retitled(text, "Theirs")).status_code == 303
    stored = _revisions(web_workspace)
    working_before = (_pia_dir(web_workspace) / "macip.yaml").read_bytes()
    mine = _retitled(text, "Mine, typed carefully")
    response = _post_revise(client, message="Mine", text=mine, opened=opened, token=token)
    assert response.status_code == 409
    assert "changed since you opened it" in _one_line_error(response.text)
    # Nothing stored, nothing overwritten, and the text typed is given back.
    assert _revisions(web_workspace) == stored
    assert (_pia_dir(web_workspace) / "macip.yaml").read_bytes() == working_before
    assert "title: Mine, typed carefully" in html.unescape(response.text)
    assert f'value="{opened}"' in response.text  # still the old base: a resend is refused again
    again = _post_revise(client, message="Mine", text=mine, opened=opened, token=token)
    assert again.status_code == 409


def test_the_revise_form_says_when_the_working_file_holds_changes_not_stored(client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    assert 'id="unstored"' not in client.get("/pia/revise").text
    working = _pia_dir(web_workspace) / "macip.yaml"
    working.write_text(_retitled(working.read_text(encoding="utf-8"), "Edited with the CLI"), encoding="utf-8")
    page = client.get("/pia/revise").text
    assert 'id="unstored"' in page and "edited since revision" in page
    assert "title: Edited with the CLI" in html.unescape(page)


def test_a_working_file_edited_after_the_page_opened_is_not_overwritten(client, signed_in, web_workspace):
    # Edited with an editor or the CLI, not stored: the revision number has not moved, the file has.
    signed_in(client, "secretariat")
    token, opened, text = _revise_form(client)
    working = _pia_dir(web_workspace) / "macip.yaml"
    working.write_text(_retitled(working.read_text(encoding="utf-8"), "Edited in an editor"), encoding="utf-8")
    edited = working.read_bytes()
    stored = _revisions(web_workspace)
    response = _post_revise(client, message="Mine", text=_retitled(text, "From the page"), opened=opened, token=token)
    assert response.status_code == 409
    assert "working file changed since you opened it" in _one_line_error(response.text)
    assert working.read_bytes() == edited
    assert _revisions(web_workspace) == stored


def test_two_revises_sent_at_once_store_one_and_refuse_the_other(client, new_client, signed_in, web_workspace):
    from concurrent.futures import ThreadPoolExecutor

    other = new_client()
    signed_in(client, "secretariat")
    signed_in(other, "admin")
    forms = [(c, *_revise_form(c)) for c in (client, other)]
    stored = _revisions(web_workspace)

    def send(index: int) -> int:
        c, token, opened, text = forms[index]
        title = f"Sent at once {index}"
        return _post_revise(c, message=title, text=_retitled(text, title), opened=opened, token=token).status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(send, [0, 1]))
    assert codes == [303, 409]
    after = _revisions(web_workspace)
    assert len(after) == len(stored) + 1
    assert load_pia(_pia_dir(web_workspace)).title == after[-1].message


def test_text_that_drops_a_sign_off_is_refused_and_the_working_file_put_back(client, signed_in, web_workspace):
    # The store itself refuses it, after the working file was replaced: it must be restored byte for byte.
    signed_in(client, "secretariat")
    stored = _revisions(web_workspace)
    working = (_pia_dir(web_workspace) / "macip.yaml").read_bytes()
    token, opened, text = _revise_form(client)
    unsigned = text[: text.index("\nsignoffs:\n")] + "\nsignoffs: []\n"
    response = _post_revise(client, message="Drop the sign-offs", text=unsigned, opened=opened, token=token)
    assert response.status_code == 400
    assert "signoffs: the working copy's sign-offs differ" in _one_line_error(response.text)
    assert _revisions(web_workspace) == stored
    assert (_pia_dir(web_workspace) / "macip.yaml").read_bytes() == working


def test_text_based_on_an_old_revision_is_refused_as_stale(client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    token, opened, text = _revise_form(client)
    old = re.sub(r"^based_on_revision: \d+", "based_on_revision: 1", text, flags=re.M)
    response = _post_revise(client, message="Old base", text=old, opened=opened, token=token)
    assert response.status_code == 409
    assert "based_on_revision" in _one_line_error(response.text)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id: [unclosed\n", "bad.yaml:2: invalid YAML"),
        (b"id: A\nid: B\n", "bad.yaml:2: "),
        (b"- just\n- a list\n", "bad.yaml:1: a PIA must be a mapping"),
        (b"\xff\xfe not utf-8", "bad.yaml: not UTF-8 text"),
        (b"schema_version: 1\nid: X-PIA\n", "bad.yaml"),
    ],
)
def test_a_malformed_upload_is_one_line_and_nothing_is_stored(client, signed_in, web_workspace, content, expected):
    signed_in(client, "secretariat")
    stored = _revisions(web_workspace)
    working = (_pia_dir(web_workspace) / "macip.yaml").read_bytes()
    token, opened, _ = _revise_form(client)
    response = _post_revise(
        client, message="Bad", opened=opened, token=token, files={"upload": ("bad.yaml", content, "x")}
    )
    assert response.status_code == 400
    message = _one_line_error(response.text)
    assert message.startswith(expected)
    assert "\n" not in message and "Traceback" not in response.text
    assert _revisions(web_workspace) == stored
    assert (_pia_dir(web_workspace) / "macip.yaml").read_bytes() == working


def test_an_upload_over_the_limit_or_of_another_kind_is_refused(client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    stored = _revisions(web_workspace)
    token, opened, _ = _revise_form(client)
    big = b"# " + b"x" * (3 * 1024 * 1024) + b"\n"
    response = _post_revise(client, message="Big", opened=opened, token=token, files={"upload": ("big.yaml", big, "x")})
    assert response.status_code == 400
    assert "larger than" in _one_line_error(response.text)
    response = _post_revise(client, message="Exe", opened=opened, token=token, files={"upload": ("pia.exe", b"x", "x")})
    assert response.status_code == 400
    assert "expected a file ending" in _one_line_error(response.text)
    assert _revisions(web_workspace) == stored


def test_a_revision_needs_a_message(client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    stored = _revisions(web_workspace)
    token, opened, text = _revise_form(client)
    response = _post_revise(client, message="   ", text=_retitled(text, "No message"), opened=opened, token=token)
    assert response.status_code == 400
    assert "message" in _one_line_error(response.text)
    assert _revisions(web_workspace) == stored


@pytest.mark.parametrize("role", ["oia_officer", "privacy_officer", "approver"])
def test_only_the_secretariat_and_admin_may_revise(client, signed_in, web_workspace, role):
    signed_in(client, role)
    stored = _revisions(web_workspace)
    assert client.get("/pia/revise").status_code == 403
    token = csrf_from(client.get("/pia").text)
    response = client.post("/pia/revise", data={"csrf_token": token, "opened_at": "4:sha256:" + "0" * 64,
                                                "message": "x", "text": "x"})  # fmt: skip
    assert response.status_code == 403
    assert _revisions(web_workspace) == stored


def test_a_revision_message_is_shown_as_text_never_as_markup(client, signed_in, web_workspace):
    signed_in(client, "secretariat")
    token, opened, text = _revise_form(client)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = _post_revise(client, message=attack, text=_retitled(text, "XSS test"), opened=opened, token=token)
    assert response.status_code == 303
    for path in ("/pia/history", "/pia"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page
    history = client.get("/pia/history").text
    assert "&lt;script&gt;alert(" in history
    assert attack in html.unescape(history)


# --------------------------------------------------------------------------- sign-off


def test_an_approver_signs_off_in_their_own_name_and_role(client, signed_in, web_workspace):
    name = signed_in(client, "approver")
    latest = _revisions(web_workspace)[-1].revision
    page = client.get("/pia").text
    assert f"Sign off revision {latest}" in page
    # A "by" in the form is ignored: the sign-off is always the signed-in user's.
    response = client.post(
        "/pia/sign-off", data={"csrf_token": csrf_from(page), "revision": str(latest), "by": "Mallory", "role": "Chair"}
    )
    assert response.status_code == 303, response.text
    new = _revisions(web_workspace)[-1]
    assert (new.revision, new.author, new.message) == (latest + 1, name, f"Signed off by {name} (Approver)")
    signoff = load_pia(_pia_dir(web_workspace)).latest_signoff
    assert (signoff.by, signoff.role, signoff.revision) == (name, "Approver", latest + 1)
    history = client.get("/pia/history").text
    assert f"Signed off by {name} (Approver); recorded as revision {latest + 1}" in history
    table = re.search(r'<table id="signoffs-table">(.*?)</table>', history, re.S)[1]
    assert f'<th scope="row">{name}</th>' in table and "Mallory" not in history
    assert f"Signed off by {name} (Approver) on" in client.get("/pia").text


@pytest.mark.parametrize("role", ["oia_officer", "privacy_officer", "secretariat"])
def test_other_roles_may_not_sign_off(client, signed_in, web_workspace, role):
    signed_in(client, role)
    stored = _revisions(web_workspace)
    page = client.get("/pia").text
    assert 'action="/pia/sign-off"' not in page
    response = client.post("/pia/sign-off", data={"csrf_token": csrf_from(page), "revision": str(stored[-1].revision)})
    assert response.status_code == 403
    assert _revisions(web_workspace) == stored


def test_sign_off_of_a_revision_no_longer_the_latest_is_409(client, new_client, signed_in, web_workspace):
    signed_in(client, "approver")
    page = client.get("/pia").text
    seen = _revisions(web_workspace)[-1].revision
    other = new_client()
    signed_in(other, "secretariat")
    token, opened, text = _revise_form(other)
    assert (
        _post_revise(other, message="Late change", text=_retitled(text, "Late"), opened=opened, token=token).status_code
        == 303
    )
    stored = _revisions(web_workspace)
    response = client.post("/pia/sign-off", data={"csrf_token": csrf_from(page), "revision": str(seen)})
    assert response.status_code == 409
    assert f"revision {seen + 1} is now the latest" in response.text
    assert _revisions(web_workspace) == stored


def test_edits_not_stored_are_never_signed_off_unseen(client, signed_in, web_workspace):
    working = _pia_dir(web_workspace) / "macip.yaml"
    working.write_text(_retitled(working.read_text(encoding="utf-8"), "Edited on disk"), encoding="utf-8")
    signed_in(client, "approver")
    stored = _revisions(web_workspace)
    page = client.get("/pia").text
    assert 'action="/pia/sign-off"' not in page and "edits not stored" in page
    response = client.post("/pia/sign-off", data={"csrf_token": csrf_from(page), "revision": str(stored[-1].revision)})
    assert response.status_code == 400
    assert _revisions(web_workspace) == stored


# --------------------------------------------------------------------------- CSRF


def test_posts_without_the_form_token_are_refused(client, signed_in, web_workspace):
    signed_in(client, "admin")
    stored = _revisions(web_workspace)
    _, opened, text = _revise_form(client)
    assert client.post("/pia/revise", data={"opened_at": opened, "message": "m", "text": text}).status_code == 403
    bad = {"csrf_token": "not-the-token", "revision": str(stored[-1].revision)}
    assert client.post("/pia/sign-off", data=bad).status_code == 403
    assert client.post("/tor/generate", data={"spec": "macip-governance-group", "format": "md"}).status_code == 403
    assert _revisions(web_workspace) == stored


# --------------------------------------------------------------------------- Terms of Reference


@pytest.mark.parametrize("role", ["secretariat", "approver", "admin"])
def test_tor_page_shows_each_spec_with_its_check(client, signed_in, role):
    signed_in(client, role)
    page = client.get("/tor")
    assert page.status_code == 200
    table = re.search(r'<table id="tor-check">(.*?)</table>', page.text, re.S)[1]
    assert "MACIP Governance Group" in table and "MACIP Working Group" in table
    assert "Checked against the current PIA, MACIP-PIA" in page.text
    assert ('action="/tor/generate"' in page.text) == (role != "approver")


@pytest.mark.parametrize("role", ["oia_officer", "privacy_officer"])
def test_tor_is_not_for_other_roles(client, signed_in, role):
    signed_in(client, role)
    assert client.get("/tor").status_code == 403


@pytest.mark.parametrize(("fmt", "media", "magic"), [
    ("md", "text/markdown", b"# MACIP Governance Group"),
    ("docx", "application/vnd.openxmlformats", b"PK"),
    ("pdf", "application/pdf", b"%PDF-"),
])  # fmt: skip
def test_generate_and_download_a_tor_document(client, new_client, signed_in, web_workspace, fmt, media, magic):
    signed_in(client, "secretariat")
    token = csrf_from(client.get("/tor").text)
    response = client.post("/tor/generate", data={"csrf_token": token, "spec": "macip-governance-group", "format": fmt})
    assert response.status_code == 303, response.text
    written = Path(web_workspace.root) / ".macip" / "out" / "tor" / f"macip-governance-group.{fmt}"
    assert written.is_file()
    page = client.get("/tor").text
    assert f'href="/tor/download/macip-governance-group.{fmt}"' in page
    approver = new_client()
    signed_in(approver, "approver")
    download = approver.get(f"/tor/download/macip-governance-group.{fmt}")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(media)
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content.startswith(magic)
    assert download.content == written.read_bytes()


def test_only_the_secretariat_and_admin_generate(client, signed_in, web_workspace):
    signed_in(client, "approver")
    token = csrf_from(client.get("/tor").text)
    response = client.post(
        "/tor/generate", data={"csrf_token": token, "spec": "macip-governance-group", "format": "md"}
    )
    assert response.status_code == 403
    assert not (Path(web_workspace.root) / ".macip" / "out" / "tor").exists()


def test_a_spec_that_breaks_a_rule_is_refused_unless_a_draft(client, signed_in, web_workspace):
    spec = Path(web_workspace.root) / "tor" / "macip-governance-group.yaml"
    spec.write_text(re.sub(r"^quorum: \d+", "quorum: 1", spec.read_text(encoding="utf-8"), flags=re.M), "utf-8")
    signed_in(client, "secretariat")
    token = csrf_from(client.get("/tor").text)
    data = {"csrf_token": token, "spec": "macip-governance-group", "format": "md"}
    refused = client.post("/tor/generate", data=data)
    assert refused.status_code == 200
    assert "Not generated: MACIP Governance Group breaks" in refused.text
    out = Path(web_workspace.root) / ".macip" / "out" / "tor"
    assert not (out / "macip-governance-group.md").exists()
    draft = client.post("/tor/generate", data={**data, "draft": "1"})
    assert draft.status_code == 303
    assert (out / "macip-governance-group-draft.md").read_text(encoding="utf-8").startswith("**DRAFT**")


@pytest.mark.parametrize(
    "name", ["..%2Fmacip.toml", "..%2F..%2Fpia%2Fmacip.yaml", "macip-governance-group.yaml", "x.md", ".hidden.md"]
)
def test_downloads_come_only_from_the_output_folder(client, signed_in, web_workspace, name):
    out = Path(web_workspace.root) / ".macip" / "out" / "tor"
    out.mkdir(parents=True)
    (out.parent / "secret.md").write_text("secret", encoding="utf-8")
    signed_in(client, "admin")
    response = client.get(f"/tor/download/{name}")
    assert response.status_code in (400, 404)
    assert "secret" not in response.text and "schema_version" not in response.text


def test_a_link_in_the_output_folder_is_not_followed(client, signed_in, web_workspace):
    out = Path(web_workspace.root) / ".macip" / "out" / "tor"
    out.mkdir(parents=True)
    (out / "leak.md").symlink_to(Path(web_workspace.root) / "macip.toml")
    signed_in(client, "admin")
    assert client.get("/tor/download/leak.md").status_code == 400
    assert "leak.md" not in client.get("/tor").text


def test_an_unknown_spec_or_format_is_one_line(client, signed_in):
    signed_in(client, "secretariat")
    token = csrf_from(client.get("/tor").text)
    response = client.post("/tor/generate", data={"csrf_token": token, "spec": "../pia/macip", "format": "md"})
    assert response.status_code == 400
    assert "no Terms of Reference spec called" in response.text
    response = client.post("/tor/generate", data={"csrf_token": token, "spec": "macip-working-group", "format": "html"})
    assert response.status_code == 400
    assert "is not offered" in response.text
