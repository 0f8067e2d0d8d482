"""Word documents for the import tests, written part by part so each hidden kind is exactly where a test says.

Only what a test asks for goes in: the body (WordprocessingML paragraphs as XML text), and
optionally numbering, comments, footnotes, endnotes, headers and footers of each variant,
document properties (core, app, custom), customXml items and embedded objects. The zip is
written with fixed timestamps, so the same call gives the same bytes.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STAMP = (2021, 2, 17, 9, 0, 0)


def t(text: str) -> str:
    """A run of plain text."""
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(*runs: str, style: str | None = None, num: tuple[int, int] | None = None, ppr: str = "") -> str:
    """A paragraph of runs (plain strings become text runs), with a style and list numbering."""
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    body = "".join(r if r.startswith("<") else t(r) for r in runs)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def abstract_num(aid: int, levels: list[tuple[str, str, int]]) -> str:
    """An abstract numbering: each level as (numFmt, lvlText, start)."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text)}"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    return f'<w:abstractNum w:abstractNumId="{aid}">{lvls}</w:abstractNum>'


def num(num_id: int, aid: int, overrides: dict[int, int] | None = None) -> str:
    """A numbering instance of an abstract numbering, with start overrides by level."""
    over = "".join(
        f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for lvl, start in (overrides or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{over}</w:num>'


@dataclass
class WordDoc:
    """The parts of one Word document; :meth:`write` makes the .docx."""

    body: list[str]
    numbering: list[str] = field(default_factory=list)
    comments: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (author, text)
    footnotes: dict[int, str] = field(default_factory=dict)  # id -> paragraph XML
    endnotes: dict[int, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # type (default, first, even) -> text
    footers: dict[str, str] = field(default_factory=dict)
    core: dict[str, str] = field(default_factory=dict)  # dc:title, dc:creator, cp:keywords, ...
    app: dict[str, str] = field(default_factory=dict)  # Company, Manager, ...
    custom: dict[str, str] = field(default_factory=dict)
    custom_xml: str | None = None
    embedding: bytes | None = None
    styles: str | None = None
    extra_parts: dict[str, bytes] = field(default_factory=dict)

    def write(self, path: Path) -> Path:
        files: dict[str, bytes] = {}
        types = [
            ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
        ]
        rels: list[tuple[str, str]] = []  # (type, target)
        section = ""
        if self.numbering:
            files["word/numbering.xml"] = self._part("numbering", "".join(self.numbering))
            types.append(
                ("/word/numbering.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml")
            )
            rels.append((f"{_REL}/numbering", "numbering.xml"))
        if self.styles:
            files["word/styles.xml"] = self._part("styles", self.styles)
            types.append(
                ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml")
            )
            rels.append((f"{_REL}/styles", "styles.xml"))
        if self.comments:
            inner = "".join(
                f'<w:comment w:id="{cid}" w:author="{escape(author)}" w:initials="X">{p(text)}</w:comment>'
                for cid, (author, text) in self.comments.items()
            )
            files["word/comments.xml"] = self._part("comments", inner)
            types.append(
                ("/word/comments.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
            )
            rels.append((f"{_REL}/comments", "comments.xml"))
        for kind, notes in (("footnote", self.footnotes), ("endnote", self.endnotes)):
            if notes:
                inner = (
                    f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                    + "".join(f'<w:{kind} w:id="{nid}">{xml}</w:{kind}>' for nid, xml in notes.items())
                )
                files[f"word/{kind}s.xml"] = self._part(f"{kind}s", inner)
                types.append(
                    (
                        f"/word/{kind}s.xml",
                        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
                    )
                )
                rels.append((f"{_REL}/{kind}s", f"{kind}s.xml"))
        for kind, variants in (("header", self.headers), ("footer", self.footers)):
            for n, (variant, text) in enumerate(variants.items(), start=1):
                name = f"{kind}{n}.xml"
                files[f"word/{name}"] = self._part("hdr" if kind == "header" else "ftr", p(text))
                types.append(
                    (f"/word/{name}", f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml")
                )
                rid = f"rId{len(rels) + 1}"
                rels.append((f"{_REL}/{kind}", name))
                section += f'<w:{kind}Reference w:type="{variant}" r:id="{rid}"/>'
        if self.embedding is not None:
            files["word/embeddings/oleObject1.bin"] = self.embedding
            types.append(("/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject"))
            rels.append((f"{_REL}/oleObject", "embeddings/oleObject1.bin"))
        for name, data in self.extra_parts.items():
            files[name] = data
        body = "".join(self.body) + f"<w:sectPr>{section}</w:sectPr>"
        files["word/document.xml"] = self._part("document", f"<w:body>{body}</w:body>")
        files["word/_rels/document.xml.rels"] = _rels_xml(
            [(f"rId{i + 1}", kind, target) for i, (kind, target) in enumerate(rels)]
        )
        package_rels = [("rId1", f"{_REL}/officeDocument", "word/document.xml")]
        if self.core:
            props = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in self.core.items())
            files["docProps/core.xml"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
                f"{props}</cp:coreProperties>"
            ).encode()
            types.append(("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"))
            package_rels.append(
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                )
            )
        if self.app:
            props = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in self.app.items())
            files["docProps/app.xml"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                f"{props}</Properties>"
            ).encode()
            types.append(("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"))
            package_rels.append(("rId3", f"{_REL}/extended-properties", "docProps/app.xml"))
        if self.custom:
            props = "".join(
                f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{escape(k)}">'
                f"<vt:lpwstr>{escape(v)}</vt:lpwstr></property>"
                for i, (k, v) in enumerate(self.custom.items(), start=2)
            )
            files["docProps/custom.xml"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                f"{props}</Properties>"
            ).encode()
            types.append(
                ("/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
            )
            package_rels.append(("rId4", f"{_REL}/custom-properties", "docProps/custom.xml"))
        if self.custom_xml is not None:
            files["customXml/item1.xml"] = self.custom_xml.encode()
        files["_rels/.rels"] = _rels_xml(package_rels)
        overrides = "".join(f'<Override PartName="{name}" ContentType="{ctype}"/>' for name, ctype in types)
        files["[Content_Types].xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
            f"{overrides}</Types>"
        ).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ["[Content_Types].xml", *sorted(n for n in files if n != "[Content_Types].xml")]:
                archive.writestr(zipfile.ZipInfo(name, _STAMP), files[name], zipfile.ZIP_DEFLATED)
        return path

    @staticmethod
    def _part(root: str, inner: str) -> bytes:
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {NAMESPACES}>{inner}</w:{root}>'.encode()
        )


def _rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    inner = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{inner}</Relationships>'
    ).encode()
