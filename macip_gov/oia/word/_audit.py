"""The hidden-content audit: everything in a Word document a reader of the page does not see.

Each finding names its kind, the package part and where in it. The audit reads the
package only; it changes nothing. Which findings need a decision before an import, and
which are carried over visibly (footnotes and endnotes, comments that are marks), is
the import's business (:mod:`.`).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...errors import InvalidInputError
from ..citations_text import find_citations
from ._choices import CHOICE_KINDS, KEPT_KINDS, HiddenKind
from ._package import NS, Package, excerpt, text_of, w
from ._styles import invisible_run


class Finding(BaseModel):
    """One piece of hidden content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: HiddenKind = Field(description="What kind of hidden content it is.")
    part: str = Field(description="The package part it is in, e.g. word/document.xml.")
    location: str = Field(description="Where in the part, e.g. 'paragraph 12', 'comment 3', 'dc:creator'.")
    detail: str = Field(description="What it is, with a short excerpt of its text.")
    text: str = Field(default="", description="The whole text of a property or part (shown with --show).")


class CommentMark(BaseModel):
    """A Word comment whose text is an OIA citation or 'out of scope': markup on the commented range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    comment: str = Field(description="The comment's id in word/comments.xml.")
    part: str = Field(description="The part holding the commented range.")
    location: str = Field(description="Where the range starts, e.g. 'paragraph 4'.")
    kind: str = Field(description="withhold or out-of-scope.")
    grounds: list[str] = Field(default_factory=list, description="The grounds cited (withhold).")
    text: str = Field(description="The comment's text.")


_FILLER = frozenset(
    [
        "s",
        "ss",
        "sec",
        "section",
        "sections",
        "oia",
        "withhold",
        "withheld",
        "withholding",
        "redact",
        "redacted",
        "under",
        "and",
        "or",
        "of",
        "the",
        "official",
        "information",
        "act",
        "grounds",
        "ground",
    ]
)
_OUT_OF_SCOPE = re.compile(r"(?:out[\s_-]*of[\s_-]*scope|oos|not\s+in\s+scope|outside\s+(?:the\s+)?scope)", re.I)
# Formatting and table-structure revisions: tracked changes that hold no text of their own.
_PROPERTY_CHANGES = (
    "rPrChange",
    "pPrChange",
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
)
_KNOWN_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|word/_rels/[^/]+\.rels|word/(?:document|styles|stylesWithEffects|settings|"
    r"webSettings|fontTable|numbering|footnotes|endnotes|comments|commentsExtended|commentsIds|commentsExtensible|"
    r"people)\.xml|word/(?:header|footer)\d*\.xml|word/theme/.*|word/media/.*|word/fonts/.*|"
    r"docProps/(?:core|app|custom)\.xml|customXml/.*|word/embeddings/.*|word/(?:charts|diagrams)/.*"
)
_APP_STATISTICS = frozenset(
    [
        "Pages",
        "Words",
        "Characters",
        "CharactersWithSpaces",
        "Lines",
        "Paragraphs",
        "TotalTime",
        "AppVersion",
        "DocSecurity",
        "ScaleCrop",
        "LinksUpToDate",
        "SharedDoc",
        "HyperlinksChanged",
        "Application",
        "HeadingPairs",
        "TitlesOfParts",
    ]
)


def comment_mark(text: str, grounds: Any = None) -> tuple[str, list[str]] | None:
    """The mark a comment's text makes: ('withhold', grounds), ('out-of-scope', []), or None for any other comment.

    A mark is nothing but citations of grounds and words such as "s", "withhold",
    "under", "OIA" ("s 9(2)(a)", "withhold 6(c), 9(2)(g)(i)"), or "out of scope".
    """
    flat = " ".join(text.split()).strip().rstrip(".").strip()
    if not flat:
        return None
    if _OUT_OF_SCOPE.fullmatch(flat):
        return ("out-of-scope", [])
    found = find_citations(flat, grounds)
    if not found.found or found.mentioned:
        return None
    rest = flat
    for item in sorted(found.found, key=lambda f: f.start, reverse=True):
        rest = rest[: item.start] + " " + rest[item.start + len(item.citation) :]
    if re.search(r"[^\sA-Za-z0-9,;:&()/.\-]", rest):
        return None
    words = re.findall(r"[A-Za-z]+|\d+", rest)
    if any(word.lower() not in _FILLER and word != "1982" for word in words):
        return None
    return ("withhold", found.grounds)


class _Places:
    """Paragraph numbers of one part, to name where an element is."""

    def __init__(self, root: Any):
        self.paragraphs = list(root.iter(w("p")))  # kept alive, so each element's id stays its own
        self.numbers = {id(p): i for i, p in enumerate(self.paragraphs, start=1)}

    def of(self, element: Any) -> str:
        node = element
        while node is not None:
            number = self.numbers.get(id(node))
            if number is not None:
                return f"paragraph {number}"
            node = node.getparent()
        return "between paragraphs"


def _in_fallback(element: Any) -> bool:
    node = element.getparent()
    while node is not None:
        if node.tag == f"{{{NS['mc']}}}Fallback":
            return True
        node = node.getparent()
    return False


def content_parts(package: Package) -> list[tuple[str, str]]:
    """(part, label) of every part whose text is converted: the body, then footnotes and endnotes."""
    parts = [("word/document.xml", "body")]
    for kind in ("footnotes", "endnotes"):
        for _rid, part in package.related(kind):
            parts.append((part, kind))
    return parts


def header_footer_parts(package: Package) -> list[str]:
    """Every header and footer part in the package (referenced or not)."""
    return sorted(n for n in package.parts if re.fullmatch(r"word/(?:header|footer)\d*\.xml", n))


def audit(package: Package, styles: Any, grounds: Any = None) -> tuple[list[Finding], list[CommentMark]]:
    """Every piece of hidden content in the package, and the comments that are marks."""
    findings: list[Finding] = []
    marks: list[CommentMark] = []
    comments = _comments(package)
    text_parts = [*content_parts(package), *((p, "header or footer") for p in header_footer_parts(package))]
    if package.has("word/comments.xml"):
        text_parts.append(("word/comments.xml", "comments"))
    ranges: dict[str, tuple[str, str]] = {}
    for part, _label in text_parts:
        root = package.xml(part)
        places = _Places(root)
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            if not tag.startswith(f"{{{NS['w']}}}"):
                continue
            if local in ("ins", "del", "moveFrom", "moveTo") and element.getparent().tag != w("rPr"):
                author = element.get(w("author")) or "unknown author"
                what = {"ins": "insertion", "del": "deletion", "moveFrom": "moved from", "moveTo": "moved to"}[local]
                words = excerpt("".join(t.text or "" for t in element.iter(w("t"), w("delText"))))
                findings.append(
                    Finding(
                        kind=HiddenKind.TRACKED_CHANGES,
                        part=part,
                        location=places.of(element),
                        detail=f"{what} by {author}: {words!r}",
                    )
                )
            elif local in ("ins", "del"):
                what = "paragraph mark inserted" if local == "ins" else "paragraph mark deleted"
                findings.append(
                    Finding(kind=HiddenKind.TRACKED_CHANGES, part=part, location=places.of(element), detail=what)
                )
            elif local in _PROPERTY_CHANGES:
                findings.append(
                    Finding(
                        kind=HiddenKind.TRACKED_CHANGES,
                        part=part,
                        location=places.of(element),
                        detail=f"formatting or structure change ({local})",
                    )
                )
            elif local == "commentRangeStart" or local == "commentReference":
                ranges.setdefault(element.get(w("id"), ""), (part, places.of(element)))
            elif local in ("vanish", "specVanish") and _on(element) and element.getparent().tag == w("rPr"):
                holder = element.getparent().getparent()
                if holder is not None and holder.tag == w("r"):
                    findings.append(
                        Finding(
                            kind=HiddenKind.HIDDEN_TEXT,
                            part=part,
                            location=places.of(element),
                            detail=f"hidden text: {excerpt(text_of(holder))!r}",
                        )
                    )
                elif holder is not None and holder.tag == w("pPr"):
                    findings.append(
                        Finding(
                            kind=HiddenKind.HIDDEN_TEXT,
                            part=part,
                            location=places.of(element),
                            detail="hidden paragraph mark",
                        )
                    )
            elif local == "r" and (styles.hidden_run(element) or invisible_run(element)):
                why = "hidden by its style" if styles.hidden_run(element) else invisible_run(element)
                findings.append(
                    Finding(
                        kind=HiddenKind.HIDDEN_TEXT,
                        part=part,
                        location=places.of(element),
                        detail=f"{why}: {excerpt(text_of(element))!r}",
                    )
                )
            elif local == "txbxContent" and not _in_fallback(element):
                findings.append(
                    Finding(
                        kind=HiddenKind.TEXT_BOXES,
                        part=part,
                        location=places.of(element.getparent()),
                        detail=f"text box: {excerpt(text_of(element))!r}",
                    )
                )
            elif local == "drawing" and not _in_fallback(element) and element.find(".//w:txbxContent", NS) is None:
                findings.append(_drawing_finding(element, part, places))
            elif local == "pict" and element.find(".//v:imagedata", NS) is not None and not _in_fallback(element):
                data = element.find(".//v:imagedata", NS)
                alt = data.get(f"{{{NS['o']}}}title") or ""
                findings.append(
                    Finding(
                        kind=HiddenKind.IMAGES,
                        part=part,
                        location=places.of(element),
                        detail=f"image (VML){f', title {alt!r}' if alt else ', no alt text'}",
                    )
                )
            elif local in ("object", "altChunk"):
                what = "embedded object" if local == "object" else "imported file (altChunk)"
                findings.append(
                    Finding(kind=HiddenKind.EMBEDDED_OBJECTS, part=part, location=places.of(element), detail=what)
                )
            elif local == "fldSimple":
                findings.append(
                    Finding(
                        kind=HiddenKind.FIELDS,
                        part=part,
                        location=places.of(element),
                        detail=f"field {' '.join((element.get(w('instr')) or '').split())!r}",
                    )
                )
            elif local == "fldChar" and element.get(w("fldCharType")) == "begin":
                findings.append(
                    Finding(
                        kind=HiddenKind.FIELDS,
                        part=part,
                        location=places.of(element),
                        detail=f"field {_field_code(element)!r}",
                    )
                )
    for cid, (author, text) in comments.items():
        part, where = ranges.get(cid, ("word/document.xml", "no range in the text"))
        mark = comment_mark(text, grounds)
        if mark is not None:
            marks.append(CommentMark(comment=cid, part=part, location=where, kind=mark[0], grounds=mark[1], text=text))
        else:
            findings.append(
                Finding(
                    kind=HiddenKind.COMMENTS,
                    part="word/comments.xml",
                    location=f"comment {cid} (on {part} {where})",
                    detail=f"comment by {author}: {excerpt(text)!r}",
                )
            )
    for part in header_footer_parts(package):
        findings.append(
            Finding(
                kind=HiddenKind.HEADERS_FOOTERS,
                part=part,
                location=_header_use(package, part),
                detail=f"{'header' if 'header' in part else 'footer'}: "
                f"{excerpt(text_of(package.xml(part))) or '(no text)'!r}",
            )
        )
    for part, label in content_parts(package)[1:]:
        kind = label[:-1]
        for note in package.xml(part).iter(w(kind)):
            if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            findings.append(
                Finding(
                    kind=HiddenKind.NOTES,
                    part=part,
                    location=f"{kind} {note.get(w('id'))}",
                    detail=f"{kind} (kept as a numbered note at the end): {excerpt(text_of(note))!r}",
                )
            )
    findings.extend(_property_findings(package))
    findings.extend(_part_findings(package))
    return findings, marks


def _on(element: Any) -> bool:
    return element.get(w("val"), "true") not in ("0", "false", "off")


def _field_code(begin: Any) -> str:
    """The instruction text of the complex field that starts at ``begin``'s run."""
    run = begin.getparent()
    code: list[str] = []
    depth = 0
    node = run
    while node is not None:
        for char in node.iter(w("fldChar"), w("instrText")):
            if char.tag == w("instrText"):
                if depth == 1:
                    code.append(char.text or "")
                continue
            kind = char.get(w("fldCharType"))
            if kind == "begin":
                depth += 1
            elif kind == "end":
                depth -= 1
            elif kind == "separate" and depth == 1:
                return " ".join("".join(code).split())
            if depth == 0:
                return " ".join("".join(code).split())
        node = node.getnext()
    return " ".join("".join(code).split())


