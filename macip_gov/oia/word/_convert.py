"""From the audited package to marked-up Markdown: the decisions applied in the XML, pandoc, then the markup.

The XML is changed before pandoc sees it, so what pandoc reads is exactly what the
decisions leave: tracked changes accepted or rejected, hidden text, text boxes, images,
objects and field codes shown (as text marked for review) or removed, comment marks and
numbers put in as placeholder characters, footnotes and endnotes moved to numbered notes
at the end, and each table cell made one paragraph so the table stays a pipe table.
pandoc (a separate program, from the pypandoc-binary wheel) writes CommonMark with pipe
tables; the placeholders then become list numbers, ``[...]{.withhold ground="..."}``
spans and ``[...]{.hidden kind="..."}`` review spans. Placeholder characters are taken
from the private use area and any in the document's own text become U+FFFD first.
"""

from __future__ import annotations

import copy
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from ...errors import InvalidInputError
from ._audit import CommentMark, Finding, HiddenKind, comments, content_parts, header_footer_parts
from ._numbering import Label, Numbering
from ._package import NS, Package, text_of, w
from ._styles import Styles, invisible_run

NUMBER = "\ue000"
REVIEW_START = "\ue002"
REVIEW_END = "\ue003"
CLOSE = "\ue005"
MARK_START = "\ue006"
MARK_END = "\ue007"
_PLACEHOLDERS = re.compile("[\ue000-\ue00f]")
PANDOC_FORMAT = "commonmark+pipe_tables+strikeout-raw_html"
PANDOC_TIMEOUT = 300
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Decisions:
    """What happens to each kind: tracked changes accepted (True) or rejected (False); the kinds shown."""

    accept_changes: bool = True
    show: set[HiddenKind] = field(default_factory=set)


def _run(text: str) -> Any:
    run = etree.Element(w("r"))
    node = etree.SubElement(run, w("t"))
    node.set(XML_SPACE, "preserve")
    node.text = text
    return run


def _paragraph(*runs: Any) -> Any:
    paragraph = etree.Element(w("p"))
    for run in runs:
        paragraph.append(run)
    return paragraph


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _insert_first(paragraph: Any, run: Any) -> None:
    props = paragraph.find(w("pPr"))
    paragraph.insert(0 if props is None else paragraph.index(props) + 1, run)


def _ancestor(element: Any, tag: str) -> Any:
    node = element.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _top_paragraph(element: Any, body: Any) -> Any:
    """The outermost paragraph holding ``element`` (a text box's anchor paragraph)."""
    found = None
    node = element.getparent()
    while node is not None and node is not body:
        if node.tag == w("p"):
            found = node
        node = node.getparent()
    return found


def _on(element: Any) -> bool:
    return element.get(w("val"), "true") not in ("0", "false", "off")


