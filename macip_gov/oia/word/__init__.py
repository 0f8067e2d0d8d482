"""Word originals in: a hidden-content audit, then marked-up Markdown that ``oia redact`` reads unchanged.

:func:`import_docx` reads a .docx defensively (:mod:`._package`), audits everything a
reader of the page does not see (:mod:`._audit`), and refuses to convert while any kind
of hidden content has no decision: tracked changes are accepted or rejected, every
other kind is shown (as text marked ``{.hidden kind=...}``, which ``oia redact``
refuses until someone replaces it with a mark or plain text) or omitted. Footnotes and
endnotes are kept as numbered notes after the text. A Word comment whose text is an
OIA citation ("s 9(2)(a)", "withhold 6(c), 9(2)(g)(i)") or "out of scope" becomes
markup on the range it comments. The conversion itself is pandoc's (:mod:`._convert`),
run as a separate program, with Word's list numbers computed from numbering.xml and
written as the explicit numbers the reader saw. The result is checked with the markup
parser before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...errors import ExitCode, InvalidInputError
from ._audit import CHOICE_KINDS, KEPT_KINDS, CommentMark, Finding, HiddenKind, comment_mark

TrackedChoice = Literal["accept", "reject"]


class ImportChoices(BaseModel):
    """What to do with each kind of hidden content: the user's decisions, never a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracked_changes: TrackedChoice | None = Field(
        default=None, description="accept or reject every tracked insertion, deletion, move and formatting change."
    )
    show: list[HiddenKind] = Field(
        default_factory=list,
        description="Kinds shown in the Markdown as text marked {.hidden kind=...} for review (oia redact refuses "
        "the document until each is replaced by a mark or plain text).",
    )
    omit: list[HiddenKind] = Field(default_factory=list, description="Kinds left out of the Markdown, by decision.")
    show_hidden: bool = Field(
        default=False, description="Show every kind not omitted (tracked changes still need accept or reject)."
    )

    @model_validator(mode="after")
    def _one_choice_per_kind(self) -> ImportChoices:
        both = sorted(k.value for k in set(self.show) & set(self.omit))
        if both:
            raise ValueError(f"{', '.join(both)} cannot be both shown and omitted")
        for kind in (*self.show, *self.omit):
            if kind is HiddenKind.TRACKED_CHANGES:
                raise ValueError("tracked changes are accepted or rejected (tracked_changes), not shown or omitted")
            if kind in KEPT_KINDS:
                raise ValueError(f"{kind.value} are always kept as visible text; there is nothing to decide")
        return self

    def decision(self, kind: HiddenKind) -> str | None:
        """The decision for one kind: accept, reject, show, omit or kept; None when undecided."""
        if kind in KEPT_KINDS:
            return "kept"
        if kind is HiddenKind.TRACKED_CHANGES:
            return self.tracked_changes
        if kind in self.omit:
            return "omit"
        if kind in self.show or self.show_hidden:
            return "show"
        return None


