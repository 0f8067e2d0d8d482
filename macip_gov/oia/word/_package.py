"""A Word document's package read defensively: every part bounded, no DTD, no entity, no network.

The whole package is read once, up front, so the audit and the conversion see the same
bytes. Each part is read only up to what is left of the input file limit
(``MACIP_MAX_FILE_MIB``), counted over the unpacked sizes, so a zip bomb stops at the
limit; an XML part that declares a DTD or an entity is refused before it is parsed, and
the parser neither resolves entities nor reaches the network.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any

from ...errors import InvalidInputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {
    "w": W,
    "r": R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "rel": REL_NS,
}
MAX_PARTS = 10_000


def w(tag: str) -> str:
    """A WordprocessingML name in Clark notation."""
    return f"{{{W}}}{tag}"


def _parser() -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Package:
    """Every part of one .docx, by name, and the main document's relationships."""

    def __init__(self, path: Path, shown: str, parts: dict[str, bytes]):
        self.path = path
        self.shown = shown
        self.parts = parts
        self._trees: dict[str, Any] = {}

    def xml(self, name: str) -> Any:
        """The parsed root of an XML part (parsed once, then the same tree)."""
        if name not in self._trees:
            from lxml import etree

            data = self.parts[name]
            try:
                self._trees[name] = etree.fromstring(data, _parser())
            except etree.XMLSyntaxError as exc:
                line = exc.position[0] if exc.position else "?"
                raise InvalidInputError(f"{name} is not well-formed XML (line {line})", file=self.shown) from None
        return self._trees[name]

    def has(self, name: str) -> bool:
        """Whether the package holds the part."""
        return name in self.parts

    def relationships(self, part: str = "word/document.xml") -> list[tuple[str, str, str, bool]]:
        """The relationships of a part: (id, type, target part or URL, external)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.parts:
            return []
        out = []
        for rel in self.xml(rels).iter(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = posixpath.normpath(
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
            out.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], target, external))
        return out

    def related(self, kind: str, part: str = "word/document.xml") -> list[tuple[str, str]]:
        """(id, part) of the internal relationships of one type (``header``, ``footnotes``, ...) held in the package."""
        return [(rid, t) for rid, k, t, ext in self.relationships(part) if k == kind and not ext and t in self.parts]


def read_package(path: Path | str, shown: str | None = None) -> Package:
    """Read every part of a .docx within the input file limit.

    Raises:
        InvalidInputError: Missing, not a zip, not a Word document, a part too large or
            unreadable, or an XML part declaring a DTD or entities.
    """
    from ...inputs import _mib, file_limit

    source = Path(path)
    shown = shown or str(path)
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise InvalidInputError("file not found", file=shown) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", file=shown) from None
    except zipfile.BadZipFile:
        raise InvalidInputError("not a Word document (.docx): not a zip archive", file=shown) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=shown) from None
    budget = file_limit()
    parts: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise InvalidInputError(f"the package has {len(infos)} parts (at most {MAX_PARTS})", file=shown)
        for info in infos:
            if info.is_dir():
                continue
            name = info.filename
            if name.startswith("/") or ".." in name.split("/") or "\\" in name:
                raise InvalidInputError(f"part name {name!r} is not a plain path inside the package", file=shown)
            try:
                with archive.open(info) as handle:
                    data = handle.read(budget + 1)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
                raise InvalidInputError(f"{name} cannot be read ({exc})", file=shown) from None
            if len(data) > budget:
                raise InvalidInputError(
                    f"{name} unpacks past the {_mib(file_limit())} limit for an input file (MACIP_MAX_FILE_MIB)",
                    file=shown,
                )
            budget -= len(data)
            if _is_xml(name) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
                raise InvalidInputError(
                    f"{name} declares a DTD or entities, which a Word document never does", file=shown
                )
            parts[name] = data
    if "word/document.xml" not in parts:
        raise InvalidInputError("not a Word document (.docx): it has no word/document.xml", file=shown)
    return Package(source, shown, parts)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def text_of(element: Any) -> str:
    """The visible text of an element: text, tabs and breaks (deleted text left out)."""
    out: list[str] = []
    for node in element.iter(w("t"), w("tab"), w("br"), w("cr"), w("p")):
        if node.tag == w("t"):
            out.append(node.text or "")
        elif node.tag == w("tab"):
            out.append("\t")
        elif node.tag == w("p"):
            if out and not out[-1].endswith("\n"):
                out.append("\n")
        else:
            out.append("\n")
    return "".join(out).strip()


def excerpt(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


__all__ = ["NS", "Package", "R", "W", "excerpt", "read_package", "text_of", "w"]