def _drawing_finding(element: Any, part: str, places: _Places) -> Finding:
    props = element.find(".//wp:docPr", NS)
    uri = ""
    data = element.find(".//a:graphicData", NS)
    if data is not None:
        uri = data.get("uri", "")
    descr = (props.get("descr") or "") if props is not None else ""
    title = (props.get("title") or "") if props is not None else ""
    name = (props.get("name") or "") if props is not None else ""
    if uri.endswith(("/chart", "/diagram")) or "chart" in uri:
        return Finding(
            kind=HiddenKind.EMBEDDED_OBJECTS,
            part=part,
            location=places.of(element),
            detail=f"chart or diagram {name!r}",
        )
    alt = "; ".join(x for x in (f"alt text {descr!r}" if descr else "", f"title {title!r}" if title else "") if x)
    kind = HiddenKind.TEXT_BOXES if "wordprocessingShape" in uri else HiddenKind.IMAGES
    if kind is HiddenKind.TEXT_BOXES:
        return Finding(
            kind=kind, part=part, location=places.of(element), detail=f"shape {name!r}{f' ({alt})' if alt else ''}"
        )
    return Finding(kind=kind, part=part, location=places.of(element), detail=f"image {name!r}: {alt or 'no alt text'}")


def _comments(package: Package) -> dict[str, tuple[str, str]]:
    if not package.has("word/comments.xml"):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for comment in package.xml("word/comments.xml").iter(w("comment")):
        out[comment.get(w("id"), "")] = (comment.get(w("author")) or "unknown author", text_of(comment))
    return out