class Converter:
    """One import: the decisions applied to the package's trees, pandoc run, the markup written."""

    def __init__(self, package: Package, styles: Styles, decisions: Decisions, marks: list[CommentMark]):
        self.package = package
        self.styles = styles
        self.decisions = decisions
        self.marks = {m.comment: m for m in marks}
        self.labels: list[Label] = []
        self.segments: list[CommentMark] = []
        self.review_kinds: list[HiddenKind] = []
        self.comments_shown: set[str] = set()

    # ------------------------------------------------------------------ review text
    def _review(self, kind: HiddenKind, *runs: Any) -> list[Any]:
        self.review_kinds.append(kind)
        return [_run(REVIEW_START), *runs, _run(f"{REVIEW_END}{len(self.review_kinds) - 1}{CLOSE}")]

    def _review_paragraph(self, kind: HiddenKind, text: str) -> Any:
        return _paragraph(*self._review(kind, _run(text)))

    def shows(self, kind: HiddenKind) -> bool:
        """Whether the decisions show this kind (rather than leave it out)."""
        return kind in self.decisions.show

    # ------------------------------------------------------------------ the steps
    def sanitise(self, root: Any) -> None:
        """Placeholder characters in the document's own text become U+FFFD."""
        for node in root.iter(w("t"), w("delText"), w("instrText"), w("delInstrText")):
            if node.text and _PLACEHOLDERS.search(node.text):
                node.text = _PLACEHOLDERS.sub("\ufffd", node.text)

    def tracked_changes(self, root: Any) -> None:
        """Accept or reject every tracked change, as decided."""
        accept = self.decisions.accept_changes
        for name in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"):
            for element in list(root.iter(w(name))):
                _remove(element)
        for element in list(root.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"))):
            parent = element.getparent()
            if parent is None:
                continue
            inserted = element.tag in (w("ins"), w("moveTo"))
            if parent.tag == w("rPr"):
                holder = parent.getparent()
                if holder is not None and holder.tag == w("pPr") and inserted != accept:
                    self._merge_with_next(holder.getparent())
                _remove(element)
            elif parent.tag == w("trPr"):
                _remove(element)
                if inserted != accept:
                    row = _ancestor(parent, w("tr"))
                    if row is not None:
                        _remove(row)
            elif inserted == accept:
                for node in element.iter(w("delText"), w("delInstrText")):
                    node.tag = w("t") if node.tag == w("delText") else w("instrText")
                _unwrap(element)
            else:
                _remove(element)
        for name, holder_tag in (("rPrChange", "rPr"), ("pPrChange", "pPr")):
            for change in list(root.iter(w(name))):
                holder = change.getparent()
                if not accept and holder is not None and holder.tag == w(holder_tag):
                    old = change.find(w(holder_tag))
                    for child in list(holder):
                        if child is not change and not (holder_tag == "pPr" and child.tag == w("rPr")):
                            holder.remove(child)
                    if old is not None:
                        for child in list(old):
                            holder.append(child)
                _remove(change)
        for name in (
            "sectPrChange",
            "tblPrChange",
            "trPrChange",
            "tcPrChange",
            "tblGridChange",
            "tblPrExChange",
            "numberingChange",
            "cellIns",
            "cellDel",
            "cellMerge",
        ):
            for element in list(root.iter(w(name))):
                _remove(element)

    @staticmethod
    def _merge_with_next(paragraph: Any) -> None:
        if paragraph is None or paragraph.tag != w("p"):
            return
        following = paragraph.getnext()
        if following is None or following.tag != w("p"):
            return
        for child in list(following):
            if child.tag != w("pPr"):
                paragraph.append(child)
        _remove(following)

    def drawings(self, root: Any, body: Any) -> None:
        """Text boxes, images, charts and embedded objects: shown as review text, or left out."""
        containers = [
            *root.iter(f"{{{NS['mc']}}}AlternateContent"),
        ]
        for container in containers:
            if container.getparent() is None or _ancestor(container, f"{{{NS['mc']}}}AlternateContent") is not None:
                continue
            self._replace_drawing(container, body)
        for element in list(root.iter(w("drawing"), w("pict"), w("object"))):
            if element.getparent() is not None:
                self._replace_drawing(element, body)
        for chunk in list(root.iter(w("altChunk"))):
            kind = HiddenKind.EMBEDDED_OBJECTS
            if self.shows(kind):
                chunk.addprevious(self._review_paragraph(kind, "imported file (altChunk)"))
            _remove(chunk)

    def _replace_drawing(self, element: Any, body: Any) -> None:
        boxes = [b for b in element.iter(w("txbxContent")) if _ancestor(b, f"{{{NS['mc']}}}Fallback") is None]
        if not boxes:
            boxes = list(element.iter(w("txbxContent")))[:1]
        anchor_run = _ancestor(element, w("r")) if element.tag != w("r") else element
        if boxes:
            kind = HiddenKind.TEXT_BOXES
            if self.shows(kind):
                anchor = _top_paragraph(element, body)
                after = anchor
                for box in boxes:
                    for paragraph in box.findall(w("p")):
                        moved = copy.deepcopy(paragraph)
                        inner = [c for c in moved if c.tag != w("pPr")]
                        for child in inner:
                            moved.remove(child)
                        for run in self._review(kind, *inner):
                            moved.append(run)
                        if after is not None:
                            after.addnext(moved)
                            after = moved
        else:
            props = element.find(".//wp:docPr", NS)
            data = element.find(".//a:graphicData", NS)
            uri = data.get("uri", "") if data is not None else ""
            is_object = element.tag == w("object") or "chart" in uri or "diagram" in uri
            kind = HiddenKind.EMBEDDED_OBJECTS if is_object else HiddenKind.IMAGES
            if self.shows(kind):
                if props is not None:
                    bits = [f"name {props.get('name', '')!r}"]
                    bits += [f"{k} {props.get(k)!r}" for k in ("descr", "title") if props.get(k)]
                    what = ("object " if is_object else "image ") + ", ".join(bits)
                else:
                    ole = element.find(".//o:OLEObject", NS)
                    prog = ole.get("ProgID", "") if ole is not None else ""
                    what = f"embedded object {prog}".strip()
                if anchor_run is not None and anchor_run.getparent() is not None:
                    for run in reversed(self._review(kind, _run(what))):
                        anchor_run.addnext(run)
        _remove(element)

    def fields(self, root: Any) -> None:
        """Field codes removed, results kept; with fields shown, each code follows its result as review text."""
        kind = HiddenKind.FIELDS
        for simple in list(root.iter(w("fldSimple"))):
            instruction = " ".join((simple.get(w("instr")) or "").split())
            if self.shows(kind):
                for run in reversed(self._review(kind, _run(f"field: {instruction}"))):
                    simple.addnext(run)
            _unwrap(simple)
        depth = 0
        code: list[str] = []
        for node in list(root.iter(w("fldChar"), w("instrText"), w("delInstrText"))):
            run = node.getparent()
            if node.tag == w("fldChar"):
                what = node.get(w("fldCharType"))
                if what == "begin":
                    depth += 1
                    if depth == 1:
                        code = []
                elif what == "end":
                    depth = max(0, depth - 1)
                    if depth == 0 and self.shows(kind) and run is not None and run.getparent() is not None:
                        for review in reversed(self._review(kind, _run(f"field: {' '.join(''.join(code).split())}"))):
                            run.addnext(review)
            else:
                code.append(node.text or "")
            if run is not None:
                run.remove(node)
                if run.tag == w("r") and all(c.tag == w("rPr") for c in run) and run.getparent() is not None:
                    _remove(run)

    def hidden_text(self, root: Any) -> None:
        """Hidden runs: shown as review text, or left out; hidden paragraph marks made visible."""
        kind = HiddenKind.HIDDEN_TEXT
        show = self.shows(kind)
        groups: list[list[Any]] = []
        for run in list(root.iter(w("r"))):
            unseen = invisible_run(run) is not None
            props = run.find(w("rPr"))
            direct = None
            if props is not None:
                for tag in ("vanish", "specVanish"):
                    element = props.find(w(tag))
                    if element is not None:
                        direct = _on(element) if direct is None else (direct or _on(element))
                        props.remove(element)
            hidden = direct if direct is not None else (self.styles.hidden_run(run) or unseen)
            if not hidden:
                continue
            if not show:
                _remove(run)
                continue
            if groups and groups[-1][-1].getnext() is run:
                groups[-1].append(run)
            else:
                groups.append([run])
            if props is None:
                props = etree.Element(w("rPr"))
                run.insert(0, props)
            etree.SubElement(props, w("vanish")).set(w("val"), "0")
        for group in groups:
            start, end = self._review(kind)
            group[0].addprevious(start)
            group[-1].addnext(end)
        for paragraph_props in root.iter(w("pPr")):
            marks = paragraph_props.find(w("rPr"))
            if marks is not None:
                for tag in ("vanish", "specVanish"):
                    for element in marks.findall(w(tag)):
                        marks.remove(element)

    def comments(self, root: Any) -> None:
        """Comment marks become placeholder pairs on each paragraph of their range; other comments shown or left out."""
        kind = HiddenKind.COMMENTS
        known = comments(self.package)
        for reference in list(root.iter(w("commentReference"))):
            cid = reference.get(w("id"), "")
            run = reference.getparent()
            if cid not in self.marks and self.shows(kind) and cid in known and cid not in self.comments_shown:
                self.comments_shown.add(cid)
                author, text = known[cid]
                for review in reversed(self._review(kind, _run(f"comment by {author}: {text}"))):
                    (run if run.tag == w("r") else reference).addnext(review)
            if run.tag == w("r"):
                _remove(run)
            else:
                _remove(reference)
        for range_end in list(root.iter(w("commentRangeEnd"))):
            # A comment without a reference is shown where its range ends.
            cid = range_end.get(w("id"), "")
            if cid not in self.marks and self.shows(kind) and cid in known and cid not in self.comments_shown:
                self.comments_shown.add(cid)
                author, text = known[cid]
                for review in reversed(self._review(kind, _run(f"comment by {author}: {text}"))):
                    range_end.addnext(review)
        boundaries = {w("commentRangeStart"), w("commentRangeEnd")}
        paragraphs = list(root.iter(w("p")))
        order = {id(p): i for i, p in enumerate(paragraphs)}
        inside: dict[int, list[Any]] = {}
        between: dict[int, list[Any]] = {}
        position = 0
        for element in root.iter(w("p"), w("commentRangeStart"), w("commentRangeEnd")):
            if element.tag == w("p"):
                position = order[id(element)] + 1
                continue
            holder = _ancestor(element, w("p"))
            if element.get(w("id"), "") not in self.marks:
                continue
            if holder is None:
                between.setdefault(position, []).append(element)
            else:
                inside.setdefault(order[id(holder)], []).append(element)
        open_marks: list[str] = []
        current: dict[str, int] = {}

        def start(cid: str) -> Any:
            self.segments.append(self.marks[cid])
            current[cid] = len(self.segments) - 1
            return _run(f"{MARK_START}{current[cid]}{CLOSE}")

        def end(cid: str) -> Any:
            return _run(f"{MARK_END}{current[cid]}{CLOSE}")

        for index, paragraph in enumerate(paragraphs):
            for element in between.get(index, []):
                cid = element.get(w("id"), "")
                if element.tag == w("commentRangeStart") and cid not in open_marks:
                    open_marks.append(cid)
                elif element.tag == w("commentRangeEnd") and cid in open_marks:
                    open_marks.remove(cid)
            for cid in open_marks:
                _insert_first(paragraph, start(cid))
            for element in inside.get(index, []):
                cid = element.get(w("id"), "")
                if element.tag == w("commentRangeStart") and cid not in open_marks:
                    element.addprevious(start(cid))
                    open_marks.append(cid)
                elif element.tag == w("commentRangeEnd") and cid in open_marks:
                    element.addprevious(end(cid))
                    open_marks.remove(cid)
            for cid in open_marks:
                paragraph.append(end(cid))
        for element in list(root.iter(*boundaries)):
            _remove(element)

    def notes(self, body: Any) -> None:
        """Footnote and endnote references become [1], [i]; the notes follow the text, each under its number."""
        for part, label in content_parts(self.package)[1:]:
            kind = label[:-1]
            root = self.package.xml(part)
            notes = {n.get(w("id"), ""): n for n in root.iter(w(kind))}
            numbers: dict[str, str] = {}
            for reference in list(body.iter(w(f"{kind}Reference"))):
                nid = reference.get(w("id"), "")
                if nid not in numbers:
                    count = len(numbers) + 1
                    numbers[nid] = str(count) if kind == "footnote" else _roman_lower(count)
                run = reference.getparent()
                marker = _run(f"[{numbers[nid]}]")
                run.addprevious(marker)
                run.remove(reference)
                if all(c.tag == w("rPr") for c in run):
                    _remove(run)
            if not numbers:
                continue
            section = body.find(w("sectPr"))
            heading = _paragraph(_run("Footnotes" if kind == "footnote" else "Endnotes"))
            self._append(body, section, heading)
            for nid, number in numbers.items():
                note = notes.get(nid)
                if note is None:
                    continue
                for ref in list(note.iter(w(f"{kind}Ref"))):
                    holder = ref.getparent()
                    holder.remove(ref)
                    if all(c.tag == w("rPr") for c in holder):
                        _remove(holder)
                first = True
                for paragraph in note.findall(w("p")):
                    moved = copy.deepcopy(paragraph)
                    if first:
                        _insert_first(moved, _run(f"[{number}] "))
                        first = False
                    self._append(body, section, moved)

    @staticmethod
    def _append(body: Any, section: Any, element: Any) -> None:
        if section is not None:
            section.addprevious(element)
        else:
            body.append(element)

    def numbers(self, body: Any, numbering: Numbering) -> None:
        """Each numbered paragraph gets its number as a placeholder; Word's own numbering is taken off."""
        for paragraph in body.iter(w("p")):
            num_id, ilvl = self.styles.paragraph_numbering(paragraph)
            label = numbering.label(num_id, ilvl)
            props = paragraph.find(w("pPr"))
            if props is not None:
                for num_props in props.findall(w("numPr")):
                    props.remove(num_props)
            if label is not None:
                self.labels.append(label)
                _insert_first(paragraph, _run(f"{NUMBER}{len(self.labels) - 1}{CLOSE}"))

    @staticmethod
    def cells(body: Any) -> None:
        """Each table cell's paragraphs joined into one, so a cell is one line of a pipe table.

        A pipe table always has a header row: the first row is taken as it, as a reader takes it.
        """
        for table in body.iter(w("tbl")):
            row = table.find(w("tr"))
            if row is not None:
                props = row.find(w("trPr"))
                if props is None:
                    props = etree.Element(w("trPr"))
                    row.insert(0, props)
                if props.find(w("tblHeader")) is None:
                    etree.SubElement(props, w("tblHeader"))
        for cell in body.iter(w("tc")):
            paragraphs = cell.findall(w("p"))
            for extra in paragraphs[1:]:
                paragraphs[0].append(_run(" "))
                for child in list(extra):
                    if child.tag != w("pPr"):
                        paragraphs[0].append(child)
                cell.remove(extra)

    # ------------------------------------------------------------------ whole-part items
    def part_items(self, findings: list[Finding]) -> tuple[list[Any], list[Any]]:
        """Review paragraphs for headers (first) and for footers, properties, custom XML and other parts (last)."""
        first: list[Any] = []
        last: list[Any] = []
        for finding in findings:
            if finding.kind is HiddenKind.HEADERS_FOOTERS and self.shows(finding.kind):
                text = " ".join(text_of(self.package.xml(finding.part)).split()) or "(no text)"
                item = self._review_paragraph(finding.kind, f"{finding.part} ({finding.location}): {text}")
                (first if "header" in finding.part else last).append(item)
            elif finding.kind in (
                HiddenKind.PROPERTIES,
                HiddenKind.CUSTOM_XML,
                HiddenKind.OTHER_PARTS,
            ) and self.shows(finding.kind):
                text = finding.text or finding.detail
                last.append(self._review_paragraph(finding.kind, f"{finding.part} {finding.location}: {text}"))
            elif (
                finding.kind is HiddenKind.EMBEDDED_OBJECTS
                and finding.location == "whole part"
                and self.shows(finding.kind)
            ):
                last.append(self._review_paragraph(finding.kind, f"{finding.part}: {finding.detail}"))
        return first, last

    # ------------------------------------------------------------------ the whole run
    def convert(self, findings: list[Finding]) -> str:
        """The decisions applied, pandoc run; returns pandoc's Markdown with the placeholders still in."""
        body_root = self.package.xml("word/document.xml")
        body = body_root.find(w("body"))
        if body is None:
            raise InvalidInputError("word/document.xml has no body", file=self.package.shown)
        roots = [self.package.xml(part) for part, _label in content_parts(self.package)]
        for part in header_footer_parts(self.package):
            header = self.package.xml(part)
            self.sanitise(header)
            self.tracked_changes(header)
            for run in list(header.iter(w("r"))):
                props = run.find(w("rPr"))
                if (
                    props is not None
                    and any(_on(v) for v in props.findall(w("vanish")))
                    and not self.shows(HiddenKind.HIDDEN_TEXT)
                ):
                    _remove(run)
        for root in roots:
            container = root.find(w("body")) if root is body_root else root
            self.sanitise(root)
            self.tracked_changes(root)
            self.drawings(root, container)
            self.fields(root)
            self.hidden_text(root)
            self.comments(root)
        self.notes(body)
        first, last = self.part_items(findings)
        if self.shows(HiddenKind.COMMENTS):
            # A comment anchored nowhere in the text is still shown, after it.
            for cid, (author, text) in comments(self.package).items():
                if cid not in self.marks and cid not in self.comments_shown:
                    self.comments_shown.add(cid)
                    last.insert(0, self._review_paragraph(HiddenKind.COMMENTS, f"comment by {author}: {text}"))
        for item in reversed(first):
            body.insert(0, item)
        section = body.find(w("sectPr"))
        for item in last:
            self._append(body, section, item)
        self.numbers(body, Numbering(self.package, self.styles))
        self.cells(body)
        return run_pandoc(self._pandoc_package(body_root), self.package.shown)

    def _pandoc_package(self, document: Any) -> bytes:
        """A minimal .docx for pandoc: the changed body, styles without numbering, external links."""
        import io

        styles = b""
        if self.package.has("word/styles.xml"):
            tree = copy.deepcopy(self.package.xml("word/styles.xml"))
            for element in list(tree.iter(w("numPr"), w("vanish"), w("specVanish"))):
                _remove(element)
            styles = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        rels = [
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'hyperlink" Target="{_attr(target)}" TargetMode="External"/>'
            for rid, kind, target, external in self.package.relationships()
            if external and kind == "hyperlink"
        ]
        if styles:
            rels.append(
                '<Relationship Id="rIdMacipStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/styles" Target="styles.xml"/>'
            )
        rel_xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>"
        )
        types = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
            "</Types>"
        )
        package_rels = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", types)
            archive.writestr("_rels/.rels", package_rels)
            archive.writestr(
                "word/document.xml", etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
            )
            archive.writestr("word/_rels/document.xml.rels", rel_xml)
            if styles:
                archive.writestr("word/styles.xml", styles)
        return buffer.getvalue()


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _roman_lower(n: int) -> str:
    from ._numbering import format_number

    return format_number(n, "lowerRoman")


