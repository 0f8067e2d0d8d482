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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...errors import ExitCode, InvalidInputError
from ._audit import CommentMark, Finding, comment_mark
from ._choices import CHOICE_KINDS, HiddenKind, ImportChoices, TrackedChoice


class WordImport(BaseModel):
    """The audit of one Word original and, when every kind found is decided, its marked-up Markdown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="The .docx as named.")
    findings: list[Finding] = Field(description="Every piece of hidden content, in part order.")
    marks: list[CommentMark] = Field(description="Comments that are marks, applied to their ranges.")
    decisions: dict[str, str] = Field(description="The decision applied to each kind found.")
    undecided: list[HiddenKind] = Field(description="Kinds found without a decision: nothing is converted.")
    markdown: str = Field(
        default="",
        exclude=True,
        description="The marked-up Markdown (empty while anything is undecided); written to the file, not in JSON.",
    )
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


def import_docx(
    path: Path | str, choices: ImportChoices | None = None, grounds: Any = None, *, shown: str | None = None
) -> WordImport:
    """Audit a Word original and, when every kind of hidden content found is decided, convert it.

    Args:
        path: The .docx file.
        choices: The decisions per kind; none by default, so any hidden content stops the import.
        grounds: Where the known grounds come from (see :func:`..citations.grounds_data`), for comment marks.
        shown: The name errors give the file (``path`` by default).

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
    name = shown or str(path)
    package = read_package(path, name)
    styles = Styles(package)
    findings, marks = audit(package, styles, grounds)
    kinds = list(dict.fromkeys(f.kind for f in findings))
    decisions = {k.value: d for k in kinds if (d := choices.decision(k)) is not None}
    undecided = [k for k in kinds if choices.decision(k) is None]
    base = {"source": name, "findings": findings, "marks": marks, "decisions": decisions, "undecided": undecided}
    if undecided:
        return WordImport(**base)
    shown_kinds: set[HiddenKind] = {k for k in CHOICE_KINDS if choices.decision(k) == "show"}
    converter = Converter(package, styles, Decisions(choices.tracked_changes != "reject", shown_kinds), marks)
    raw = converter.convert(findings)
    if "[TABLE]" in raw:
        raise InvalidInputError(
            "a table could not be converted to a Markdown table (a table inside a cell?)", file=name
        )
    text = out.numbers(raw, converter.labels)
    text = out.marks(text, converter.segments, name)
    final = out.tidy(out.review(text, converter.review_kinds, keep=True))
    checked = out.tidy(out.review(text, converter.review_kinds, keep=False))
    _check_markup(checked, name)
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


def docx_text(path: Path | str, shown: str | None = None) -> str:
    """Every piece of text a Word document holds, hidden or not, one paragraph a line (for what must appear nowhere).

    Raises:
        InvalidInputError: As :func:`import_docx`, for an unreadable package.
    """
    from ._package import read_package, w

    package = read_package(path, shown)
    lines: list[str] = []
    for name in sorted(package.parts):
        if not name.endswith(".xml") or not name.startswith(("word/", "docProps/", "customXml/")):
            continue
        root = package.xml(name)
        for paragraph in root.iter(w("p")):
            text = "".join(n.text or "" for n in paragraph.iter(w("t"), w("delText"), w("instrText")))
            if text.strip():
                lines.append(text)
        if not name.startswith("word/"):
            lines.extend(t.strip() for t in root.itertext() if t.strip())
    return "\n".join(lines)


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
        choices = [k.value for k in result.undecided if k is not HiddenKind.TRACKED_CHANGES]
        how = ["--tracked-changes accept|reject"] if HiddenKind.TRACKED_CHANGES in result.undecided else []
        if choices:
            how.append(f"--show or --omit for {', '.join(choices)}")
        lines.append(f"nothing written: hidden content waits for a decision ({'; '.join(how)})")
    return "\n".join(lines)


__all__ = [
    "CHOICE_KINDS",
    "CommentMark",
    "Finding",
    "HiddenKind",
    "ImportChoices",
    "ImportReport",
    "TrackedChoice",
    "WordImport",
    "comment_mark",
    "docx_text",
    "import_docx",
    "import_file",
    "import_text",
]