def comments(package: Package) -> dict[str, tuple[str, str]]:
    """Every comment by id: (author, text)."""
    return _comments(package)


def _header_use(package: Package, part: str) -> str:
    targets = {rid: target for rid, _kind, target, _ext in package.relationships()}
    uses = []
    for number, section in enumerate(package.xml("word/document.xml").iter(w("sectPr")), start=1):
        for ref in [*section.iter(w("headerReference")), *section.iter(w("footerReference"))]:
            if targets.get(ref.get(f"{{{NS['r']}}}id", "")) == part:
                uses.append(f"section {number} {ref.get(w('type'), 'default')}")
    return ", ".join(uses) if uses else "not used by any section"


def _property_findings(package: Package) -> list[Finding]:
    out: list[Finding] = []
    if package.has("docProps/core.xml"):
        for element in package.xml("docProps/core.xml"):
            if not isinstance(element.tag, str):
                continue
            value = " ".join("".join(element.itertext()).split())
            if value:
                prefix = element.prefix or ""
                local = element.tag.rsplit("}", 1)[-1]
                out.append(
                    Finding(
                        kind=HiddenKind.PROPERTIES,
                        part="docProps/core.xml",
                        location=f"{prefix}:{local}" if prefix else local,
                        detail=f"document property: {excerpt(value)!r}",
                        text=value,
                    )
                )
    if package.has("docProps/app.xml"):
        for element in package.xml("docProps/app.xml"):
            if not isinstance(element.tag, str):
                continue
            local = element.tag.rsplit("}", 1)[-1]
            value = " ".join("".join(element.itertext()).split())
            if value and local not in _APP_STATISTICS:
                out.append(
                    Finding(
                        kind=HiddenKind.PROPERTIES,
                        part="docProps/app.xml",
                        location=local,
                        detail=f"application property: {excerpt(value)!r}",
                        text=value,
                    )
                )
    if package.has("docProps/custom.xml"):
        for element in package.xml("docProps/custom.xml"):
            if not isinstance(element.tag, str):
                continue
            value = " ".join("".join(element.itertext()).split())
            out.append(
                Finding(
                    kind=HiddenKind.PROPERTIES,
                    part="docProps/custom.xml",
                    location=f"property {element.get('name', '')!r}",
                    detail=f"custom property: {excerpt(value)!r}",
                    text=value,
                )
            )
    if package.has("word/settings.xml"):
        for var in package.xml("word/settings.xml").iter(w("docVar")):
            out.append(
                Finding(
                    kind=HiddenKind.PROPERTIES,
                    part="word/settings.xml",
                    location=f"document variable {var.get(w('name'), '')!r}",
                    detail=f"document variable: {excerpt(var.get(w('val'), ''))!r}",
                    text=var.get(w("val"), ""),
                )
            )
    return out


