"""Numbering goldens: every format of a release shows the original's paragraph numbers.

Each released format is read back the way a reader meets it: Markdown through the
parser, HTML through ``<ol start>`` and ``<li value>`` as a browser counts them, and
DOCX through its numbering XML as Word counts it (a list instance restarted by
``w:startOverride``, otherwise counting on from the last paragraph of its abstract
numbering). The numbers must be the ones written in the original, withheld numbered
paragraphs included.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

from macip_gov.oia.markup import markup_parser, parse_markup
from macip_gov.oia.redact import redact_document
from macip_gov.render import markdown_parser, render_document

ORIGINALS = Path(__file__).resolve().parent.parent / "examples" / "macip-release" / "originals"

# The paragraph numbers of each example original, as its author wrote them (the update
# skips 7-13 and 21, as the published release does).
GOLDEN = {
    "01-rcoi-macip-briefing.md": list(range(1, 16)),
    "02-macip-update.md": [1, 2, 3, 4, 5, 6, *range(14, 21), 22, 23, 24],
    "03-excerpt-ipr-20-20pw.md": [17, 18],
    "04-excerpt-ipr-20-30pw-cabinet.md": [],
    "05-excerpt-ipr-20-30pw-ministers.md": [],
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def original_numbers(text: str) -> list[int]:
    """The numbers a reader of the original sees: every ordered item outside withheld blocks,
    and the top-level numbered paragraphs of each withheld block (their content is withheld,
    their numbers are not)."""
    numbers = []
    depth = 0
    top = -1
    ordered: list[bool] = []
    for token in markup_parser().parse(text, {}):
        kind = token.type
        if kind == "container_marked_open":
            if not depth:
                top = token.level + 1
            depth += 1
        elif kind == "container_marked_close":
            depth -= 1
        elif kind in ("ordered_list_open", "bullet_list_open"):
            ordered.append(kind.startswith("ordered"))
        elif kind in ("ordered_list_close", "bullet_list_close"):
            ordered.pop()
        elif kind == "list_item_open" and ordered[-1] and (not depth or (depth == 1 and token.level == top + 1)):
            numbers.append(int(token.info))
    return numbers


def markdown_numbers(markdown: str) -> list[int]:
    return [int(t.info) for t in markdown_parser().parse(markdown) if t.type == "list_item_open" and t.info]


class _OlReader(HTMLParser):
    """Counts list items as a browser does: ``start`` (default 1), then ``value`` resets the count."""

    def __init__(self) -> None:
        super().__init__()
        self.lists: list[list[int] | None] = []  # [next number] for <ol>, None for <ul>
        self.numbers: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "ol":
            self.lists.append([int(found.get("start") or 1)])
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            counter = self.lists[-1]
            if found.get("value") is not None:
                counter[0] = int(str(found["value"]))
            self.numbers.append(counter[0])
            counter[0] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul"):
            self.lists.pop()


def html_numbers(page: str) -> list[int]:
    reader = _OlReader()
    reader.feed(page)
    return reader.numbers


def docx_numbers(payload: bytes) -> list[int]:
    """The number Word shows before each numbered paragraph, in document order."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    style_num = {}
    for style in styles.iter(f"{W}style"):
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None:
            style_num[style.get(f"{W}styleId")] = num_id.get(f"{W}val")
    abstract_start = {}
    for abstract in numbering.iter(f"{W}abstractNum"):
        lvl = abstract.find(f"{W}lvl[@{W}ilvl='0']")
        if lvl is not None and lvl.find(f"{W}numFmt").get(f"{W}val") != "bullet":
            abstract_start[abstract.get(f"{W}abstractNumId")] = int(lvl.find(f"{W}start").get(f"{W}val"))
    nums = {}
    for num in numbering.iter(f"{W}num"):
        override = num.find(f"{W}lvlOverride[@{W}ilvl='0']/{W}startOverride")
        nums[num.get(f"{W}numId")] = (
            num.find(f"{W}abstractNumId").get(f"{W}val"),
            int(override.get(f"{W}val")) if override is not None else None,
        )
    counters: dict[str, int] = {}
    started: set[str] = set()
    out = []
    for para in document.iter(f"{W}p"):
        direct = para.find(f"{W}pPr/{W}numPr/{W}numId")
        style = para.find(f"{W}pPr/{W}pStyle")
        num_id = (
            direct.get(f"{W}val")
            if direct is not None
            else style_num.get(style.get(f"{W}val") if style is not None else "")
        )
        if num_id in (None, "0") or num_id not in nums:
            continue
        abstract, override = nums[num_id]
        if abstract not in abstract_start:
            continue  # a bullet list
        if override is not None and num_id not in started:
            counters[abstract] = override
        elif abstract in counters:
            counters[abstract] += 1
        else:
            counters[abstract] = abstract_start[abstract]
        started.add(num_id)
        out.append(counters[abstract])
    return out


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_is_the_originals_numbering(name):
    assert original_numbers((ORIGINALS / name).read_text(encoding="utf-8")) == GOLDEN[name]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_format_keeps_the_originals_numbers(engine, name):
    redacted = redact_document(parse_markup((ORIGINALS / name).read_text(encoding="utf-8"), name), engine)
    expected = GOLDEN[name]
    md = render_document(redacted.markdown, "md", title=redacted.title).decode()
    html = render_document(redacted.boxed, "html", title=redacted.title, redactions=True).decode()
    docx = render_document(redacted.boxed, "docx", title=redacted.title, redactions=True)
    assert markdown_numbers(md) == expected
    assert html_numbers(html) == expected
    assert docx_numbers(docx) == expected


