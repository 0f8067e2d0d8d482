"""The numbers Word shows before numbered paragraphs, computed from numbering.xml as Word counts them.

Each numbered paragraph names a list instance (``w:numId``) and a level (``w:ilvl``),
directly or through its paragraph style. The instance points at an abstract numbering,
whose levels give the start value, the format (``w:numFmt``), the text around the
number (``w:lvlText``, ``%1.%2``) and when a level restarts (``w:lvlRestart``).
Instances of one abstract numbering share its counters, so a second instance counts on
from the first, unless it overrides a level (``w:lvlOverride``: ``w:startOverride`` or
a whole ``w:lvl``), which restarts that level at the instance's first paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._package import Package, w

_MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: None restarts after any higher level, 0 never
    legal: bool = False  # w:isLgl: every number in decimal


@dataclass(frozen=True)
class Label:
    """What Word shows before a numbered paragraph."""

    text: str
    level: int
    bullet: bool
    simple_number: int | None  # the number, when the label is just "N." or "N)" of one decimal level
    delimiter: str = "."


def _int(element: Any, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(w("val"), default))
    except ValueError:
        return default


def _level(element: Any) -> Level:
    fmt_el = element.find(w("numFmt"))
    text_el = element.find(w("lvlText"))
    restart_el = element.find(w("lvlRestart"))
    legal_el = element.find(w("isLgl"))
    return Level(
        start=_int(element.find(w("start")), 1),
        fmt=(fmt_el.get(w("val")) if fmt_el is not None else None) or "decimal",
        text=(text_el.get(w("val")) if text_el is not None else None) or "",
        restart=_int(restart_el, 1) if restart_el is not None else None,
        legal=legal_el is not None and legal_el.get(w("val"), "true") not in ("0", "false", "off"),
    )


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word repeats the letter past z: y, z, aa, bb, ...
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter value in one of Word's number formats."""
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """The numbering definitions of one document, and the counters as the body is read in order."""

    def __init__(self, package: Package, styles: Any):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> numbering style it links to
        self.instances: dict[str, tuple[str, dict[int, Level | int]]] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[str] = set()
        self.styles = styles
        if package.has("word/numbering.xml"):
            root = package.xml("word/numbering.xml")
            for abstract in root.iter(w("abstractNum")):
                aid = abstract.get(w("abstractNumId"), "")
                self.abstracts[aid] = {_int_attr(lvl, "ilvl"): _level(lvl) for lvl in abstract.iter(w("lvl"))}
                link = abstract.find(w("numStyleLink"))
                if link is not None:
                    self.abstract_links[aid] = link.get(w("val"), "")
            for instance in root.iter(w("num")):
                nid = instance.get(w("numId"), "")
                aid_el = instance.find(w("abstractNumId"))
                overrides: dict[int, Level | int] = {}
                for override in instance.iter(w("lvlOverride")):
                    ilvl = _int_attr(override, "ilvl")
                    lvl = override.find(w("lvl"))
                    start = override.find(w("startOverride"))
                    if lvl is not None:
                        overrides[ilvl] = _level(lvl)
                    elif start is not None:
                        overrides[ilvl] = _int(start, 1)
                self.instances[nid] = (aid_el.get(w("val"), "") if aid_el is not None else "", overrides)

    def _abstract(self, nid: str) -> str | None:
        entry = self.instances.get(nid)
        if entry is None:
            return None
        aid = entry[0]
        # An abstract numbering that only links to a numbering style takes the style's list instead.
        for _ in range(3):
            link = self.abstract_links.get(aid)
            if link is None:
                break
            style_num = self.styles.numbering(link)[0]
            if style_num is None or style_num not in self.instances:
                break
            aid = self.instances[style_num][0]
        return aid if aid in self.abstracts else None

    def _levels(self, nid: str, aid: str) -> dict[int, Level]:
        levels = dict(self.abstracts[aid])
        for ilvl, override in self.instances[nid][1].items():
            if isinstance(override, Level):
                levels[ilvl] = override
        return levels

    def label(self, nid: str | None, ilvl: int | None) -> Label | None:
        """Count one numbered paragraph and return what Word shows before it (None: not numbered)."""
        if nid is None or nid == "0":
            return None
        aid = self._abstract(nid)
        if aid is None:
            return None
        level = min(max(ilvl or 0, 0), _MAX_LEVELS - 1)
        levels = self._levels(nid, aid)
        counters = self.counters.setdefault(aid, [None] * _MAX_LEVELS)
        if nid not in self.seen:
            self.seen.add(nid)
            for over_level, override in self.instances[nid][1].items():
                if 0 <= over_level < _MAX_LEVELS:
                    start = override if isinstance(override, int) else override.start
                    counters[over_level] = start - 1
                    for deeper in range(over_level + 1, _MAX_LEVELS):
                        counters[deeper] = None
        current = levels.get(level, Level())
        value = counters[level]
        counters[level] = current.start if value is None else value + 1
        for deeper in range(level + 1, _MAX_LEVELS):
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and level < restart):
                counters[deeper] = None
        if current.fmt == "bullet":
            return Label(text=current.text, level=level, bullet=True, simple_number=None)
        text = current.text
        for k in range(_MAX_LEVELS - 1, -1, -1):
            placeholder = f"%{k + 1}"
            if placeholder in text:
                lvl = levels.get(k, Level())
                count = counters[k] if counters[k] is not None else lvl.start
                fmt = "decimal" if current.legal and lvl.fmt != "none" else lvl.fmt
                text = text.replace(placeholder, format_number(count or 0, fmt))
        simple = None
        delimiter = "."
        if current.fmt in ("decimal",) and current.text in (f"%{level + 1}.", f"%{level + 1})"):
            simple = counters[level]
            delimiter = current.text[-1]
        return Label(text=text, level=level, bullet=False, simple_number=simple, delimiter=delimiter)


def _int_attr(element: Any, name: str) -> int:
    try:
        return int(element.get(w(name), "0"))
    except ValueError:
        return 0


__all__ = ["Label", "Level", "Numbering", "format_number"]
