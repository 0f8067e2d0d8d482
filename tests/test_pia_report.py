"""PIA reports: golden Markdown and HTML, a DOCX read back with python-docx, escaping."""

from __future__ import annotations

import io
import os
import re
from datetime import date
from pathlib import Path

import docx
import pytest

from macip_gov.pia.check import validate_pia
from macip_gov.pia.report import matrix_html, matrix_markdown, render_path, render_report
from macip_gov.pia.store import load_pia, parse_pia

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
GOLDEN = ROOT / "tests" / "golden" / "pia"
TODAY = date(2026, 11, 25)
# Set MACIP_UPDATE_GOLDEN=1 to rewrite the expected files (commit them saying so).
UPDATE = os.environ.get("MACIP_UPDATE_GOLDEN") == "1"


def _render(name: str, fmt: str, engine) -> bytes:
    pia = load_pia(DATA / f"{name}.yaml")
    return render_report(pia, validate_pia(pia, engine, today=TODAY), fmt)


@pytest.mark.parametrize("name", ["passing_pia_minimal", "passing_pia_signed"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_render(name, fmt, engine):
    out = _render(name, fmt, engine).decode("utf-8")
    expected = GOLDEN / f"{name.removeprefix('passing_pia_')}.{fmt}"
    if UPDATE:
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")


def test_unsigned_report_is_draft_and_signed_is_not(engine):
    assert _render("passing_pia_minimal", "md", engine).startswith(b"**DRAFT**\n\n# Test programme PIA")
    assert _render("passing_pia_signed", "md", engine).startswith(b"# Test programme PIA")
    assert b'class="draft-banner"' in _render("passing_pia_minimal", "html", engine)
    assert b'class="draft-banner"' not in _render("passing_pia_signed", "html", engine)


def test_html_matrix_is_a_coloured_grid_in_the_risk_section(engine):
    page = _render("passing_pia_signed", "html", engine).decode("utf-8")
    risk_section = page.index("<h2>5. Risk assessment</h2>")
    grid = page.index('<div class="risk-matrices">')
    register = page.index("<h3>Risk register</h3>")
    assert risk_section < grid < register
    assert page.count('<table class="risk-matrix') == 2
    cell = re.search(
        r'<td class="rating-high" style="background:#f8ad6a"><span class="rating">high</span>'
        r'<span class="ids">(R01)?</span></td>',
        page,
    )
    assert cell is not None
    assert 'style="background:#f8ad6a"><span class="rating">high</span><span class="ids">R01</span>' in page
    assert 'style="background:#ffe28a"><span class="rating">medium</span><span class="ids">R01</span>' in page
    assert "RISKMATRIX" not in page


def test_matrix_markdown_places_risks_by_likelihood_and_consequence(engine):
    pia = load_pia(DATA / "passing_pia_minimal.yaml")
    result = validate_pia(pia, engine, today=TODAY)
    table = matrix_markdown(pia, result.rating_matrix)
    assert "| 3 Possible | low | medium | high: R01 | extreme |" in table  # inherent 3x3
    assert "| 2 Unlikely | low | medium: R01 | high | high |" in table  # residual 2x2


def test_matrix_html_escapes_every_value(engine):
    pia = load_pia(DATA / "passing_pia_minimal.yaml")
    hostile = [["<img src=x onerror=alert(1)>"] * 4 for _ in range(4)]
    grid = matrix_html(pia, hostile)
    assert "<img" not in grid
    assert "&lt;img src=x onerror=alert(1)&gt;" in grid


_HOSTILE = {
    "summary: Police refers people to Health for support.": (
        "summary: \"<script>alert('pia')</script> and {{ 7*7 }} and {% include 'x' %}\""
    ),
    "    name: Referral\n": '    name: "<b>Referral</b> {{ 7*7 }}"\n',
    "title: Unauthorised access": 'title: "[link](javascript:alert(1)) <i>access</i>"',
    "who: Office of the Privacy Commissioner": 'who: "| pipe | {{ config }}"',
}


def _hostile_pia():
    text = (DATA / "passing_pia_minimal.yaml").read_text(encoding="utf-8")
    for old, new in _HOSTILE.items():
        assert old in text
        text = text.replace(old, new)
    return parse_pia(text, "hostile.yaml")


def test_yaml_text_is_never_html_or_template_code(engine):
    pia = _hostile_pia()
    result = validate_pia(pia, engine, today=TODAY)
    page = render_report(pia, result, "html").decode("utf-8")
    assert "<script>" not in page
    assert "<b>Referral" not in page and "<i>access" not in page
    assert "&lt;script&gt;alert('pia')&lt;/script&gt;" in page or "&lt;script&gt;alert(&#x27;pia&#x27;)" in page
    assert "{{ 7*7 }}" in page
    assert "49" not in page.split("<body", 1)[1]
    assert 'href="javascript' not in page
    md = render_report(pia, result, "md").decode("utf-8")
    assert "\\<script\\>" in md
    assert "\\{\\{ 7\\*7 \\}\\}" in md
    assert "\\| pipe \\|" in md  # a pipe cannot break the consultation table
    document = docx.Document(io.BytesIO(render_report(pia, result, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "<script>alert('pia')</script> and {{ 7*7 }} and {% include 'x' %}" in text
    assert "F01: <b>Referral</b> {{ 7*7 }}" in text
    assert "| pipe | {{ config }}" in cells


def test_project_pia_renders_as_docx_with_every_section(engine, tmp_path):
    out = tmp_path / "macip-pia.docx"
    result = render_path(ROOT / "pia", out, engine, today=TODAY)
    assert result.valid
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    sections = [h for h in headings if re.match(r"^\d+\. ", h)]
    assert sections == [
        "1. Project description",
        "2. Threshold assessment",
        "3. Information flows",
        "4. Analysis against the information privacy principles",
        "5. Risk assessment",
        "6. Recommendations",
        "7. Action plan",
        "8. Consultation",
        "9. Review schedule",
        "10. Rules check",
        "11. Sign-off",
    ]
    assert headings[0] == "Privacy Impact Assessment - Multi-Agency Coordination and Intervention Programme"
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    flows = tables["Flow"]
    assert len(flows.rows) == 19  # header + 18 flows
    assert [c.text for c in flows.rows[1].cells[:3]] == [
        "F01",
        "New Zealand Police",
        "Ministry of Health and Health New Zealand - Te Whatu Ora",
    ]
    matrices = [t for t in document.tables if t.rows[0].cells[0].text == "Likelihood \\ Consequence"]
    assert len(matrices) == 2
    inherent = matrices[0]
    assert [c.text for c in inherent.rows[2].cells] == [
        "3 Possible",
        "low",
        "medium: R03",
        "high: R04, R05, R09",
        "extreme: R01",
    ]
    signoff = tables["Signed off by"]
    assert signoff.rows[1].cells[0].text == "MACIP Governance Group"
    assert document.sections[0].header.paragraphs[0].text == ""  # signed off: no DRAFT mark
    assert document.core_properties.title.startswith("Privacy Impact Assessment")


def test_render_format_from_suffix_and_explicit(engine, tmp_path):
    md = render_path(DATA / "passing_pia_minimal.yaml", tmp_path / "r.md", engine, today=TODAY)
    assert md.valid
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("**DRAFT**")
    render_path(DATA / "passing_pia_minimal.yaml", tmp_path / "report.out", engine, fmt="html", today=TODAY)
    assert (tmp_path / "report.out").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
