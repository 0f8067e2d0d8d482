"""Marks for a PDF original: what ``oia redact-pdf`` withholds, and on what grounds.

A marks file is YAML (or JSON) with one list, ``marks``. Each mark selects text by
an exact ``phrase`` or a regular-expression ``pattern`` (every occurrence, or only on
the ``pages`` listed), or an area by ``page`` and ``rect`` (PDF points, origin at the
bottom-left corner of the page), and gives the ``grounds`` it is withheld under::

    marks:
      - phrase: "Jane Citizen"          # every occurrence; add `pages: [2, 3]` to limit
        grounds: ["9(2)(a)"]
      - pattern: '\\b02\\d[ -]?\\d{3}[ -]?\\d{4}\\b'
        grounds: ["9(2)(a)"]
      - page: 2
        rect: [72, 400, 540, 460]
        grounds: ["6(c)"]

The file is read strictly (:mod:`macip_gov.inputs`): an unknown key, a mark that
selects in two ways or none, a pattern that does not compile or matches empty text,
or a citation that is not one is invalid input naming the file, the line and the field.
Whether a ground may be used to withhold is the grounds policy's answer
(:func:`check_mark_grounds`), as for Markdown marks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .manifest import Citations

if TYPE_CHECKING:
    from ..engine import PolicyEngine
    from .markup import MarkedDocument
    from .redact import GroundsCheck

_MAX_PHRASE = 1000


class PdfMark(BaseModel):
    """One mark: a phrase, a pattern or a page area, and the grounds it is withheld under."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phrase: str | None = Field(
        default=None,
        min_length=1,
        max_length=_MAX_PHRASE,
        description="Exact text to withhold wherever it occurs; a space matches any run of white space, "
        "a line break included.",
    )
    pattern: str | None = Field(
        default=None,
        min_length=1,
        max_length=_MAX_PHRASE,
        description="A Python regular expression; every match is withheld.",
    )
    pages: list[int] | None = Field(
        default=None,
        min_length=1,
        description="Only these pages (from 1) for a phrase or pattern; every page when omitted.",
    )
    page: int | None = Field(default=None, ge=1, description="The page (from 1) of a rectangle.")
    rect: tuple[float, float, float, float] | None = Field(
        default=None,
        description="An area to withhold: [x0, y0, x1, y1] in PDF points (1/72 inch), origin at the page's "
        "bottom-left corner. Any character it touches is withheld whole.",
    )
    grounds: Citations = Field(
        min_length=1, description="The OIA grounds the text is withheld under, e.g. ['9(2)(a)'] or 's 6(c)'."
    )

    @field_validator("pages")
    @classmethod
    def _pages_positive(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(p < 1 for p in value):
            raise ValueError("pages are numbered from 1")
        return sorted(set(value)) if value is not None else None

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if compiled.fullmatch("") is not None:
            raise ValueError("the pattern matches empty text")
        return value

    @field_validator("rect")
    @classmethod
    def _rect_ordered(cls, value: tuple[float, float, float, float] | None) -> tuple[float, float, float, float] | None:
        if value is None:
            return None
        x0, y0, x1, y1 = value
        if not (x0 < x1 and y0 < y1):
            raise ValueError("a rect is [x0, y0, x1, y1] with x0 < x1 and y0 < y1")
        return value

    @field_validator("phrase")
    @classmethod
    def _phrase_has_text(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the phrase is only white space")
        return value

    @model_validator(mode="after")
    def _one_selector(self) -> PdfMark:
        chosen = [name for name in ("phrase", "pattern", "rect") if getattr(self, name) is not None]
        if len(chosen) != 1:
            raise ValueError("a mark has exactly one of phrase, pattern or rect (with page)")
        if self.rect is not None and self.page is None:
            raise ValueError("a rect needs the page it is on")
        if self.rect is None and self.page is not None:
            raise ValueError("page goes with rect; limit a phrase or pattern with pages: [..]")
        if self.rect is not None and self.pages is not None:
            raise ValueError("pages goes with a phrase or pattern; a rect takes one page")
        return self

    @property
    def kind(self) -> str:
        """``phrase``, ``pattern`` or ``rect``."""
        return "phrase" if self.phrase is not None else "pattern" if self.pattern is not None else "rect"

    def regex(self) -> re.Pattern[str]:
        """The compiled expression a phrase or pattern is found with (a phrase's spaces match any white space)."""
        if self.pattern is not None:
            return re.compile(self.pattern)
        assert self.phrase is not None
        return re.compile(r"\s+".join(re.escape(word) for word in self.phrase.split()))

    def applies_to(self, page: int) -> bool:
        """Whether the mark may select text on this page (from 1)."""
        if self.rect is not None:
            return page == self.page
        return self.pages is None or page in self.pages


class PdfMarks(BaseModel):
    """A marks file: the marks for one PDF original."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    marks: list[PdfMark] = Field(min_length=1, description="The marks, each selecting text or an area to withhold.")
    name: str = Field(default="", exclude=True, description="The marks file, for messages.")
    lines: tuple[int, ...] = Field(default=(), exclude=True, description="The line each mark starts on (YAML).")

    def line(self, index: int) -> int | None:
        """The line mark ``index`` starts on, when known."""
        return self.lines[index] if index < len(self.lines) else None

    def where(self, index: int) -> str:
        """``file:line`` (or ``file``) of mark ``index``, and its field, for messages."""
        line = self.line(index)
        return f"{self.name}:{line}: marks[{index}]" if line else f"{self.name}: marks[{index}]"


def parse_marks(text: str, name: str) -> PdfMarks:
    """Parse a marks file's text.

    Raises:
        InvalidInputError: Malformed, refused by the strict reader, or a mark that does
            not fit (file, line and field named).
    """
    from ..inputs import parse_document, validate_model, yaml_line

    data = parse_document(text, name)
    marks = validate_model(PdfMarks, data, name, text=text)
    lines: list[int] = []
    if not name.endswith(".json"):
        lines = [yaml_line(text, ("marks", i)) or 0 for i in range(len(marks.marks))]
    return marks.model_copy(update={"name": name, "lines": tuple(lines)})


def load_marks(path: Path | str) -> PdfMarks:
    """Read a marks file (YAML or JSON).

    Raises:
        InvalidInputError: Unreadable, malformed, or does not fit (file, line and field named).
    """
    from ..inputs import read_text

    return parse_marks(read_text(path), str(path))


def marks_document(marks: PdfMarks) -> MarkedDocument:
    """The marks as a marked document without text: one withheld span per mark, at its line.

    This is what the grounds and release policies see of a PDF original's marks, the
    same shape as a Markdown original's.
    """
    from .citations import ground_key
    from .markup import MarkedDocument, Span

    spans = [
        Span(kind="withhold", grounds=tuple(mark.grounds), line=marks.line(i) or i + 1)
        for i, mark in enumerate(marks.marks)
    ]
    grounds = sorted({g for mark in marks.marks for g in mark.grounds}, key=ground_key)
    return MarkedDocument(name=marks.name, text="", spans=spans, grounds=grounds)


def check_mark_grounds(marks: PdfMarks, engine: PolicyEngine) -> GroundsCheck:
    """Ask the grounds policy about every ground the marks cite, as ``oia redact`` does for Markdown.

    Returns:
        The refusals (an unknown ground, or a refusal ground used to withhold), each
        with the line of the first mark citing it, and the warnings.

    Raises:
        PolicyError: The engine failed or answered with something unexpected.
    """
    from .redact import check_grounds

    return check_grounds(marks_document(marks), engine)


__all__ = ["PdfMark", "PdfMarks", "check_mark_grounds", "load_marks", "marks_document", "parse_marks"]
