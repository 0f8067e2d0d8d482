"""Paragraph and character styles, as far as the import needs them: list numbering and hidden text."""

from __future__ import annotations

from typing import Any

from ._package import Package, w


def _on(element: Any) -> bool:
    return element.get(w("val"), "true") not in ("0", "false", "off")


class Styles:
    """The styles of one document, followed through ``w:basedOn``."""

    def __init__(self, package: Package):
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        if package.has("word/styles.xml"):
            for style in package.xml("word/styles.xml").iter(w("style")):
                sid = style.get(w("styleId"), "")
                self.by_id[sid] = style
                if style.get(w("type")) == "paragraph" and _on_attr(style.get(w("default"))):
                    self.default_paragraph = sid

    def _chain(self, sid: str | None) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            based = style.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        return out

    def numbering(self, sid: str | None) -> tuple[str | None, int | None]:
        """The list instance and level a paragraph style numbers its paragraphs with."""
        num_id: str | None = None
        ilvl: int | None = None
        for style in self._chain(sid):
            props = style.find(f"{w('pPr')}/{w('numPr')}")
            if props is None:
                continue
            if num_id is None and props.find(w("numId")) is not None:
                num_id = props.find(w("numId")).get(w("val"))
            if ilvl is None and props.find(w("ilvl")) is not None:
                try:
                    ilvl = int(props.find(w("ilvl")).get(w("val"), "0"))
                except ValueError:
                    ilvl = 0
        return num_id, ilvl

    def _vanish(self, sid: str | None) -> bool | None:
        for style in self._chain(sid):
            props = style.find(w("rPr"))
            if props is None:
                continue
            for tag in ("vanish", "specVanish"):
                element = props.find(w(tag))
                if element is not None:
                    return _on(element)
        return None

    def paragraph_style(self, paragraph: Any) -> str | None:
        """The paragraph's style id (the default paragraph style when it names none)."""
        element = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        return element.get(w("val")) if element is not None else self.default_paragraph

    def paragraph_numbering(self, paragraph: Any) -> tuple[str | None, int | None]:
        """The list instance and level of a paragraph: its own numPr, then its style's."""
        num_id, ilvl = self.numbering(self.paragraph_style(paragraph))
        props = paragraph.find(f"{w('pPr')}/{w('numPr')}")
        if props is not None:
            if props.find(w("numId")) is not None:
                num_id = props.find(w("numId")).get(w("val"))
            if props.find(w("ilvl")) is not None:
                try:
                    ilvl = int(props.find(w("ilvl")).get(w("val"), "0"))
                except ValueError:
                    ilvl = 0
        return num_id, ilvl

    def hidden_run(self, run: Any) -> bool:
        """Whether a run is hidden by a style (its character style, or its paragraph's style), not by itself."""
        props = run.find(w("rPr"))
        if props is not None and (props.find(w("vanish")) is not None or props.find(w("specVanish")) is not None):
            return False
        if run.find(w("t")) is None:
            return False
        style = props.find(w("rStyle")) if props is not None else None
        own = self._vanish(style.get(w("val"))) if style is not None else None
        if own is not None:
            return own
        paragraph = run.getparent()
        while paragraph is not None and paragraph.tag != w("p"):
            paragraph = paragraph.getparent()
        if paragraph is None:
            return False
        return bool(self._vanish(self.paragraph_style(paragraph)))


def invisible_run(run: Any) -> str | None:
    """Why a run's text cannot be seen on the page though it is not hidden: white text, or text under 1 pt.

    Returns None for a run a reader sees (or one hidden outright, which ``w:vanish`` reports).
    """
    props = run.find(w("rPr"))
    if props is None or run.find(w("t")) is None:
        return None
    if props.find(w("vanish")) is not None or props.find(w("specVanish")) is not None:
        return None
    color = props.find(w("color"))
    highlight = props.find(w("highlight"))
    shading = props.find(w("shd"))
    backed = (highlight is not None and highlight.get(w("val"), "none") not in ("none", "white")) or (
        shading is not None and (shading.get(w("fill")) or "auto").upper() not in ("AUTO", "FFFFFF")
    )
    if color is not None and (color.get(w("val")) or "").upper() == "FFFFFF" and not backed:
        return "white text"
    size = props.find(w("sz"))
    if size is not None:
        try:
            if int(size.get(w("val"), "24")) <= 2:
                return "text under 1 pt"
        except ValueError:
            return None
    return None


def _on_attr(value: str | None) -> bool:
    return value is not None and value not in ("0", "false", "off")


__all__ = ["Styles", "invisible_run"]
