"""The workspace's OIA requests: names kept inside the requests folder, dates, status, documents and previews."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from macip_gov.errors import InvalidInputError
from macip_gov.oia.approval import approve
from macip_gov.oia.deadlines import compute_deadline
from macip_gov.oia.release import Violation, build_release
from macip_gov.oia.workspace_requests import (
    Status,
    document_original,
    document_preview,
    list_requests,
    place_findings,
    release_folder,
    request_folder,
    request_names,
    summarise_request,
    withholding_grounds,
)
from macip_gov.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 1, 20)


@pytest.fixture
def workspace(tmp_path):
    """A workspace whose OIA folder holds both example requests."""
    (tmp_path / "macip.toml").write_text('[oia]\nrequests = "oia"\n', encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "macip-release", tmp_path / "oia" / "macip-release")
    shutil.copytree(ROOT / "examples" / "pdf-original", tmp_path / "oia" / "pdf-original")
    return load_workspace(tmp_path / "macip.toml")


def test_requests_are_listed_with_dates_clock_and_documents(workspace):
    found = list_requests(workspace, today=TODAY)
    assert [r.name for r in found] == ["macip-release", "pdf-original"]
    macip = found[0]
    assert (macip.id, macip.requester, macip.received, macip.decided) == (
        "2021-187",
        "Harold",
        date(2021, 7, 12),
        date(2021, 9, 17),
    )
    assert macip.subject.startswith("the Multi-Agency Coordination")
    # The clock is the library's own: the transfer restarts it, the extension adds 25 working days.
    assert macip.clock == compute_deadline(date(2021, 7, 12), transferred=date(2021, 7, 19), extended_by=25)
    assert macip.clock is not None and macip.clock.final_due == date(2021, 9, 20)
    assert not macip.extension_after_limit
    assert macip.status is Status.DECIDED and macip.problem is None
    docs = {d.key: d for d in macip.documents}
    assert [d.number for d in macip.documents] == [1, 2, 3, 4, 5, 6]
    assert (docs["macip-update"].kind, docs["macip-update"].withheld, docs["macip-update"].out_of_scope) == (
        "markdown",
        13,
        0,
    )
    assert docs["macip-update"].markable
    assert (docs["macip-update-talking-points"].kind, docs["macip-update-talking-points"].marks) == ("none", 0)
    assert not docs["macip-update-talking-points"].markable
    assert macip.marks == sum(d.marks for d in macip.documents) == 30
    pdf = found[1]
    assert [(d.key, d.kind, d.withheld, d.markable) for d in pdf.documents] == [
        ("macip-update", "pdf", 5, False),
        ("macip-update-talking-points", "none", None, False),
    ]


def test_status_follows_the_decision_date_the_release_and_its_approval(workspace, engine):
    assert summarise_request(workspace, "macip-release", today=date(2021, 9, 16)).status is Status.OPEN
    assert summarise_request(workspace, "macip-release", today=date(2021, 9, 17)).status is Status.DECIDED
    folder = request_folder(workspace, "pdf-original")
    assert build_release(folder / "manifest.yaml", release_folder(folder), engine).written
    assert summarise_request(workspace, "pdf-original", today=TODAY).status is Status.RELEASED
    approve(folder, release_folder(folder), request="2021-187-pdf", by="mere", at=datetime.now(UTC))
    assert summarise_request(workspace, "pdf-original", today=TODAY).status is Status.APPROVED
    (release_folder(folder) / "letter.md").write_text("edited\n", encoding="utf-8")
    assert summarise_request(workspace, "pdf-original", today=TODAY).status is Status.RELEASED


def test_an_extension_notified_after_the_limit_is_flagged(workspace):
    manifest = workspace.oia_requests / "macip-release" / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["request"]["extension"]["notified"] = date(2021, 8, 20)
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    summary = summarise_request(workspace, "macip-release", today=TODAY)
    assert summary.clock is not None and summary.clock.due == date(2021, 8, 16)
    assert summary.extension_after_limit


def test_a_bad_manifest_or_original_is_shown_not_raised(workspace):
    bad = workspace.oia_requests / "broken"
    bad.mkdir()
    (bad / "manifest.yaml").write_text("request: {id: x}\n", encoding="utf-8")
    original = workspace.oia_requests / "macip-release" / "originals" / "02-macip-update.md"
    original.write_text('[unclosed]{.withhold ground="6(c)"\n', encoding="utf-8")
    found = {r.name: r for r in list_requests(workspace, today=TODAY)}
    assert found["broken"].problem is not None and "manifest.yaml" in found["broken"].problem
    assert found["broken"].status is None and found["broken"].documents == []
    update = next(d for d in found["macip-release"].documents if d.key == "macip-update")
    assert update.problem is not None and update.withheld is None and not update.markable
    (workspace.oia_requests / "macip-release" / "originals" / "01-rcoi-macip-briefing.md").unlink()
    summary = summarise_request(workspace, "macip-release", today=TODAY)
    rcoi = next(d for d in summary.documents if d.key == "rcoi-macip")
    assert rcoi.problem == "originals/01-rcoi-macip-briefing.md: file not found"


@pytest.mark.parametrize(
    "name",
    [
        "..",
        ".",
        "",
        "../macip-release",
        "macip-release/..",
        "%2e%2e",
        "a/b",
        "/etc",
        "..\\x",
        "oia",
        ".hidden",
        "x" * 200,
    ],
)
def test_request_names_are_plain_names_inside_the_folder(workspace, name):
    with pytest.raises(InvalidInputError, match="no OIA request"):
        request_folder(workspace, name)


def test_a_request_folder_linked_from_elsewhere_is_refused(workspace, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "examples" / "pdf-original", outside)
    os.symlink(outside, workspace.oia_requests / "linked")
    with pytest.raises(InvalidInputError, match="no OIA request 'linked'"):
        request_folder(workspace, "linked")
    assert request_names(workspace) == ["macip-release", "pdf-original"]


def test_listing_skips_what_is_not_a_request(workspace):
    (workspace.oia_requests / "notes").mkdir()
    (workspace.oia_requests / "readme.md").write_text("x", encoding="utf-8")
    (workspace.oia_requests / ".hidden").mkdir()
    (workspace.oia_requests / ".hidden" / "manifest.yaml").write_text("x", encoding="utf-8")
    assert request_names(workspace) == ["macip-release", "pdf-original"]


def test_no_requests_folder_is_invalid_input(tmp_path):
    (tmp_path / "macip.toml").write_text('[oia]\nrequests = "missing"\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="folder not found"):
        list_requests(load_workspace(tmp_path / "macip.toml"), today=TODAY)


def test_document_original_located_inside_the_request(workspace, tmp_path):
    found = document_original(workspace, "macip-release", "macip-update")
    assert found.path == (workspace.oia_requests / "macip-release" / "originals" / "02-macip-update.md").resolve()
    assert (found.kind, found.index, found.document.key) == ("markdown", 1, "macip-update")
    assert document_original(workspace, "pdf-original", "macip-update").kind == "pdf"
    for key in ("../manifest", "missing", "MACIP-UPDATE", ""):
        with pytest.raises(InvalidInputError, match="has no document"):
            document_original(workspace, "macip-release", key)
    # An original that points outside the request's folder is refused, never read.
    manifest = workspace.oia_requests / "macip-release" / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["documents"][1]["path"] = "../../macip.toml"
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="is outside the request's folder"):
        document_original(workspace, "macip-release", "macip-update")


def test_preview_is_the_redaction_and_the_review_copy(engine):
    source = (ROOT / "examples" / "macip-release" / "originals" / "02-macip-update.md").read_text(encoding="utf-8")
    preview = document_preview(source, "02-macip-update.md", engine, heading_offset=2)
    assert (preview.withheld, preview.out_of_scope, preview.refusals) == (13, 0, [])
    assert "(Invented" not in preview.released_html and "Harbourside" not in preview.released_html
    assert preview.released_html.count('class="redaction"') >= 13
    assert "Harbourside" in preview.review_html and 'class="withheld"' in preview.review_html
    assert "<h1" not in preview.released_html + preview.review_html
    assert preview.released_html.startswith("<h3>Multi-Agency Coordination")
    assert "<script" not in preview.review_html and "style=" not in preview.review_html


def test_preview_of_a_refused_ground_releases_nothing(engine):
    preview = document_preview('Secret [text]{.withhold ground="18(d)"} here.\n', "d.md", engine)
    assert preview.released_html == "" and preview.refusals
    assert "text" in preview.review_html


def test_withholding_grounds_come_from_the_policy(engine):
    grounds = {g.id: g for g in withholding_grounds(engine)}
    assert grounds["9(2)(a)"].public_interest_test and not grounds["6(c)"].public_interest_test
    assert "privacy" in grounds["9(2)(a)"].description
    # Refusal grounds (s 10, s 18) cannot withhold a passage, so they are not offered.
    assert "18(d)" not in grounds and "10" not in grounds
    assert list(grounds)[:2] == ["6(a)", "6(b)"]


def test_findings_placed_beside_the_marks_they_concern():
    def finding(line, citation=None):
        return Violation(id="r", msg="m", details={"citation": citation} if citation else {}, line=line)

    marks = [(3, ("6(c)",)), (7, ("9(2)(a)",)), (12, ("9(2)(a)", "6(c)")), (15, ())]
    found = [finding(7), finding(3), finding(None), finding(9), finding(None, "9(2)(a)"), finding(None, "18(d)")]
    placed, by_mark = place_findings(found, marks)
    assert [p.marks for p in placed] == [[1], [0], [], [], [1, 2], []]
    assert [p.finding for p in placed] == found
    assert by_mark == {1: [found[0], found[4]], 0: [found[1]], 2: [found[4]]}
