"""The OIA grounds an existing letter, schedule or redacted release cites, and where.

Checking a release someone else prepared starts with what it claims: which grounds the
letter gives, which the schedule lists, which the redaction markers cite. :func:`grounds_in`
reads a Markdown or plain-text file, an HTML file or a DOCX file, finds every citation
with :func:`.citations_text.find_citations`, and reports each ground with the line it is
on (for DOCX, the paragraph number, counted from 1 in the document body and separately
in the footnotes, endnotes, headers and footers). Sections that are not grounds are
listed as mentioned, with their role or their Act.

Text is read a block at a time: a Markdown paragraph (lines up to a blank line), an
HTML block element, a DOCX paragraph. A DOCX file is read as its XML with ``zipfile``
and ``xml.etree``; an XML part that declares a DTD or entities is refused, and no part
is read past the input file limit.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from .citations import ground_key
from .citations_text import find_citations

Format = Literal["markdown", "html", "docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# DOCX parts read after the body, with the name each is reported under.
_PARTS = (
    (re.compile(r"word/footnotes\.xml"), "footnotes"),
    (re.compile(r"word/endnotes\.xml"), "endnotes"),
    (re.compile(r"word/header(\d*)\.xml"), "header"),
    (re.compile(r"word/footer(\d*)\.xml"), "footer"),
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


class GroundUse(BaseModel):
    """One citation of a ground in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ground: str = Field(description="Canonical id, e.g. 9(2)(a).")
    citation: str = Field(description="The citation as written, e.g. 's.9(2)(a) OIA'.")
    line: int | None = Field(default=None, description="1-based line (Markdown, text and HTML files).")
    paragraph: int | None = Field(default=None, description="1-based paragraph number in its part (DOCX).")
    part: str | None = Field(
        default=None, description="DOCX only: body, footnotes, endnotes, header or footer (with its number)."
    )


class SectionMention(BaseModel):
    """A section reference in the file that is not a ground of the Act."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str = Field(description="The section as normalised, e.g. 16(1)(e), 7(2)(a), IPP 11.")
    act: str = Field(description="The Act (or code) it belongs to.")
    role: str = Field(description="What it is, e.g. 'an excerpt or summary as the form of release'.")
    citation: str = Field(description="The citation as written.")
    line: int | None = Field(default=None, description="1-based line (Markdown, text and HTML files).")
    paragraph: int | None = Field(default=None, description="1-based paragraph number in its part (DOCX).")
    part: str | None = Field(default=None, description="DOCX only: the part it is in.")


class GroundsInFile(BaseModel):
    """The grounds a file cites, each with where; and the sections it mentions that are not grounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="The file as named.")
    format: Format = Field(description="How it was read: markdown (also plain text), html or docx.")
    grounds: list[str] = Field(description="Every ground cited, once each, in statutory order.")
    found: list[GroundUse] = Field(description="Each citation of a ground, in file order.")
    mentioned: list[SectionMention] = Field(description="Section references that are not grounds, in file order.")


class _Block:
    """A block of text and the source line each of its characters starts on."""

    def __init__(self, paragraph: int | None = None, part: str | None = None):
        self.paragraph = paragraph
        self.part = part
        self.chunks: list[str] = []
        self.offsets: list[int] = []  # where each chunk starts in the block's text
        self.lines: list[int] = []  # the source line each chunk starts on
        self.size = 0

    def add(self, text: str, line: int | None = None) -> None:
        if not text:
            return
        self.offsets.append(self.size)
        self.lines.append(line or 0)
        self.chunks.append(text)
        self.size += len(text)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def where(self, offset: int) -> dict[str, Any]:
        if self.paragraph is not None:
            return {"paragraph": self.paragraph, "part": self.part}
        i = max(0, bisect.bisect_right(self.offsets, offset) - 1)
        chunk = self.chunks[i] if self.chunks else ""
        return {"line": self.lines[i] + chunk.count("\n", 0, max(0, offset - self.offsets[i]))}


def _markdown_blocks(text: str) -> Iterator[_Block]:
    block = _Block()
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.strip():
            block.add(line, number)
        elif block.chunks:
            yield block
            block = _Block()
    if block.chunks:
        yield block


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.block = _Block()
        self.skipping = 0

    def _flush(self) -> None:
        if self.block.text.strip():
            self.blocks.append(self.block)
        self.block = _Block()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.block.add(data, self.getpos()[0])


def _html_blocks(text: str) -> list[_Block]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.blocks


def _read_part(archive: zipfile.ZipFile, name: str, path: str, budget: list[int]) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(budget[0] + 1)
    if len(data) > budget[0]:
        from ..inputs import _mib, file_limit

        raise InvalidInputError(
            f"{name} unpacks to more than the {_mib(file_limit())} limit for an input file (MACIP_MAX_FILE_MIB)",
            file=path,
        )
    budget[0] -= len(data)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InvalidInputError(f"{name} declares a DTD or entities, which a Word document never does", file=path)
    return data


