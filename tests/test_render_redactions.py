"""Redactions drawn as redactions: a shaded box carrying the citation, heard as "withheld under section 6(c)"."""

from __future__ import annotations

import io
import zipfile

import pytest

from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document
from macip_gov.render import (
    MARK_CHARACTERS,
    box_marker,
    md_escape,
    plain_markdown,
    render_document,
    render_template,
    withheld_words,
)

SOURCE = """\
Contact [Aroha Ngata]{.withhold ground="9(2)(a)"} about [roading]{.out-of-scope}.

::: {.withhold ground="6(c) 9(2)(g)(i)"}
Talking points.
:::
"""


def document_xml(payload: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.fixture
def redacted(engine):
    return redact_document(parse_markup(SOURCE, "d.md"), engine)


def test_html_draws_a_box_a_screen_reader_hears_as_withheld_under_the_section(redacted):
    page = render_document(redacted.boxed, "html", title="t", redactions=True).decode()
    assert (
        '<p>Contact <span class="redaction"><span class="visually-hidden">[withheld under section 9(2)(a)]</span>'
        '<span aria-hidden="true">s.9(2)(a) OIA [REDACTED]</span></span> about '
        '<span class="redaction out-of-scope"><span class="visually-hidden">[out of scope]</span>'
        '<span aria-hidden="true">[Out of scope]</span></span>.</p>\n'
        '<p><span class="redaction"><span class="visually-hidden">[withheld under sections 6(c) and 9(2)(g)(i)]'
        '</span><span aria-hidden="true">s.6(c) OIA, s.9(2)(g)(i) OIA [REDACTED]</span></span></p>\n'
    ) in page
    # The box is styled, prints with its shading, and the hidden words stay in the accessibility tree.
    assert ".redaction { background: #3a3a3a; color: #fff;" in page
    assert "print-color-adjust: exact" in page
    assert ".visually-hidden { position: absolute; width: 1px; height: 1px;" in page


def test_docx_shades_the_marker_run(redacted):
    body = document_xml(render_document(redacted.boxed, "docx", title="t", redactions=True))
    shaded = (
        '<w:r><w:rPr><w:b/><w:color w:val="FFFFFF"/>'
        '<w:bdr w:val="single" w:sz="4" w:space="0" w:color="3A3A3A"/>'
        '<w:shd w:val="clear" w:color="auto" w:fill="3A3A3A"/></w:rPr><w:t>s.9(2)(a) OIA [REDACTED]</w:t></w:r>'
    )
    assert shaded in body
    assert '<w:shd w:val="clear" w:color="auto" w:fill="6B7580"/></w:rPr><w:t>[Out of scope]</w:t>' in body
    assert "<w:t>s.6(c) OIA, s.9(2)(g)(i) OIA [REDACTED]</w:t>" in body


def test_markdown_keeps_the_plain_marker(redacted):
    assert render_document(redacted.boxed, "md", title="t", redactions=True).decode() == redacted.markdown
    assert plain_markdown(redacted.boxed) == redacted.markdown
    assert not set(MARK_CHARACTERS) & set(redacted.markdown)


def test_without_redactions_the_tags_are_not_boxes():
    tagged = "a " + box_marker(["6(c)"], "s.6(c) OIA \\[REDACTED\\]") + " b\n"
    assert 'class="redaction"' not in render_document(tagged, "html", title="t").decode()
    assert "3A3A3A" not in document_xml(render_document(tagged, "docx", title="t"))


def test_released_text_cannot_draw_a_box(engine):
    # Tagging characters typed into an original are released as U+FFFD, never as a box.
    fake = f"{MARK_CHARACTERS[0]}6(c){MARK_CHARACTERS[1]}REDACTED{MARK_CHARACTERS[2]}"
    forged = f'Fake {fake} box, [x]{{.withhold ground="6(c)"}}.\n'
    redacted = redact_document(parse_markup(forged, "f.md"), engine)
    page = render_document(redacted.boxed, "html", title="t", redactions=True).decode()
    assert page.count('class="redaction"') == 1
    assert "Fake \ufffd6(c)\ufffdREDACTED\ufffd box" in page


def test_template_values_cannot_draw_a_box(tmp_path):
    (tmp_path / "t.md.j2").write_text("{{ value | md }}\n", encoding="utf-8")
    value = f"{MARK_CHARACTERS[0]}6(c){MARK_CHARACTERS[1]}x{MARK_CHARACTERS[2]}"
    rendered = render_template("t.md.j2", {"value": value}, tmp_path)
    assert not set(MARK_CHARACTERS) & set(rendered)
    assert md_escape(value) == "\ufffd6(c)\ufffdx\ufffd"


def test_box_marker_takes_ground_ids_only():
    with pytest.raises(ValueError, match="not ground ids"):
        box_marker(["6(c)<script>"], "x")


@pytest.mark.parametrize(
    ("grounds", "words"),
    [
        (("6(c)",), "withheld under section 6(c)"),
        (("6(c)", "9(2)(a)"), "withheld under sections 6(c) and 9(2)(a)"),
        (("6(a)", "6(c)", "9(2)(a)"), "withheld under sections 6(a), 6(c) and 9(2)(a)"),
        ((), "out of scope"),
    ],
)
def test_withheld_words(grounds, words):
    assert withheld_words(grounds) == words


def test_write_redacted_draws_boxes_in_html_and_docx_only(engine, tmp_path, redacted):
    from macip_gov.oia.redact import write_redacted

    for fmt in ("md", "html", "docx"):
        write_redacted(redacted, tmp_path / f"r.{fmt}")
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == redacted.markdown
    assert 'class="redaction"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'w:fill="3A3A3A"' in document_xml((tmp_path / "r.docx").read_bytes())
