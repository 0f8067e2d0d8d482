"""Markdown to Word: markdown-it block tokens written as Word paragraphs, lists, tables and links.

The document is python-docx's (its template, styles, properties, header and
package), and every element written is the one python-docx's own calls would
write: ``Document.add_paragraph``/``add_table``, ``Paragraph.add_run`` and the
``Run``/``Font`` setters, ``Part.relate_to`` for links (a test builds the same
documents through those calls and compares them). Those calls cost time
quadratic in the document's length: each new block looks up the body's final
``w:sectPr`` and the last section (a scan of every block so far), each link
scans every relationship, each table cell lists the whole table. Here the
sectPr, the text width, each style id and each relationship are found once,
and runs are built directly in schema order, so every block costs the same
however long the document grows.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Emu, Inches, Pt, RGBColor
from lxml.etree import SubElement  # type: ignore[import-untyped]

from .render import REVIEW_BANNER, citation_words, markdown_parser, safe_link

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.document import CT_Body
    from markdown_it.token import Token

# XML 1.0 forbids most C0 control characters and U+FFFE/U+FFFF; python-docx
# refuses them outright, so a stray control character would abort a DOCX.
_XML_UNSAFE = dict.fromkeys((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF), "\ufffd")
# Word's core properties hold at most 255 characters per field.
_DOCX_PROPERTY_MAX = 255
# Characters python-docx writes as elements of their own (w:tab, w:br) rather than text.
_RUN_SPECIAL = frozenset("\t\r\n")
_CLEARED_PROPERTIES = (
    "author",
    "subject",
    "keywords",
    "comments",
    "category",
    "last_modified_by",
    "content_status",
    "identifier",
    "language",
    "version",
)


def _xml_safe(text: str) -> str:
    """Replace characters XML cannot carry with U+FFFD."""
    return text.translate(_XML_UNSAFE)


# Element and attribute names, in Clark notation.
_W_P, _W_PPR, _W_PSTYLE, _W_R, _W_RPR = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr"))
_W_T, _W_BR, _W_HYPERLINK = (qn(t) for t in ("w:t", "w:br", "w:hyperlink"))
_W_VAL, _R_ID, _XML_SPACE = qn("w:val"), qn("r:id"), qn("xml:space")
_W_NUMPR, _W_ILVL, _W_NUMID, _W_NUM = (qn(t) for t in ("w:numPr", "w:ilvl", "w:numId", "w:num"))
_W_ABSTRACTNUMID, _W_LVLOVERRIDE, _W_STARTOVERRIDE = (
    qn(t) for t in ("w:abstractNumId", "w:lvlOverride", "w:startOverride")
)
_W_IND, _W_LEFT, _W_HANGING, _W_POS = (qn(t) for t in ("w:ind", "w:left", "w:hanging", "w:pos"))
_NUMBER_WIDTH = 567  # twips: 1 cm between a paragraph number's start and its text
_EMU_PER_INCH = 914400
_CHARS_PER_INCH = 12  # body text at 11 pt, roughly, for sharing a table's width by content
_CELL_PADDING_CHARS = 3  # a cell's left and right margins, in characters
_SHORT_COLUMN_CHARS = 18  # "17 February 2021", "9(2)(a), 9(2)(g)(i)": kept on one line

_Format = tuple[tuple[str, dict[str, str]], ...] | None
"""A run's character formatting: its w:rPr children in the schema's order, or None for no w:rPr at all."""


# Redaction boxes and review labels: white text on a dark fill, as released documents
# show a redaction; out-of-scope text in a lighter grey; review labels in red.
_BOX_FILL, _OUT_OF_SCOPE_FILL, _LABEL_FILL = "3A3A3A", "6B7580", "B00020"


@cache
def _format(
    *,
    mono: bool = False,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    link: bool = False,
    small: bool = False,
    fill: str | None = None,
    highlight: bool = False,
) -> _Format:
    """The w:rPr children that python-docx's ``Run.bold``, ``Run.italic`` and ``Font`` setters make.

    Each is placed in CT_RPr's sequence (rFonts, b, i, strike, color, sz, highlight,
    u, bdr, shd); a run given any of these setters has a w:rPr even when they all
    clear it. ``small`` is a code block's 9 pt. ``fill`` draws the run as a box of
    that colour with white text (a redaction, a review label); ``highlight`` marks
    withheld text in a review copy.
    """
    out: list[tuple[str, dict[str, str]]] = []
    if mono:
        out.append((qn("w:rFonts"), {qn("w:ascii"): "Courier New", qn("w:hAnsi"): "Courier New"}))
    if bold:
        out.append((qn("w:b"), {}))
    if italic:
        out.append((qn("w:i"), {}))
    if strike:
        out.append((qn("w:strike"), {}))
    if fill:
        out.append((qn("w:color"), {_W_VAL: "FFFFFF"}))
    elif link:
        out.append((qn("w:color"), {_W_VAL: str(RGBColor(0x0B, 0x4F, 0x8A))}))
    if small:
        out.append((qn("w:sz"), {_W_VAL: str(round(Pt(9) / Pt(0.5)))}))  # w:sz is in half-points
    if highlight:
        out.append((qn("w:highlight"), {_W_VAL: "yellow"}))
    if link:
        out.append((qn("w:u"), {_W_VAL: "single"}))
    if fill:
        # A border in the fill's colour keeps the box visible where shading is not printed.
        border = {_W_VAL: "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): fill}
        out.append((qn("w:bdr"), border))
        out.append((qn("w:shd"), {_W_VAL: "clear", qn("w:color"): "auto", qn("w:fill"): fill}))
    return tuple(out)


_CODE_BLOCK = _format(mono=True, small=True)  # Courier New 9 pt; an inline code span is only Courier New


class _Body:
    """Builds a fresh document's body: each paragraph, run and table in constant time.

    Blocks go directly before the body's final ``w:sectPr`` (found once), which is
    where ``Document.add_paragraph`` and ``add_table`` put them, and runs are made
    as ``Paragraph.add_run`` and the ``Run``/``Font`` setters make them, without
    their per-property lookups. Style ids, the text width and the hyperlink
    relationships are looked up once per document.
    """

    def __init__(self, document: Document):
        self.document = document
        self.part = document.part
        self.element: CT_Body = document.element.body
        self.sectPr = self.element.sectPr
        section = document.sections[-1]
        page_width = section.page_width or Inches(8.5)
        left_margin = section.left_margin or Inches(1)
        right_margin = section.right_margin or Inches(1)
        self.block_width = Emu(page_width - left_margin - right_margin)
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._hyperlinks: dict[str, str] = {}
        for rId, rel in self.part.rels.items():
            if rel.is_external and rel.reltype == RT.HYPERLINK:
                self._hyperlinks.setdefault(rel.target_ref, rId)
        self._next_rel = 1
        self._numbering: Any = None
        self._next_num = 0
        self._abstract: dict[str, str | None] = {}

    def _append(self, element: Any) -> None:
        if self.sectPr is not None:
            self.sectPr.addprevious(element)
        else:
            self.element.append(element)

    def style_id(self, name: str, style_type: WD_STYLE_TYPE) -> str | None:
        """The id of the named style (None for the type's default), as ``DocumentPart.get_style_id``."""
        key = (name, style_type)
        if key not in self._style_ids:
            self._style_ids[key] = self.part.get_style_id(name, style_type)  # type: ignore[no-untyped-call]
        return self._style_ids[key]

    def add_paragraph(self, style: str | None = None, num: str | None = None) -> Any:
        """A new ``w:p`` at the end of the body, as ``Document.add_paragraph(style=style)``.

        ``num`` (from :meth:`restart_numbering`) numbers the paragraph in that list instance.
        """
        p = self.element.makeelement(_W_P, {})
        self._append(p)
        if style is not None:
            style_id = self.style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            ppr = SubElement(p, _W_PPR)
            if style_id is not None:
                SubElement(ppr, _W_PSTYLE, {_W_VAL: style_id})
            if num is not None:
                numpr = SubElement(ppr, _W_NUMPR)
                SubElement(numpr, _W_ILVL, {_W_VAL: "0"})
                SubElement(numpr, _W_NUMID, {_W_VAL: num})
        return p

    def restart_numbering(self, style: str, start: int) -> str | None:
        """A new list instance of the numbering ``style`` uses, counting from ``start``: its ``w:numId``.

        Word counts every paragraph of a numbering instance in one sequence, so each
        run of numbers in the source (a new list, or a number that skips ahead) gets
        an instance of its own whose ``w:startOverride`` is the number written there.
        None when the style has no numbering.
        """
        if style not in self._abstract:
            self._abstract[style] = self._style_abstract(style)
        abstract = self._abstract[style]
        if abstract is None:
            return None
        numbering = self._numbering
        self._next_num += 1
        num_id = str(self._next_num)
        num = SubElement(numbering, _W_NUM, {_W_NUMID: num_id})
        SubElement(num, _W_ABSTRACTNUMID, {_W_VAL: abstract})
        override = SubElement(num, _W_LVLOVERRIDE, {_W_ILVL: "0"})
        SubElement(override, _W_STARTOVERRIDE, {_W_VAL: str(start)})
        return num_id

    def _style_abstract(self, style: str) -> str | None:
        """The ``w:abstractNumId`` behind the numbering a paragraph style carries, if any."""
        if self._numbering is None:
            self._numbering = self.part.numbering_part.element
            ids = [int(n.get(_W_NUMID)) for n in self._numbering.iterchildren(_W_NUM)]
            self._next_num = max(ids, default=0)
        style_id = self.style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        element = self.part.styles.element.get_by_id(style_id) if style_id else None
        found = element.xpath("./w:pPr/w:numPr/w:numId/@w:val") if element is not None else []
        if not found:
            return None
        abstract = self._numbering.xpath(f'./w:num[@w:numId="{found[0]}"]/w:abstractNumId/@w:val')
        if not abstract:
            return None
        self._widen(str(abstract[0]))
        return str(abstract[0])

    def _widen(self, abstract: str) -> None:
        """Room for a two- or three-digit number: the template's 0.25" hanging indent fits only "9.".

        Paragraph numbers of released documents run past 9 ("10. Referrals ..."); with a
        narrower indent the number runs into its text. The number stays where it was and
        the text starts _NUMBER_WIDTH after it.
        """
        for ind in self._numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="0"]/w:pPr'):
            indent = ind.find(_W_IND)
            if indent is None or indent.get(_W_HANGING) is None:
                continue
            start = int(indent.get(_W_LEFT)) - int(indent.get(_W_HANGING))
            indent.set(_W_LEFT, str(start + _NUMBER_WIDTH))
            indent.set(_W_HANGING, str(_NUMBER_WIDTH))
            for tab in ind.xpath('./w:tabs/w:tab[@w:val="num"]'):
                tab.set(_W_POS, str(start + _NUMBER_WIDTH))

    def add_table(self, rows: int, cols: int, style: str, weights: list[int] | None = None) -> list[list[Any]]:
        """A new table at the end of the body, as ``Document.add_table``; each cell's ``w:p``, by row.

        ``weights`` share the block's width among the columns (equal shares without them).
        """
        tbl = CT_Tbl.new_tbl(rows, cols, self.block_width)
        if weights is not None and len(weights) == cols and sum(weights) > 0:
            total = sum(weights)
            widths = [Emu(self.block_width * w // total) for w in weights]
            for grid_col, col_width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
                grid_col.w = col_width
            for tr in tbl.tr_lst:
                for tc, col_width in zip(tr.tc_lst, widths, strict=True):
                    tc.width = col_width
        self._append(tbl)
        tbl.tblStyle_val = self.style_id(style, WD_STYLE_TYPE.TABLE)
        return [[tc.p_lst[0] for tc in tr.tc_lst] for tr in tbl.tr_lst]

    def add_run(self, parent: Any, text: str = "", fmt: _Format = None) -> Any:
        """A ``w:r`` at the end of ``parent`` holding ``text``, as ``Paragraph.add_run`` then the format setters."""
        r = SubElement(parent, _W_R)
        if fmt is not None:
            rpr = SubElement(r, _W_RPR)
            for tag, attrib in fmt:
                SubElement(rpr, tag, attrib)
        if text:
            if _RUN_SPECIAL.isdisjoint(text):
                t = SubElement(r, _W_T)
                t.text = text
                if len(text.strip()) < len(text):
                    t.set(_XML_SPACE, "preserve")
            else:
                r.text = text  # CT_R: tabs and line breaks become w:tab and w:br
        return r

    def hyperlink(self, parent: Any, url: str) -> Any:
        """A ``w:hyperlink`` at the end of ``parent`` pointing at ``url``, as the external ``Part.relate_to``."""
        rId = self._hyperlinks.get(url)
        if rId is None:
            rels = self.part.rels
            while f"rId{self._next_rel}" in rels:  # the lowest free rId, as python-docx numbers them
                self._next_rel += 1
            rId = f"rId{self._next_rel}"
            rels.add_relationship(RT.HYPERLINK, url, rId, is_external=True)
            self._hyperlinks[url] = rId
        return SubElement(parent, _W_HYPERLINK, {_R_ID: rId})


class _List:
    """One open list: its kind, depth, numbering instance and the current item's state."""

    __slots__ = ("depth", "first", "next", "num", "ordered")

    def __init__(self, ordered: bool, depth: int):
        self.ordered = ordered
        self.depth = depth
        self.num: str | None = None  # the w:numId counting this list's items
        self.next = -1  # the number Word gives the next item of that instance
        self.first = False  # the current item's first paragraph is not written yet

    def style(self, continued: bool = False) -> str:
        base = "List Continue" if continued else "List Number" if self.ordered else "List Bullet"
        return base if self.depth == 1 else f"{base} {min(self.depth, 3)}"


class _DocxWriter:
    """Walks markdown-it block tokens and writes Word paragraphs, lists and tables."""

    def __init__(self, document: Document):
        self.body = _Body(document)
        self.lists: list[_List] = []  # innermost last
        self.quote = 0

    def write(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                para = self.body.add_paragraph(style=f"Heading {min(level, 9)}")
                self.inline(para, tokens[i + 1])
                i += 3
                continue
            if kind == "paragraph_open":
                style, num = self._paragraph_style()
                para = self.body.add_paragraph(style=style, num=num)
                self.inline(para, tokens[i + 1])
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                if self.lists:
                    self.lists[-1].first = False  # a nested list before any text: the item has no number of its own
                self.lists.append(_List(kind == "ordered_list_open", len(self.lists) + 1))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open" and self.lists:
                self._item(tok)
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind in ("fence", "code_block"):
                self.code(tok.content, "withheld" in tok.meta)
            elif kind == "hr":
                self.body.add_run(self.body.add_paragraph(), "\u2014" * 20)
            elif kind == "table_open":
                i = self.table(tokens, i)
                continue
            i += 1

    def _item(self, tok: Token) -> None:
        """A list item opens: an ordered one keeps the number written in the source."""
        current = self.lists[-1]
        current.first = True
        if current.ordered:
            number = int(tok.meta.get("number", current.next if current.next > 0 else 1))
            if current.num is None or number != current.next:
                current.num = self.body.restart_numbering(current.style(), number)
            current.next = number + 1

    def _paragraph_style(self) -> tuple[str | None, str | None]:
        """The paragraph's style and, for an ordered item's first paragraph, its numbering instance."""
        if self.lists:
            current = self.lists[-1]
            if not current.first:
                return current.style(continued=True), None
            current.first = False
            return current.style(), current.num if current.ordered else None
        if self.quote:
            return "Quote", None
        return None, None

    def code(self, content: str, withheld: bool = False) -> None:
        para = self.body.add_paragraph()
        lines = content.rstrip("\n").split("\n")
        fmt = _format(mono=True, small=True, highlight=True) if withheld else _CODE_BLOCK
        for n, line in enumerate(lines):
            run = self.body.add_run(para, _xml_safe(line), fmt)
            if n < len(lines) - 1:
                SubElement(run, _W_BR)

    def inline(self, para: Any, token: Token, *, bold: bool = False) -> None:
        strong = em = strike = 0
        link: str | None = None
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                strong += 1
            elif kind == "strong_close":
                strong -= 1
            elif kind == "em_open":
                em += 1
            elif kind == "em_close":
                em -= 1
            elif kind == "s_open":
                strike += 1
            elif kind == "s_close":
                strike -= 1
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                link = href if safe_link(href) else None
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                self.body.add_run(para, " ")
            elif kind == "hardbreak":
                SubElement(self.body.add_run(para), _W_BR)
            elif kind == "redaction":
                grounds = child.meta["grounds"]
                fill = _BOX_FILL if grounds else _OUT_OF_SCOPE_FILL
                fmt = _format(bold=True, fill=fill)
                parent = self.body.hyperlink(para, _xml_safe(link)) if link else para
                self.body.add_run(parent, _xml_safe(child.content), fmt)
            elif kind == "withheld_start":
                grounds = child.meta["grounds"]
                words = f"Withheld: {citation_words(grounds)}" if grounds else "Out of scope"
                self.body.add_run(para, words, _format(bold=True, fill=_LABEL_FILL))
                self.body.add_run(para, " ")
            elif kind == "withheld_end":
                self.body.add_run(para, "[end of withheld text]", _format(bold=True, small=True))
            elif kind in ("text", "code_inline", "image"):
                text = child.content
                if kind == "image":
                    alt = "".join(c.content for c in child.children or [])
                    text = f"[image: {alt}]" if alt else "[image]"
                fmt = _format(
                    mono=kind == "code_inline",
                    bold=bool(strong) or bold,
                    italic=bool(em),
                    strike=bool(strike),
                    link=bool(link),
                    highlight="withheld" in child.meta,
                )
                # A link's run goes inside a w:hyperlink (only for a safe_link target).
                parent = self.body.hyperlink(para, _xml_safe(link)) if link else para
                self.body.add_run(parent, _xml_safe(text), fmt)

    def banner(self, text: str) -> None:
        """A paragraph holding ``text`` as a red label (a review copy's first and last lines)."""
        self.body.add_run(self.body.add_paragraph(), text, _format(bold=True, fill=_LABEL_FILL))

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[list[Token]] = []
        header_rows = 0
        in_head = False
        while tokens[i].type != "table_close":
            kind = tokens[i].type
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                rows.append([])
                if in_head:
                    header_rows += 1
            elif kind == "inline":
                rows[-1].append(tokens[i])
            i += 1
        if rows:
            width = max(len(r) for r in rows)
            cells = self.body.add_table(
                len(rows), width, "Table Grid", _column_weights(rows, width, self.body.block_width)
            )
            for r, row in enumerate(rows):
                for c, cell_token in enumerate(row):
                    self.inline(cells[r][c], cell_token, bold=r < header_rows)
        self.body.add_paragraph()
        return i + 1


def _column_weights(rows: list[list[Token]], cols: int, block_width: int) -> list[int]:
    """Each column's share of a table's width, in characters, sized by its content.

    Equal columns make a schedule's "No." as wide as its "Title", so dates and titles
    wrap a word to a line. A column whose longest cell is short (a number, a date)
    gets room for it on one line; the longer columns share what is left by the square
    root of their longest cell, so a long title does not squeeze a column of grounds,
    and no column is narrower than its longest word.
    """
    cells = [[row[c].content for row in rows if c < len(row)] for c in range(cols)]
    longest = [max(map(len, column), default=0) for column in cells]
    words = [max((len(w) for text in column for w in text.split()), default=0) for column in cells]
    floor = [w + _CELL_PADDING_CHARS for w in words]
    budget = block_width * _CHARS_PER_INCH // _EMU_PER_INCH
    short = {c: n + _CELL_PADDING_CHARS for c, n in enumerate(longest) if n <= _SHORT_COLUMN_CHARS}
    spare = budget - sum(short.values())
    weights = {c: math.sqrt(n) for c, n in enumerate(longest) if c not in short}
    total = sum(weights.values())
    return [
        short[c] if c in short else max(int(spare * weights[c] / total) if total else 0, floor[c]) for c in range(cols)
    ]


def markdown_to_docx(
    markdown: str, *, title: str, draft: bool = False, redactions: bool = False, review: bool = False
) -> bytes:
    """Render Markdown as a Word document, in time linear in its length.

    Core properties carry only the title (folded to one line and cut to Word's
    255-character limit); every other property is cleared so nothing about the
    source leaks through document metadata. Characters XML cannot carry become
    U+FFFD rather than aborting the document.

    Ordered lists keep the numbers written in the source: each run of numbers is a
    Word list instance restarted at its first number, and only an item's first
    paragraph is numbered.

    Args:
        markdown: The document.
        title: Document title (core properties).
        draft: Put DRAFT in the header of every section.
        redactions: Draw tagged markers (:func:`macip_gov.render.box_marker`) as shaded boxes.
        review: A review copy: withheld text highlighted with its grounds, and
            :data:`~macip_gov.render.REVIEW_BANNER` in every header and at the start
            and end of the text.

    Returns:
        The .docx file's bytes.
    """
    document = docx.Document()
    props = document.core_properties
    if review:
        title = f"{REVIEW_BANNER}: {title}"
    title = " ".join(_xml_safe(title).split())
    if len(title) > _DOCX_PROPERTY_MAX:
        title = title[: _DOCX_PROPERTY_MAX - 1].rstrip() + "\u2026"
    props.title = title
    for attr in _CLEARED_PROPERTIES:
        setattr(props, attr, "")
    fixed = datetime(2000, 1, 1)
    props.created = props.modified = fixed
    props.revision = 1
    writer = _DocxWriter(document)
    if review:
        writer.banner(REVIEW_BANNER)
    writer.write(markdown_parser().parse(markdown, {"redactions": redactions or review}))
    if review:
        writer.banner(REVIEW_BANNER)
    marks = [m for m, wanted in (("DRAFT", draft), (REVIEW_BANNER, review)) if wanted]
    if marks:
        for section in document.sections:
            para = section.header.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(" \u2014 ".join(marks))
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _reproducible(package: bytes) -> bytes:
    """The same .docx with every zip entry dated 1980-01-01, so equal documents are equal bytes.

    python-docx stamps each part with the time of writing; a release records the SHA-256 of
    every artefact, and the same release written twice should hash the same.
    """
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item))
    return out.getvalue()