def _docx_paragraphs(data: bytes, name: str, part: str, path: str) -> Iterator[_Block]:
    """Each paragraph of one part, numbered in document order (a paragraph inside a text box is its own)."""
    import io

    stack: list[_Block] = []
    number = 0
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_W}p":
                    number += 1
                    stack.append(_Block(number, part))
                continue
            if tag == f"{_W}p" and stack:
                yield stack.pop()
            elif stack and tag == f"{_W}t":
                stack[-1].add(element.text or "")
            elif stack and tag == f"{_W}tab":
                stack[-1].add("\t")
            elif stack and tag in (f"{_W}br", f"{_W}cr"):
                stack[-1].add("\n")
            if not stack:
                element.clear()
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise InvalidInputError(
            f"{name} is not well-formed XML (line {line}, column {column + 1})", file=path
        ) from None


def _docx_blocks(path: Path) -> Iterator[_Block]:
    from ..inputs import file_limit

    shown = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=shown) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", file=shown) from None
    except zipfile.BadZipFile:
        raise InvalidInputError("not a DOCX file (not a zip archive)", file=shown) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=shown) from None
    budget = [file_limit()]
    with archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise InvalidInputError("not a DOCX file (it has no word/document.xml)", file=shown)
        parts = [("word/document.xml", "body")]
        for pattern, label in _PARTS:
            for name in sorted(names, key=lambda n: (len(n), n)):
                match = pattern.fullmatch(name)
                if match is not None:
                    parts.append((name, label + (match.group(1) if match.groups() else "")))
        for name, label in parts:
            try:
                data = _read_part(archive, name, shown, budget)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
                raise InvalidInputError(f"{name} cannot be read ({exc})", file=shown) from None
            yield from _docx_paragraphs(data, name, label, shown)


def _format(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    try:
        with path.open("rb") as handle:
            if handle.read(4) == b"PK\x03\x04":
                return "docx"
    except OSError:
        pass  # read_text names the problem
    return "markdown"


def grounds_in(path: Path | str, grounds: Any = None) -> GroundsInFile:
    """The grounds a letter, schedule or redacted release cites, with where each is.

    Args:
        path: A Markdown or plain-text file, an HTML file (``.html``, ``.htm``) or a
            DOCX file (``.docx``, or any file that is a zip archive).
        grounds: Where the known grounds come from (see :func:`.citations.grounds_data`).

    Returns:
        Every citation of a ground with its line (DOCX: paragraph and part), the grounds
        in statutory order, and the sections mentioned that are not grounds.

    Raises:
        InvalidInputError: The file is missing, unreadable, too large, not UTF-8 text,
            or not a readable DOCX file.
    """
    from ..inputs import read_text

    source = Path(path)
    fmt = _format(source)
    blocks: Iterator[_Block] | list[_Block]
    if fmt == "docx":
        blocks = _docx_blocks(source)
    else:
        text = read_text(source)
        blocks = _html_blocks(text) if fmt == "html" else _markdown_blocks(text)
    found: list[GroundUse] = []
    mentioned: list[SectionMention] = []
    for block in blocks:
        result = find_citations(block.text, grounds)
        for f in result.found:
            found.append(GroundUse(ground=f.ground, citation=" ".join(f.citation.split()), **block.where(f.start)))
        for m in result.mentioned:
            mentioned.append(
                SectionMention(
                    section=m.section,
                    act=m.act,
                    role=m.role,
                    citation=" ".join(m.citation.split()),
                    **block.where(m.start),
                )
            )
    return GroundsInFile(
        file=str(path),
        format=fmt,
        grounds=sorted({f.ground for f in found}, key=ground_key),
        found=found,
        mentioned=mentioned,
    )


def _where(item: GroundUse | SectionMention) -> str:
    if item.paragraph is None:
        return f"line {item.line}"
    return f"paragraph {item.paragraph}" if item.part == "body" else f"{item.part} paragraph {item.paragraph}"


def _places(items: list[GroundUse]) -> str:
    wheres = list(dict.fromkeys(_where(i) for i in items))
    unit = "line" if items[0].paragraph is None else "paragraph"
    if all(w.startswith(unit + " ") for w in wheres) and len(wheres) > 1:
        return f"{unit}s " + ", ".join(w.split(" ", 1)[1] for w in wheres)
    return ", ".join(wheres)


def grounds_in_text(result: GroundsInFile) -> str:
    """A terminal view: each ground with where it is cited, then the sections mentioned."""
    lines = []
    if not result.grounds:
        lines.append(f"no ground of the Official Information Act 1982 is cited in {result.file}")
    width = max((len(g) for g in result.grounds), default=0) + 2
    for ground in result.grounds:
        lines.append(f"{ground:<{width}}{_places([f for f in result.found if f.ground == ground])}")
    for m in result.mentioned:
        act = "" if m.act == "Official Information Act 1982" else f" of the {m.act}"
        role = "" if m.act != "Official Information Act 1982" else f": {m.role}"
        lines.append(f"mentioned: {m.section}{act} ({_where(m)}){role}")
    if result.grounds:
        count = len(result.grounds)
        lines.append(f"{count} ground{'s' * (count != 1)} cited in {result.file}: {', '.join(result.grounds)}")
    return "\n".join(lines)


__all__ = ["GroundUse", "GroundsInFile", "SectionMention", "grounds_in", "grounds_in_text"]