def test_a_withheld_numbered_paragraph_keeps_its_number(engine):
    source = (ORIGINALS / "01-rcoi-macip-briefing.md").read_text(encoding="utf-8")
    redacted = redact_document(parse_markup(source, "01.md"), engine)
    assert "\n6. s.6(c) OIA \\[REDACTED\\]\n" in redacted.markdown
    assert "\n12. s.6(c) OIA, s.9(2)(g)(i) OIA \\[REDACTED\\]\n" in redacted.markdown
    update = (ORIGINALS / "02-macip-update.md").read_text(encoding="utf-8")
    redacted = redact_document(parse_markup(update, "02.md"), engine)
    assert "\n5. s.6(c) OIA \\[REDACTED\\]\n6. s.6(c) OIA \\[REDACTED\\]\n\n14. The ethos" in redacted.markdown


SYNTHETIC = """\
1. one
2. two

   two, second paragraph (not numbered)
4. four, after a gap
   1. nested one
   3. nested three

> 20. quoted twenty
> 22. quoted twenty-two

::: {.withhold ground="6(c)"}
Lead-in withheld.

7) seven, withheld
8) eight, withheld
   - a bullet inside
:::

- a bullet
- another

9. nine
"""


def test_synthetic_numbering_in_every_format(engine):
    expected = [1, 2, 4, 1, 3, 20, 22, 7, 8, 9]
    assert original_numbers(SYNTHETIC) == expected
    redacted = redact_document(parse_markup(SYNTHETIC, "s.md"), engine)
    assert (
        "s.6(c) OIA \\[REDACTED\\]\n\n7) s.6(c) OIA \\[REDACTED\\]\n8) s.6(c) OIA \\[REDACTED\\]\n" in redacted.markdown
    )
    assert "withheld" not in redacted.markdown.replace("s.6(c) OIA", "")
    assert markdown_numbers(redacted.markdown) == expected
    html = render_document(redacted.boxed, "html", title="t", redactions=True).decode()
    assert html_numbers(html) == expected
    assert docx_numbers(render_document(redacted.boxed, "docx", title="t", redactions=True)) == expected


def test_docx_numbers_only_an_items_first_paragraph():
    payload = render_document("1. one\n\n   more of one\n2. two\n", "docx", title="t")
    assert docx_numbers(payload) == [1, 2]
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        body = archive.read("word/document.xml").decode()
    assert body.count('<w:pStyle w:val="ListContinue"/>') == 1


def test_lists_in_separate_documents_parts_restart():
    # Two lists, each starting at 1: DOCX used to number them 1, 2, 3, 4.
    payload = render_document("1. a\n2. b\n\nText.\n\n1. c\n2. d\n", "docx", title="t")
    assert docx_numbers(payload) == [1, 2, 1, 2]