def _part_findings(package: Package) -> list[Finding]:
    out: list[Finding] = []
    for name in sorted(package.parts):
        if (
            name.startswith("customXml/")
            and "/_rels/" not in name
            and not name.rsplit("/", 1)[-1].startswith("itemProps")
        ):
            text = ""
            if name.endswith(".xml"):
                text = " ".join("".join(package.xml(name).itertext()).split())
            out.append(
                Finding(
                    kind=HiddenKind.CUSTOM_XML,
                    part=name,
                    location="whole part",
                    detail=f"custom XML: {excerpt(text)!r}",
                    text=text,
                )
            )
        elif name.startswith(("word/embeddings/", "word/charts/", "word/diagrams/")) and "/_rels/" not in name:
            out.append(
                Finding(
                    kind=HiddenKind.EMBEDDED_OBJECTS,
                    part=name,
                    location="whole part",
                    detail=f"embedded file ({len(package.parts[name])} bytes)",
                )
            )
        elif not _KNOWN_PARTS.fullmatch(name):
            text = ""
            if name.endswith((".xml", ".rels")):
                try:
                    text = " ".join("".join(package.xml(name).itertext()).split())
                except InvalidInputError:
                    text = ""  # not XML after all: listed by size, its bytes are never converted
            out.append(
                Finding(
                    kind=HiddenKind.OTHER_PARTS,
                    part=name,
                    location="whole part",
                    detail=f"part not converted ({len(package.parts[name])} bytes)"
                    + (f": {excerpt(text)!r}" if text else ""),
                    text=text,
                )
            )
    return out


__all__ = [
    "CHOICE_KINDS",
    "KEPT_KINDS",
    "CommentMark",
    "Finding",
    "HiddenKind",
    "audit",
    "comment_mark",
    "comments",
    "content_parts",
    "header_footer_parts",
]
