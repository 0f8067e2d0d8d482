"""The shared renderer: escaping filters, sandboxed templates, HTML, DOCX and atomic writes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from conftest import write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from macip_gov.errors import InvalidInputError, TemplateError
from macip_gov.files import atomic_write
from macip_gov.render import (
    format_for,
    html_page,
    markdown_parser,
    markdown_to_docx,
    markdown_to_html,
    md_cell,
    md_escape,
    nzdate,
    render_document,
    render_template,
    safe_link,
    write_document,
)


def inline_text(markdown: str) -> str:
    """The text a reader sees in a one-paragraph document, with anything else named."""
    out = []
    for token in markdown_parser().parse(markdown):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    out.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    out.append("\n")
                else:
                    out.append(f"<{child.type}>")
        elif token.type not in ("paragraph_open", "paragraph_close"):
            out.append(f"<{token.type}>")
    return "".join(out)


def docx_parts(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}


# --------------------------------------------------------------------------- filters

MARKDOWN_CHARS = list("ab1 .)#>-+=*_`[]()<>!&;|~\\{}:\t")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(MARKDOWN_CHARS), min_size=1).map(str.strip).filter(bool))
def test_md_escape_shows_text_literally(text):
    assert inline_text(md_escape(text)) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("<b>bold</b>", "\\<b\\>bold\\</b\\>"),
        ("a | b", "a \\| b"),
        (None, ""),
        (42, "42"),
    ],
)
def test_md_escape_examples(value, expected):
    assert md_escape(value) == expected


def test_md_cell_keeps_one_cell_on_one_line():
    cell = md_cell("a | b\nc")
    assert cell == "a \\| b c"
    table = f"| h |\n|---|\n| {cell} |\n"
    html = markdown_parser().render(table)
    assert html.count("<td>") == 1
    assert "<td>a | b c</td>" in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 9, 17), "17 September 2021"),
        (datetime(2021, 9, 7, 10, 30), "7 September 2021"),
        ("2021-09-17", "17 September 2021"),
        ("2021-09-17T08:00:00Z", "17 September 2021"),
        ("not a date", "not a date"),
        (None, ""),
        ("", ""),
        (5, "5"),
    ],
)
def test_nzdate(value, expected):
    assert nzdate(value) == expected


# --------------------------------------------------------------------------- templates


def test_render_template_escapes_user_text_with_md_filter(tmp_path):
    write_tree(tmp_path, {"t.md.j2": "# {{ title | md }}\n\nDated {{ day | nzdate }}.\n"})
    out = render_template("t.md.j2", {"title": "<script>x</script> *bold*", "day": "2021-09-17"}, tmp_path)
    assert out == "# \\<script\\>x\\</script\\> \\*bold\\*\n\nDated 17 September 2021.\n"
    assert "<script>" not in markdown_to_html(out, title="t")


def test_render_template_is_sandboxed(tmp_path):
    write_tree(tmp_path, {"evil.md.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}"})
    with pytest.raises(TemplateError) as info:
        render_template("evil.md.j2", {}, tmp_path)
    assert "__class__" in info.value.message or "unsafe" in info.value.message


def test_render_template_undefined_is_an_error(tmp_path):
    write_tree(tmp_path, {"t.md.j2": "{{ missing }}"})
    with pytest.raises(TemplateError) as info:
        render_template("t.md.j2", {}, tmp_path)
    assert "missing" in info.value.message


def test_render_template_missing_and_malformed(tmp_path):
    write_tree(tmp_path, {"bad.md.j2": "line one\n{% if %}\n"})
    with pytest.raises(TemplateError) as info:
        render_template("nope.md.j2", {}, tmp_path)
    assert info.value.one_line() == f"{tmp_path / 'nope.md.j2'}: template not found"
    with pytest.raises(TemplateError) as info:
        render_template("bad.md.j2", {}, tmp_path)
    assert info.value.location == "2"


# --------------------------------------------------------------------------- HTML


def test_markdown_to_html_never_passes_raw_html():
    page = markdown_to_html(
        "<script>alert(1)</script>\n\n<!-- note -->\n\n[x](javascript:alert(1)) <img src=x onerror=y>\n",
        title="</title><script>t</script>",
    )
    assert "<script>" not in page
    assert "<!--" not in page
    assert "<img" not in page
    assert 'href="javascript' not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;t&lt;/script&gt;</title>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_to_html_renders_tables_and_draft():
    page = markdown_to_html(
        "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n", title="T", draft=True, extra_body_html="<footer>f</footer>"
    )
    assert "<td>1</td>" in page and "<s>2</s>" in page
    assert '<div class="draft-banner">DRAFT</div>' in page
    assert page.rstrip().endswith("<footer>f</footer></body>\n</html>".rstrip())


def test_html_page_escapes_title_only():
    page = html_page("<p>ok</p>\n", title="A & B")
    assert "<title>A &amp; B</title>" in page
    assert "<p>ok</p>" in page
    assert 'class="draft' not in page


# --------------------------------------------------------------------------- links

UNSAFE_TARGETS = [
    "ms-msdt:/id%20PCWDiagnostic",
    "<ms-msdt:/id PCWDiagnostic /skip force>",
    "search-ms:query=x",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "<\x01javascript:alert(1)>",
    "<\tjavascript:alert(1)>",
    "page.html",
    "#top",
    "//evil.example/x",
]


def external_rels(payload: bytes) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(payload))
    return [rel.target_ref for rel in document.part.rels.values() if rel.is_external]


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_only_http_https_and_mailto_links_are_links_in_html(target):
    page = markdown_to_html(f"Read [the guide]({target}) now.\n", title="T")
    body = page.split("<body>")[1]
    assert "<a " not in body and "href" not in body
    assert "the guide" in body


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_only_http_https_and_mailto_links_are_links_in_docx(target):
    payload = markdown_to_docx(f"Read [the guide]({target}) now.\n", title="T")
    assert external_rels(payload) == []
    assert "w:hyperlink" not in docx_parts(payload)["word/document.xml"]
    assert "the guide" in docx_parts(payload)["word/document.xml"]


def test_a_demoted_link_shows_its_text_then_its_target_as_text():
    page = markdown_to_html("Read [the guide](ms-msdt:/id%20PCWDiagnostic) and <ms-msdt:x>.\n", title="T")
    assert "<p>Read the guide (ms-msdt:/id PCWDiagnostic) and ms-msdt:x.</p>" in page


@pytest.mark.parametrize(
    "markdown",
    [
        "[r][ref]\n\n[ref]: ms-msdt:/id%20PCWDiagnostic\n",
        "<ms-msdt:/id%20PCWDiagnostic>\n",
        "<MS-MSDT:x>\n",
        "[**bold** guide](ms-msdt:x)\n",
    ],
)
def test_reference_links_and_autolinks_follow_the_same_rule(markdown):
    assert "href" not in markdown_to_html(markdown, title="T").split("<body>")[1]
    assert external_rels(markdown_to_docx(markdown, title="T")) == []


@pytest.mark.parametrize(
    "target", ["https://example.org/a?b=1", "http://example.org/", "HTTPS://Example.org/", "mailto:oia@example.govt.nz"]
)
def test_http_https_and_mailto_stay_links(target):
    page = markdown_to_html(f"[here]({target})\n", title="T")
    assert f'<a href="{target}">here</a>' in page
    assert external_rels(markdown_to_docx(f"[here]({target})\n", title="T")) == [target]
    assert external_rels(markdown_to_docx(f"<{target}>\n", title="T")) == [target]


def test_images_from_other_schemes_are_their_alt_text():
    page = markdown_to_html("![site map](ms-msdt:x) ![photo](https://example.org/p.png)\n", title="T")
    assert "<p>site map <img" in page and "ms-msdt" not in page
    assert 'src="https://example.org/p.png"' in page


def test_safe_link():
    for url in ("https://a", "http://a", "mailto:a@b", "HTTP://A", "Mailto:a@b"):
        assert safe_link(url), url
    for url in (" https://a", "\x01https://a", "%01https://a", "ms-msdt:a", "javascript:x", "a", "/a", "", "https"):
        assert not safe_link(url), url


# --------------------------------------------------------------------------- DOCX


def test_markdown_to_docx_content_and_properties():
    md = (
        "# Heading one\n\nA paragraph with **bold**, *italic*, `code` and a [link](https://example.org/a).\n\n"
        "- first\n- second\n\n1. one\n\n> quoted\n\n| h1 | h2 |\n|---|---|\n| c1 | c2 |\n\n"
        "```\nfenced line\n```\n\n![alt text](img.png)\n"
    )
    parts = docx_parts(markdown_to_docx(md, title="The title"))
    body = parts["word/document.xml"]
    for text in (
        "Heading one",
        "bold",
        "italic",
        "code",
        "link",
        "first",
        "second",
        "one",
        "quoted",
        "h1",
        "c2",
        "fenced line",
        "[image: alt text]",
    ):
        assert text in body
    assert "img.png" not in "".join(parts.values())
    assert "https://example.org/a" in parts["word/_rels/document.xml.rels"]
    core = parts["docProps/core.xml"]
    assert "<dc:title>The title</dc:title>" in core
    assert "<dc:creator></dc:creator>" in core and "2000-01-01T00:00:00Z" in core
    assert not any("DRAFT" in text for text in parts.values())


def test_markdown_to_docx_draft_header():
    parts = docx_parts(markdown_to_docx("text\n", title="t", draft=True))
    headers = [text for name, text in parts.items() if name.startswith("word/header")]
    assert headers and all("DRAFT" in h for h in headers)


def test_docx_table_columns_are_sized_by_their_content():
    md = (
        "| No. | Date | Title | Grounds |\n|---|---|---|---|\n"
        "| 1 | 17 February 2021 | Royal Commission of Inquiry into the Terrorist Attack on Christchurch "
        "Mosques: Meeting of Responsible Ministers on 1 December (IPR/20/30PW) | 6(c), 9(2)(a), 9(2)(g)(i) |\n"
    )
    body = docx_parts(markdown_to_docx(md, title="t"))["word/document.xml"]
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', body)]
    number, day, title, grounds = grid
    assert number < day < title and number < grounds < title
    # A date fits on one line: 16 characters at about 12 a inch (1,440 twips), with the cell's margins.
    assert day >= 16 * 1440 // 12
    # Every cell has the width of its column.
    assert re.findall(r'<w:tcW w:type="dxa" w:w="(\d+)"/>', body) == [str(w) for w in grid] * 2


def test_markdown_to_docx_survives_control_characters_and_long_titles():
    parts = docx_parts(markdown_to_docx("a\x01b\x0bz\n\n```\nc\x02\n```\n", title="t\x02" + "x" * 300))
    assert "a\ufffdb\ufffdz" in parts["word/document.xml"]
    assert "c\ufffd" in parts["word/document.xml"]
    title = parts["docProps/core.xml"].split("<dc:title>")[1].split("</dc:title>")[0]
    assert len(title) == 255 and title.startswith("t\ufffdxxx") and title.endswith("\u2026")


def python_docx_reference(markdown: str) -> bytes:
    """The document python-docx's own API builds for ``markdown``: what the DOCX writer must match.

    Every block through ``Document.add_paragraph``/``add_heading``/``add_table``,
    every run through ``Paragraph.add_run`` and the ``Run``/``Font`` setters,
    every link through ``Part.relate_to`` (the quadratic calls the writer avoids).
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement
    from docx.shared import Emu, Pt, RGBColor

    from macip_gov.render_docx import _column_weights as column_weights

    document = docx.Document()

    def inline(para, token, bold=False):
        strong = em = strike = 0
        link = None
        for child in token.children or []:
            kind = child.type
            if kind in ("strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"):
                step = 1 if kind.endswith("open") else -1
                strong += step * kind.startswith("strong")
                em += step * kind.startswith("em")
                strike += step * kind.startswith("s_")
            elif kind == "link_open":
                link = child.attrs["href"] if safe_link(str(child.attrs["href"])) else None
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                para.add_run(" ")
            elif kind == "hardbreak":
                para.add_run().add_break()
            elif kind in ("text", "code_inline", "image"):
                text = child.content
                if kind == "image":
                    alt = "".join(c.content for c in child.children or [])
                    text = f"[image: {alt}]" if alt else "[image]"
                run = para.add_run(text)
                run.bold = bool(strong) or bold or None
                run.italic = bool(em) or None
                if strike:
                    run.font.strike = True
                if kind == "code_inline":
                    run.font.name = "Courier New"
                if link:
                    element = OxmlElement("w:hyperlink")
                    element.set(qn("r:id"), para.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
                    run.font.underline = True
                    run.font.color.rgb = RGBColor(0x0B, 0x4F, 0x8A)
                    run._r.addprevious(element)
                    element.append(run._r)

    numbering = document.part.numbering_part.element

    widened: set[int] = set()

    def restart(style: str, start: int) -> int:
        # A new instance of the style's numbering, counting from the number written in the source.
        style_num = document.styles[style].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        if abstract not in widened:
            # Numbers past 9 need a wider hanging indent (1 cm) than the template's 0.25".
            widened.add(abstract)
            for ind in numbering.xpath(
                f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]/w:pPr/w:ind'
            ):
                number_at = int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging")))
                ind.set(qn("w:left"), str(number_at + 567))
                ind.set(qn("w:hanging"), "567")
                for tab in ind.getparent().xpath('./w:tabs/w:tab[@w:val="num"]'):
                    tab.set(qn("w:pos"), str(number_at + 567))
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    def list_style(entry: dict, continued: bool = False) -> str:
        base = "List Continue" if continued else "List Number" if entry["ordered"] else "List Bullet"
        return base if entry["depth"] == 1 else f"{base} {min(entry['depth'], 3)}"

    tokens = markdown_parser().parse(markdown)
    lists: list[dict] = []
    quote = i = 0
    while i < len(tokens):
        tok, kind = tokens[i], tokens[i].type
        if kind == "heading_open":
            inline(document.add_heading(level=int(tok.tag[1])), tokens[i + 1])
            i += 2
        elif kind == "paragraph_open":
            style, num = None, None
            if lists:
                entry = lists[-1]
                style = list_style(entry, continued=not entry["first"])
                if entry["first"] and entry["ordered"]:
                    num = entry["num"]
                entry["first"] = False
            elif quote:
                style = "Quote"
            para = document.add_paragraph(style=style)
            if num is not None:
                numpr = para._p.get_or_add_pPr().get_or_add_numPr()
                numpr.get_or_add_ilvl().val = 0
                numpr.get_or_add_numId().val = num
            inline(para, tokens[i + 1])
            i += 2
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if lists:
                lists[-1]["first"] = False
            lists.append({"ordered": kind.startswith("ordered"), "depth": len(lists) + 1, "num": None, "next": 0})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            entry = lists[-1]
            entry["first"] = True
            if entry["ordered"]:
                number = int(tok.info)
                if entry["num"] is None or number != entry["next"]:
                    entry["num"] = restart(list_style(entry), number)
                entry["next"] = number + 1
        elif kind in ("blockquote_open", "blockquote_close"):
            quote += 1 if kind.endswith("open") else -1
        elif kind in ("fence", "code_block"):
            para = document.add_paragraph()
            lines = tok.content.rstrip("\n").split("\n")
            for n, line in enumerate(lines):
                run = para.add_run(line)
                run.font.name = "Courier New"
                run.font.size = Pt(9)
                if n < len(lines) - 1:
                    run.add_break()
        elif kind == "hr":
            document.add_paragraph("\u2014" * 20)
        elif kind == "table_open":
            rows, head, in_head = [], 0, False
            while tokens[i].type != "table_close":
                if tokens[i].type in ("thead_open", "thead_close"):
                    in_head = tokens[i].type == "thead_open"
                elif tokens[i].type == "tr_open":
                    rows.append([])
                    head += in_head
                elif tokens[i].type == "inline":
                    rows[-1].append(tokens[i])
                i += 1
            cols = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=cols)
            table.style = "Table Grid"
            # Columns sized by content, each share set through python-docx's column and cell widths.
            section = document.sections[-1]
            block = section.page_width - section.left_margin - section.right_margin
            weights = column_weights(rows, cols, block)
            for c, weight in enumerate(weights):
                share = Emu(block * weight // sum(weights))
                table.columns[c].width = share
                for cell in table.columns[c].cells:
                    cell.width = share
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    inline(table.cell(r, c).paragraphs[0], cell, bold=r < head)
            document.add_paragraph()
        i += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WRITER_SAMPLE = """# Heading *one* with `code`

Setext two
----------

###### Six

A paragraph with **bold**, *italic*, ***both***, ~~struck **and bold**~~, `code  span`,
a soft break, a hard break\\
and trailing spaces \x20
then [a link](https://example.org/a) and [**bold link**](https://example.org/b), [again](https://example.org/a),
<https://auto.example.org>, [mail](mailto:oia@example.govt.nz), [unsafe](javascript:alert(1)), [rel](page.html),
![alt *text*](https://example.org/i.png) ![](https://example.org/j.png) ![x](file:///etc/passwd) &amp; <b>raw</b>.

 leading and trailing spaces `  `

- one
- two
  1. three
  2. four
     - five
       - six
  > quoted in a list

20. twenty
22. twenty-two

    its second paragraph
23. twenty-three

7) seven

> quote
> > nested quote

```text
code line
\tindented with a tab\r
last
```

    indented code

---

| h1 | **h2** | h3 |
|:---|---:|:-:|
| a | [b](https://example.org/c) |
| c | d | e | f |

| only | header |
|---|---|
"""


@pytest.mark.parametrize(
    "markdown",
    [
        WRITER_SAMPLE,
        "",
        "plain\n",
        "\n\n".join(f"[l{i}](https://example.org/{i % 7}) [m{i}](https://example.net/{i})" for i in range(40)),
    ],
    ids=["sample", "empty", "plain", "links"],
)
def test_docx_writer_builds_what_python_docx_builds(markdown):
    ours = docx_parts(markdown_to_docx(markdown, title="T"))
    reference = docx_parts(python_docx_reference(markdown))
    for name in ("word/document.xml", "word/numbering.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"):
        assert ours[name] == reference[name], name
    assert ours.keys() == reference.keys()


class DocxWork:
    """Deterministic measures of the work a DOCX render does, for scaling tests.

    ``lookups``: element lookups (``find``, ``xpath``, ...) made on the body or
    the document element; ``scanned``: the body's children they look through,
    each lookup counted as a scan of the whole body, as python-docx's sectPr and
    section lookups are; ``calls``: Python function calls made while rendering.
    """

    LOOKUPS = ("find", "findall", "iterfind", "findtext", "xpath", "iterchildren", "getchildren", "iter", "index")

    def __init__(self, monkeypatch):
        from docx.oxml.ns import qn
        from docx.oxml.xmlchemy import BaseOxmlElement

        self.scanned = self.lookups = 0
        body_tag, document_tag = qn("w:body"), qn("w:document")
        work = self

        def counting(name):
            original = getattr(BaseOxmlElement, name)

            def lookup(self, *args, **kwargs):
                if self.tag in (body_tag, document_tag):
                    work.lookups += 1
                    body = self if self.tag == body_tag else next(c for c in self if c.tag == body_tag)
                    work.scanned += len(body)
                return original(self, *args, **kwargs)

            return lookup

        for name in self.LOOKUPS:
            monkeypatch.setattr(BaseOxmlElement, name, counting(name), raising=True)

    def render(self, markdown: str) -> tuple[int, int, int]:
        """(body lookups, body children scanned, Python calls) for rendering ``markdown`` to DOCX."""
        import sys

        self.scanned = self.lookups = 0
        calls = 0

        def profile(frame, event, arg):
            nonlocal calls
            if event == "call":
                calls += 1

        sys.setprofile(profile)
        try:
            markdown_to_docx(markdown, title="T", draft=True)
        finally:
            sys.setprofile(None)
        return self.lookups, self.scanned, calls


def mixed_blocks(n: int) -> str:
    """``n`` repetitions of every kind of block, each with a link of its own."""
    block = (
        "## Section {i}\n\nText with **bold**, *em*, `code` and [a link](https://example.org/{i}).\n\n"
        "- item\n  - nested [here](https://example.net/{i})\n\n> quoted\n\n"
        "| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n```\n\n---\n"
    )
    return "\n".join(block.format(i=f"{i:04d}") for i in range(n))


def one_table(n: int) -> str:
    """One table of ``n`` rows."""
    return "| a | b | c |\n|---|---|---|\n" + "".join(
        f"| {i:04d} | **x** | [y](https://example.org/{i:04d}) |\n" for i in range(n)
    )


@pytest.mark.parametrize("shape", [mixed_blocks, one_table])
def test_docx_work_grows_linearly_with_the_document(monkeypatch, shape):
    """Doubling the document doubles the work: each block costs the same wherever it falls.

    python-docx's add_paragraph/add_table look up the body's sectPr and the last
    section per block, relate_to scans every relationship per link and
    Table.cell lists every cell per cell, so both measures grew quadratically.
    """
    markdown_to_docx("warm [up](https://example.org)\n", title="T")  # imports and parser built outside the count
    work = DocxWork(monkeypatch)
    (l1, s1, c1), (l2, s2, c2), (l4, s4, c4) = (work.render(shape(n)) for n in (20, 40, 80))
    # A fixed number of lookups on the body however long the document (finding the
    # sectPr and the sections once each), and linear work elsewhere: equal increments,
    # f(80) - f(40) == 2 * (f(40) - f(20)).
    assert l1 == l2 == l4, ("lookups on the body", l1, l2, l4)
    assert s4 - s2 == 2 * (s2 - s1), ("body children scanned", s1, s2, s4)
    assert abs((c4 - c2) - 2 * (c2 - c1)) <= 0.01 * (c4 - c2), ("Python calls", c1, c2, c4)


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize(
    ("path", "fmt", "expected"),
    [
        ("a.md", None, "md"),
        ("a.HTML", None, "html"),
        ("a.docx", None, "docx"),
        ("a.txt", "md", "md"),
        ("a.markdown", None, "md"),
        ("a", "DOCX", "docx"),
    ],
)
def test_format_for(path, fmt, expected):
    assert format_for(path, fmt) == expected


def test_format_for_unknown():
    with pytest.raises(InvalidInputError) as info:
        format_for("out.odt")
    assert info.value.one_line() == "out.odt: cannot tell the output format (use --format md|html|docx|pdf)"


def test_render_document_formats():
    assert render_document("# T\n", "md", title="T") == b"# T\n"
    assert render_document("# T\n", "md", title="T", draft=True) == b"**DRAFT**\n\n# T\n"
    assert b"<h1>T</h1>" in render_document("# T\n", "html", title="T")
    assert render_document("# T\n", "docx", title="T")[:2] == b"PK"
    assert render_document("# T\n", "pdf", title="T")[:5] == b"%PDF-"
    with pytest.raises(InvalidInputError):
        render_document("# T\n", "odt", title="T")


def test_write_document_is_atomic(tmp_path):
    out = write_document("# T\n\nbody\n", tmp_path / "sub" / "doc.html", title="T")
    assert out == tmp_path / "sub" / "doc.html"
    assert "<p>body</p>" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.parent.iterdir()) == ["doc.html"]