class WordImport(BaseModel):
    """The audit of one Word original and, when every kind found is decided, its marked-up Markdown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="The .docx as named.")
    findings: list[Finding] = Field(description="Every piece of hidden content, in part order.")
    marks: list[CommentMark] = Field(description="Comments that are marks, applied to their ranges.")
    decisions: dict[str, str] = Field(description="The decision applied to each kind found.")
    undecided: list[HiddenKind] = Field(description="Kinds found without a decision: nothing is converted.")
    markdown: str = Field(default="", description="The marked-up Markdown (empty while anything is undecided).")
    review_marks: int = Field(default=0, description="How many {.hidden} review spans the Markdown holds.")

    @property
    def converted(self) -> bool:
        """Whether the document was converted (nothing left undecided)."""
        return not self.undecided

    @property
    def exit_code(self) -> ExitCode:
        """OK when converted; DENIED when hidden content waits for a decision."""
        return ExitCode.OK if self.converted else ExitCode.DENIED


class ImportReport(BaseModel):
    """What ``oia import`` did: the audit, and the file written (or why not)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    result: WordImport = Field(description="The audit and conversion.")
    output: str = Field(description="The Markdown file.")
    written: bool = Field(description="Whether it was written.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when written; DENIED when hidden content waits for a decision."""
        return ExitCode.OK if self.written else ExitCode.DENIED


def import_docx(path: Path | str, choices: ImportChoices | None = None, grounds: Any = None) -> WordImport:
    """Audit a Word original and, when every kind of hidden content found is decided, convert it.

    Args:
        path: The .docx file.
        choices: The decisions per kind; none by default, so any hidden content stops the import.
        grounds: Where the known grounds come from (see :func:`..citations.grounds_data`), for comment marks.

    Returns:
        The findings, the comment marks, and the Markdown when nothing is undecided.

    Raises:
        InvalidInputError: The file is not a readable Word document, a part is too large
            or declares a DTD, pandoc cannot read it, or the conversion is not valid markup.
    """
    from . import _markup_out as out
    from ._audit import audit
    from ._convert import Converter, Decisions
    from ._package import read_package
    from ._styles import Styles

    choices = choices or ImportChoices()
    package = read_package(path)
    styles = Styles(package)
    findings, marks = audit(package, styles, grounds)
    kinds = list(dict.fromkeys(f.kind for f in findings))
    decisions = {k.value: d for k in kinds if (d := choices.decision(k)) is not None}
    undecided = [k for k in kinds if choices.decision(k) is None]
    base = {"source": str(path), "findings": findings, "marks": marks, "decisions": decisions, "undecided": undecided}
    if undecided:
        return WordImport(**base)
    shown: set[HiddenKind] = {k for k in CHOICE_KINDS if choices.decision(k) == "show"}
    converter = Converter(package, styles, Decisions(choices.tracked_changes != "reject", shown), marks)
    raw = converter.convert(findings)
    if "[TABLE]" in raw:
        raise InvalidInputError(
            "a table could not be converted to a Markdown table (a table inside a cell?)", file=str(path)
        )
    text = out.numbers(raw, converter.labels)
    text = out.marks(text, converter.segments, str(path))
    final = out.tidy(out.review(text, converter.review_kinds, keep=True))
    checked = out.tidy(out.review(text, converter.review_kinds, keep=False))
    _check_markup(checked, str(path))
    return WordImport(**base, markdown=final, review_marks=len(converter.review_kinds))


def _check_markup(markdown: str, shown: str) -> None:
    """The converted text must parse as markup (review spans taken as plain text) and hold no placeholder."""
    import re

    from ..markup import parse_markup

    if re.search("[\ue000-\ue00f]", markdown):
        raise InvalidInputError("the conversion lost track of a number or mark (a placeholder is left)", file=shown)
    try:
        parse_markup(markdown, shown)
    except InvalidInputError as exc:
        where = f" (line {exc.location} of the Markdown)" if exc.location else ""
        raise InvalidInputError(f"the conversion is not valid markup{where}: {exc.message}", file=shown) from None


def import_file(source: Path | str, output: Path | str, choices: ImportChoices | None = None) -> ImportReport:
    """Import a Word original and write its Markdown; nothing is written while anything is undecided.

    Raises:
        InvalidInputError: As :func:`import_docx`; or the output is the source, or cannot be written.
    """
    from ...files import atomic_write

    if Path(output).resolve() == Path(source).resolve():
        raise InvalidInputError("the output would overwrite the Word original", file=str(output))
    result = import_docx(source, choices)
    if not result.converted:
        return ImportReport(result=result, output=str(output), written=False)
    atomic_write(output, result.markdown.encode("utf-8"))
    return ImportReport(result=result, output=str(output), written=True)


def import_text(report: ImportReport) -> str:
    """A terminal view: findings by kind with their decision, the marks, and what was written."""
    result = report.result
    lines: list[str] = []
    for kind in dict.fromkeys(f.kind for f in result.findings):
        items = [f for f in result.findings if f.kind is kind]
        decision = result.decisions.get(kind.value, "UNDECIDED")
        lines.append(f"{kind.value} ({len(items)}): {decision}")
        for f in items:
            lines.append(f"  {f.part} {f.location}: {f.detail}")
    if result.marks:
        lines.append(f"comment marks ({len(result.marks)}): applied")
        for m in result.marks:
            what = "withhold " + ", ".join(m.grounds) if m.kind == "withhold" else m.kind
            lines.append(f"  {m.part} {m.location}: comment {m.comment} {m.text!r} -> {what}")
    if report.written:
        review = f"; {result.review_marks} passages marked {{.hidden}} for review" if result.review_marks else ""
        lines.append(f"wrote {report.output}{review}")
    else:
        flags = []
        for kind in result.undecided:
            flags.append(
                "--tracked-changes accept|reject"
                if kind is HiddenKind.TRACKED_CHANGES
                else f"--show/--omit {kind.value}"
            )
        lines.append(f"nothing written: decide {', '.join(k.value for k in result.undecided)} ({'; '.join(flags)})")
    return "\n".join(lines)


__all__ = [
    "CHOICE_KINDS",
    "CommentMark",
    "Finding",
    "HiddenKind",
    "ImportChoices",
    "ImportReport",
    "WordImport",
    "comment_mark",
    "import_docx",
    "import_file",
    "import_text",
]
