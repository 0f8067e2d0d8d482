"""Generated Terms of Reference: golden renders, Word structure, DRAFT marking, injection."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from conftest import write_tree

from macip_gov.errors import ExitCode, InvalidInputError
from macip_gov.governance import generate_tor, load_spec
from macip_gov.governance.report import refusal_text
from macip_gov.render import markdown_to_html

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "tor"
EXAMPLES = ROOT / "examples" / "governance"
GG = EXAMPLES / "macip-governance-group.yaml"
WG = EXAMPLES / "macip-working-group.yaml"
INJECTION = DATA / "passing_tor_injection.yaml"
QUORUM = DATA / "failing_tor_quorum_too_large.yaml"

# Set MACIP_UPDATE_GOLDEN=1 to rewrite the expected files; commit them saying so.
UPDATE = bool(os.environ.get("MACIP_UPDATE_GOLDEN"))

HEADINGS = [
    "Version history",
    "1. Purpose",
    "2. Objectives",
    "3. Scope",
    "3.1 In scope",
    "3.2 Out of scope",
    "4. Authority and reporting",
    "4.1 Authority",
    "4.2 Reporting line",
    "5. Membership",
    "5.1 Advisers",
    "6. Chair",
    "7. Quorum and decision-making",
    "8. Meetings",
    "9. Secretariat",
    "10. Information management and confidentiality",
    "10.1 Privacy Impact Assessment",
    "10.2 Information sharing",
    "10.3 Official information",
    "10.4 Confidentiality",
    "10.5 Records",
    "11. Conflicts of interest",
    "12. Reporting outcomes to agencies",
    "13. Review",
    "Approval",
]


@pytest.fixture(scope="module")
def pia_dir(tmp_path_factory) -> Path:
    return write_tree(tmp_path_factory.mktemp("pia"), {"macip.yaml": "id: MACIP-PIA\n"})


def _generate(engine, pia_dir, spec, out, **kwargs):
    return generate_tor(spec, out, engine=engine, pia_dir=pia_dir, **kwargs)


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize(
    ("spec", "draft", "golden"),
    [
        (GG, False, "macip-governance-group"),
        (WG, False, "macip-working-group"),
        (QUORUM, True, "failing_tor_quorum_too_large.draft"),
    ],
    ids=["governance-group", "working-group", "draft-with-violation"],
)
def test_golden_render(engine, pia_dir, tmp_path, spec, draft, golden, fmt):
    result = _generate(engine, pia_dir, spec, tmp_path / f"out.{fmt}", draft=draft)
    produced = Path(result.path).read_text(encoding="utf-8")
    expected = GOLDEN / f"{golden}.{fmt}"
    if UPDATE:
        expected.write_text(produced, encoding="utf-8")
    assert produced == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("spec", [GG, WG], ids=["governance-group", "working-group"])
def test_docx_has_numbered_sections_and_the_membership_table(engine, pia_dir, tmp_path, spec):
    result = _generate(engine, pia_dir, spec, tmp_path / "tor.docx")
    assert (result.format, result.draft, result.violations) == ("docx", False, [])
    document = docx.Document(result.path)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    loaded = load_spec(spec).spec
    assert headings == [loaded.name, *HEADINGS]
    assert document.core_properties.title == f"{loaded.name}: Terms of Reference"

    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    membership = tables[("Role", "Agency", "Voting", "Deputy")]
    rows = [[c.text for c in row.cells] for row in membership.rows[1:]]
    agencies = {
        "police": "New Zealand Police",
        "health": "Ministry of Health",
        "msd": "Ministry of Social Development",
        "education": "Ministry of Education",
        "oranga_tamariki": "Oranga Tamariki—Ministry for Children",
        "nzsis": "New Zealand Security Intelligence Service",
    }
    assert rows == [
        [m.role, agencies[m.agency], "Yes" if m.voting else "No", m.deputy or "None named"] for m in loaded.members
    ]
    assert ("Version", "Date", "Author", "Changes") in tables
    approval = tables[("Approved by", "Signature", "Date")]
    assert [c.text for c in approval.rows[1].cells] == [
        loaded.approval.approver,
        "",
        "24 June 2021" if spec == GG else "8 July 2021",
    ]
    # Not a draft: no page header carries a mark.
    assert all(p.text == "" for s in document.sections for p in s.header.paragraphs)


def test_draft_marks_every_page_in_every_format(engine, pia_dir, tmp_path):
    md = _generate(engine, pia_dir, QUORUM, tmp_path / "tor.md", draft=True)
    assert Path(md.path).read_text(encoding="utf-8").startswith("**DRAFT**\n\n# Privacy Advisory Group\n")
    html = Path(_generate(engine, pia_dir, QUORUM, tmp_path / "tor.html", draft=True).path).read_text()
    assert '<div class="draft-banner">DRAFT</div>' in html
    assert '<div class="draft-mark" aria-hidden="true">DRAFT</div>' in html
    word = docx.Document(_generate(engine, pia_dir, QUORUM, tmp_path / "tor.docx", draft=True).path)
    assert word.sections and [s.header.paragraphs[0].text for s in word.sections] == ["DRAFT"] * len(word.sections)
    assert "Outstanding issues" in [p.text for p in word.paragraphs]


def test_a_passing_spec_may_also_be_drafted(engine, pia_dir, tmp_path):
    result = _generate(engine, pia_dir, GG, tmp_path / "tor.md", draft=True)
    text = Path(result.path).read_text(encoding="utf-8")
    assert text.startswith("**DRAFT**\n")
    assert "Outstanding issues" not in text
    assert (result.draft, result.violations) == (True, [])


def test_a_spec_with_violations_is_refused_and_nothing_is_overwritten(engine, pia_dir, tmp_path):
    out = tmp_path / "tor.docx"
    out.write_bytes(b"the approved version")
    result = _generate(engine, pia_dir, QUORUM, out)
    assert (result.written, result.exit_code) == (False, ExitCode.DENIED)
    assert (result.path, result.spec) == (str(out), str(QUORUM))
    assert refusal_text(result) == (
        f"{QUORUM}: refused, 1 violation (governance.tor.quorum_too_large: the quorum of 3 is more "
        "than the 2 voting members); correct the spec or generate a --draft"
    )
    assert [v.id for v in result.violations] == ["governance.tor.quorum_too_large"]
    assert out.read_bytes() == b"the approved version"
    assert [p.name for p in tmp_path.iterdir()] == ["tor.docx"]


def test_an_unknown_format_is_invalid_input_before_any_work(engine, pia_dir, tmp_path):
    with pytest.raises(InvalidInputError, match="cannot tell the output format"):
        _generate(engine, pia_dir, GG, tmp_path / "tor.txt")
    assert list(tmp_path.iterdir()) == []


def test_format_option_overrides_the_suffix(engine, pia_dir, tmp_path):
    result = _generate(engine, pia_dir, GG, tmp_path / "tor.bin", fmt="docx")
    assert result.format == "docx"
    assert docx.Document(result.path).paragraphs[0].text == "MACIP Governance Group"


def test_a_draft_names_an_unknown_agency_by_its_id(engine, pia_dir, tmp_path):
    result = _generate(engine, pia_dir, DATA / "failing_tor_unknown_agency.yaml", tmp_path / "t.md", draft=True)
    text = Path(result.path).read_text(encoding="utf-8")
    assert "| Privacy Adviser | acme\\_consulting | Yes | Senior Privacy Adviser |" in text


# -- spec text is data ---------------------------------------------------------------

HOSTILE = [
    "Group {{ 7*7 }} <script>alert('name')</script>",
    "Purpose {{ 7*7 }} and {% if true %}a statement{% endif %} <script>alert('purpose')</script>",
    "[a link](javascript:alert(1)) <img src=x onerror=alert(1)> **not bold** # not a heading",
    "{{ ''.__class__.__mro__ }}",
    "{% raw %}raw{% endraw %}",
    "Chair {{ 7*7 }} <script>alert('role')</script> (privacy officer)",
]


def _html_text(html: str) -> str:
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def _assert_not_injected(html: str) -> None:
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html and "<i>" not in html
    assert 'href="javascript' not in html
    assert html.count("<style>") == 1  # the page's own stylesheet only
    text = _html_text(html)
    for literal in HOSTILE:
        assert literal in text
    assert "Group 49" not in text and "Purpose 49" not in text


def test_injection_markdown_shows_spec_text_literally(engine, pia_dir, tmp_path):
    md = Path(_generate(engine, pia_dir, INJECTION, tmp_path / "t.md").path).read_text(encoding="utf-8")
    assert "49" not in md
    assert md.startswith("# Group \\{\\{ 7\\*7 \\}\\} \\<script\\>alert('name')\\</script\\>\n")
    # What a Markdown viewer shows is the text as written.
    _assert_not_injected(markdown_to_html(md, title="t"))


def test_injection_html_shows_spec_text_literally(engine, pia_dir, tmp_path):
    html = Path(_generate(engine, pia_dir, INJECTION, tmp_path / "t.html").path).read_text(encoding="utf-8")
    _assert_not_injected(html)
    assert (
        "<title>Group {{ 7*7 }} &lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;: "
        "Terms of Reference</title>" in html
    )


def test_injection_docx_shows_spec_text_literally(engine, pia_dir, tmp_path):
    document = docx.Document(_generate(engine, pia_dir, INJECTION, tmp_path / "t.docx").path)
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    everything = "\n".join(texts)
    for literal in HOSTILE:
        assert literal in everything
    assert texts[0] == "Group {{ 7*7 }} <script>alert('name')</script>"
    assert "49" not in everything
    assert document.core_properties.title == "Group {{ 7*7 }} <script>alert('name')</script>: Terms of Reference"