def test_atomic_write_failure_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        write_document("# T\n", target, "odt", title="T")
    assert target.read_text(encoding="utf-8") == "old"
    directory = tmp_path / "adir"
    directory.mkdir()
    with pytest.raises(InvalidInputError) as info:
        atomic_write(directory, b"x")
    assert info.value.one_line().startswith(f"{directory}: cannot write here:")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        atomic_write(blocker / "child.md", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "file", "keep.md"]
    assert list(directory.iterdir()) == []


def test_written_documents_follow_the_umask_not_mkstemps_0600(tmp_path):
    import os

    from macip_gov.files import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "doc.md", b"x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644)])
def test_new_documents_get_the_umasks_mode(tmp_path, umask, mode):
    import os

    old = os.umask(umask)
    try:
        path = write_document("# T\n", tmp_path / "new.html", title="T")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("umask", [0o077, 0o022])
@pytest.mark.parametrize("existing", [0o600, 0o640, 0o400])
def test_replacing_a_document_keeps_its_mode_never_widening_it(tmp_path, umask, existing):
    import os

    target = tmp_path / "doc.md"
    target.write_bytes(b"old")
    target.chmod(existing)
    old = os.umask(umask)
    try:
        atomic_write(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == existing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.md"]


def test_docx_is_the_same_bytes_whenever_it_is_written():
    # A release records each artefact's SHA-256: zip entries carry no time of writing.
    import io
    import zipfile

    from macip_gov.render_docx import markdown_to_docx

    payload = markdown_to_docx("# Title\n\nSome *text* and a [link](https://example.org).\n", title="Title")
    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        assert {item.date_time for item in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.testzip() is None
    assert markdown_to_docx("# Title\n\nSome *text* and a [link](https://example.org).\n", title="Title") == payload