def pandoc_path() -> str:
    """The pandoc program shipped in the pypandoc-binary wheel.

    Raises:
        InvalidInputError: pypandoc-binary is not installed or has no pandoc.
    """
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError:
        raise InvalidInputError(
            "reading Word documents needs pypandoc-binary (pip install pypandoc-binary)", file="pandoc"
        ) from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise InvalidInputError(
            f"no pandoc program found ({exc}); pip install pypandoc-binary", file="pandoc"
        ) from None


def run_pandoc(docx: bytes, shown: str) -> str:
    """Convert a .docx to CommonMark with pandoc as a separate process, in a private folder, sandboxed."""
    program = pandoc_path()
    with tempfile.TemporaryDirectory(prefix="macip-word-") as folder:
        source = Path(folder) / "input.docx"
        source.write_bytes(docx)
        try:
            done = subprocess.run(
                [program, "--sandbox", "-f", "docx", "-t", PANDOC_FORMAT, "--wrap=none", "--eol=lf", str(source)],
                cwd=folder,
                capture_output=True,
                timeout=PANDOC_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise InvalidInputError(f"pandoc did not finish within {PANDOC_TIMEOUT} s", file=shown) from None
        except OSError as exc:
            raise InvalidInputError(f"pandoc could not be run ({exc})", file=shown) from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())[:300]
        raise InvalidInputError(f"pandoc could not read the document: {message}", file=shown)
    return done.stdout.decode("utf-8")


__all__ = ["CLOSE", "MARK_END", "MARK_START", "NUMBER", "REVIEW_END", "REVIEW_START", "Converter", "Decisions"]
