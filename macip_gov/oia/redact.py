"""Redaction: cut withheld and out-of-scope passages from a marked-up document.

The release is built from the source text, not from a rendering of it: every
marked region (:mod:`.markup`) is replaced by its marker, and every byte outside
the regions is copied unchanged. HTML and DOCX are then rendered from that
redacted Markdown only (:mod:`macip_gov.render`), and the title is taken from
it too, so withheld text has no path into any output: not text, attributes, link
targets, image sources, the page title or document properties.

Markers follow the style of real releases: ``s.9(2)(a) OIA [REDACTED]``, with
several grounds as ``s.6(c) OIA, s.9(2)(g)(i) OIA [REDACTED]``; a block becomes
one marker paragraph; out-of-scope text becomes ``[Out of scope]``. The marker
template (``--style``) can name the grounds and nothing else, so a style cannot
echo withheld text.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError, PolicyError
from ..results import Violation
from .markup import MarkedDocument, find_mark, parse_markup

if TYPE_CHECKING:
    from ..engine import PolicyEngine

DEFAULT_STYLE = "{citations} [REDACTED]"
"""The marker for withheld text, as in the reference release: ``s.6(c) OIA [REDACTED]``."""
OUT_OF_SCOPE_MARKER = "[Out of scope]"
"""The marker for text outside the request."""
UNTITLED = "Released document"
"""The title of a release whose released text has no heading."""
STYLE_FIELDS = {
    "citations": "the grounds as releases cite them: s.6(c) OIA, s.9(2)(g)(i) OIA",
    "grounds": "the bare ground ids: 6(c), 9(2)(g)(i)",
    "sections": "the grounds as sections: section 6(c), section 9(2)(g)(i)",
}
_MAX_STYLE = 200


def _refusal(source: str, violations: list[Violation]) -> str:
    if not violations:
        return ""
    first = violations[0]
    where = f"{source}:{first.line}" if first.line else source
    return f"{where}: " + "; ".join(dict.fromkeys(v.msg for v in violations))


class RedactedDocument(BaseModel):
    """A redacted release of one document, as Markdown, ready to render."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    markdown: str = Field(description="The released Markdown: source text with markers in place of marked regions.")
    title: str = Field(description="Document title, from the first heading of the released text.")
    grounds: list[str] = Field(description="Ground ids the markers cite, in statutory order.")
    withheld: int = Field(description="Number of withheld passages (markers).")
    out_of_scope: int = Field(description="Number of out-of-scope passages.")
    source: str = Field(default="", description="The source document's name.")
    warnings: list[str] = Field(default_factory=list, description="Advice from the grounds policy, with lines.")
    violations: list[Violation] = Field(
        default_factory=list,
        description="Why the grounds policy refused the markup (unknown ground, refusal ground used to "
        "withhold), each with its line; when any, nothing is released and markdown is empty.",
    )

    @property
    def refused(self) -> bool:
        """True when the grounds policy refused the markup: there is nothing to publish."""
        return bool(self.violations)

    def refusal(self) -> str:
        """The refusal as one line: ``file:line: message; message`` (empty when not refused)."""
        return _refusal(self.source, self.violations)


class RedactionReport(BaseModel):
    """What ``oia redact`` wrote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(description="The marked-up document.")
    output: str = Field(description="The file written.")
    format: str = Field(description="md, html or docx.")
    title: str = Field(description="Document title.")
    grounds: list[str] = Field(description="Ground ids cited, in statutory order.")
    withheld: int = Field(description="Withheld passages.")
    out_of_scope: int = Field(description="Out-of-scope passages.")
    warnings: list[str] = Field(description="Advice from the grounds policy.")
    violations: list[Violation] = Field(
        default_factory=list, description="Why the grounds policy refused the markup; nothing is written when any."
    )
    written: bool = Field(default=True, description="Whether the release was written.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when the release was written, DENIED when the grounds policy refused the markup."""
        return ExitCode.OK if self.written else ExitCode.DENIED

    def refusal(self) -> str:
        """The refusal as one line: ``file:line: message; message`` (empty when written)."""
        return _refusal(self.source, self.violations)


# --------------------------------------------------------------------------- markers


class MarkerStyle:
    """A validated marker template: literal text plus ground placeholders only."""

    def __init__(self, template: str):
        self.template = template
        problem = self._problem(template)
        if problem:
            raise InvalidInputError(f"{problem} (in {template!r})", file="--style")

    @staticmethod
    def _problem(template: str) -> str | None:
        if not template.strip():
            return "the marker style is empty"
        if template != template.strip():
            return "the marker style must not start or end with spaces"
        if len(template) > _MAX_STYLE:
            return f"the marker style is longer than {_MAX_STYLE} characters"
        if any(ord(c) < 32 or ord(c) == 127 for c in template):
            return "the marker style must be one line of text"
        if find_mark(template) is not None:
            return "the marker style cannot contain redaction markup"
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError as exc:
            return f"the marker style is not a valid template: {exc} (write {{{{ and }}}} for braces)"
        fields = [f for _, f, _, _ in parsed if f is not None]
        allowed = ", ".join("{" + k + "}" for k in STYLE_FIELDS)
        for _, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in STYLE_FIELDS:
                return f"unknown placeholder {{{name}}}; the marker style may use {allowed}"
            if spec or conversion:
                return f"placeholder {{{name}}} takes no format or conversion"
        if not fields:
            return f"the marker style must name the grounds with one of {allowed}"
        return None

    def marker(self, grounds: tuple[str, ...]) -> str:
        """The marker text for a withheld passage on these grounds."""
        return self.template.format(
            citations=", ".join(f"s.{g} OIA" for g in grounds),
            grounds=", ".join(grounds),
            sections=", ".join(f"section {g}" for g in grounds),
        )


# --------------------------------------------------------------------------- redaction


def _violation_line(doc: MarkedDocument, ground: str | None) -> int | None:
    for span in doc.all_spans():
        if ground is None or ground in span.grounds:
            return span.line
    return None


class GroundsCheck(BaseModel):
    """The grounds policy's answer on a document's markup."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    violations: list[Violation] = Field(description="Grounds refused, each with the first line citing it.")
    warnings: list[str] = Field(description="Advice, each ``file:line: message``.")


def check_grounds(doc: MarkedDocument, engine: PolicyEngine) -> GroundsCheck:
    """Ask the grounds policy about every ground the markup cites (nested ones too).

    Args:
        doc: The parsed document.
        engine: A loaded policy engine.

    Returns:
        The refusals (a ground unknown, or a refusal ground (s 10, s 18) used to
        withhold a passage), ordered by line, and the warnings.

    Raises:
        PolicyError: The engine failed or answered with something unexpected.
    """
    from ..results import parse_results

    query = "oia.grounds.decision"
    cited = list(dict.fromkeys(g for span in doc.all_spans() for g in span.grounds))
    if not cited:
        return GroundsCheck(violations=[], warnings=[])
    decision = engine.evaluate(query, {"grounds": cited, "use": "withhold"})
    if not isinstance(decision, dict):
        raise PolicyError(f"{query} returned {type(decision).__name__}, not a decision")
    try:
        denies = parse_results(decision.get("deny"), query=query, what="deny", effect="deny")
        warns = parse_results(decision.get("warn"), query=query, what="warn", effect="warn")
        known = {g["id"] for g in decision["grounds"]}
    except (KeyError, TypeError) as exc:
        raise PolicyError(f"{query} returned an unexpected document ({exc})") from None
    # Fail closed: a ground the policy neither describes nor denies is not accepted.
    silent = [g for g in cited if g not in known and not any(v.details.get("ground") == g for v in denies)]
    if silent:
        raise PolicyError(f"{query} said nothing about {', '.join(silent)}")
    violations = sorted(
        (
            v.model_copy(update={"document": doc.name, "line": _violation_line(doc, v.details.get("ground"))})
            for v in denies
        ),
        key=lambda v: (v.line or 0, v.msg),
    )
    out: list[tuple[int, str]] = []
    for v in warns:
        line = _violation_line(doc, v.details.get("ground"))
        where = f"{doc.name}:{line}" if line else doc.name
        out.append((line or 0, f"{where}: {v.msg}"))
    return GroundsCheck(violations=violations, warnings=[w for _, w in sorted(set(out))])


def _title(doc: MarkedDocument, markers: list[str]) -> str:
    from ..render import markdown_parser

    if doc.heading is not None:
        content, marks = doc.heading
        pieces, cursor = [], 0
        for start, end, index in marks:
            pieces.append(content[cursor:start])
            pieces.append(markers[index])
            cursor = end
        pieces.append(content[cursor:])
        tokens = markdown_parser().parseInline("".join(pieces))
        text = _plain(tokens[0].children or []) if tokens else ""
        title = " ".join(text.split())
        if title:
            return title
    # Not the file name: a name can say what a withheld passage is about.
    return UNTITLED


def _plain(tokens: list[Any]) -> str:
    out = []
    for token in tokens:
        if token.type in ("text", "code_inline", "text_special"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif token.type == "image":
            out.append(_plain(token.children or []))
    return "".join(out)


def redact_document(doc: MarkedDocument, engine: PolicyEngine, style: str = DEFAULT_STYLE) -> RedactedDocument:
    """Redact a parsed document: every marked region becomes its marker.

    Args:
        doc: From :func:`macip_gov.oia.markup.parse_markup`.
        engine: A loaded policy engine; ``oia.grounds.decision`` validates the grounds.
        style: Marker template for withheld text; placeholders ``{citations}``,
            ``{grounds}``, ``{sections}`` (see :data:`STYLE_FIELDS`).

    Returns:
        The released Markdown with its title, grounds and counts; or, when the
        grounds policy refuses a cited ground (unknown, or a refusal ground used
        to withhold), its violations and no released text.

    Raises:
        InvalidInputError: The style is not a valid marker template.
        PolicyError: The grounds policy failed.
    """
    from ..render import md_escape

    marker_style = MarkerStyle(style)
    checked = check_grounds(doc, engine)
    warnings = checked.warnings
    if checked.violations:
        return RedactedDocument(
            markdown="",
            title=UNTITLED,
            grounds=list(doc.grounds),
            withheld=doc.withheld,
            out_of_scope=doc.out_of_scope,
            source=doc.name,
            warnings=warnings,
            violations=checked.violations,
        )
    markers = [
        md_escape(marker_style.marker(span.grounds) if span.kind == "withhold" else OUT_OF_SCOPE_MARKER)
        for span in doc.spans
    ]
    index = {id(span): i for i, span in enumerate(doc.spans)}
    text = doc.text
    pieces: list[str] = []
    cursor = 0
    for region in doc.regions:
        pieces.append(text[cursor : region.start])
        marker = markers[index[id(region.span)]]
        if region.blank_before is not None:
            pieces.append(region.blank_before.rstrip() + "\n" + region.blank_before)
        pieces.append(marker)
        if region.blank_after is not None:
            pieces.append("\n" + region.blank_after)
        cursor = region.end
    pieces.append(text[cursor:])
    return RedactedDocument(
        markdown="".join(pieces),
        title=_title(doc, markers),
        grounds=list(doc.grounds),
        withheld=doc.withheld,
        out_of_scope=doc.out_of_scope,
        source=doc.name,
        warnings=warnings,
    )


def write_redacted(redacted: RedactedDocument, path: Path | str, fmt: str | None = None) -> Path:
    """Write a redacted document as md, html or docx (format from the suffix when None).

    Every format is rendered from ``redacted.markdown`` and ``redacted.title`` only.

    Raises:
        InvalidInputError: The format cannot be told or is unknown.
        PolicyError: The grounds policy refused this redaction: there is nothing to write.
    """
    from ..render import write_document

    if redacted.refused:
        raise PolicyError(f"{redacted.source}: the grounds policy refused this redaction; nothing is written")

    return write_document(redacted.markdown, path, fmt, title=redacted.title)


def redact_file(
    source: Path | str,
    output: Path | str,
    engine: Callable[[], PolicyEngine],
    *,
    fmt: str | None = None,
    style: str = DEFAULT_STYLE,
) -> RedactionReport:
    """Read a marked-up document, redact it and write the release; nothing is written on error.

    Args:
        source: The marked-up Markdown file (``-`` for standard input).
        output: The file to write.
        engine: A function returning a loaded policy engine, called only once the
            input has been read and its markup parsed, so bad input fails fast
            without loading the policies (pass ``lambda: engine`` for one at hand).
        fmt: ``md``, ``html`` or ``docx``; from the output suffix when None.
        style: Marker template (see :func:`redact_document`).

    Returns:
        What was written; when the grounds policy refuses a cited ground, the
        refusal (``written`` False, exit code 1) and nothing is written.

    Raises:
        InvalidInputError: Unreadable input, malformed markup, bad style or format,
            or an output path that is the source itself.
        PolicyError: The grounds policy failed.
    """
    from ..inputs import read_text
    from ..render import format_for

    chosen = format_for(output, fmt)
    MarkerStyle(style)
    if str(source) != "-" and Path(output).resolve() == Path(source).resolve():
        raise InvalidInputError("the output would overwrite the marked-up original", file=str(output))
    name = str(source)
    doc = parse_markup(read_text(source), name)
    redacted = redact_document(doc, engine(), style)
    if not redacted.refused:
        write_redacted(redacted, output, chosen)
    return RedactionReport(
        source=name,
        output=str(output),
        format=chosen,
        title=redacted.title,
        grounds=redacted.grounds,
        withheld=redacted.withheld,
        out_of_scope=redacted.out_of_scope,
        warnings=redacted.warnings,
        violations=redacted.violations,
        written=not redacted.refused,
    )


__all__ = [
    "DEFAULT_STYLE",
    "OUT_OF_SCOPE_MARKER",
    "GroundsCheck",
    "STYLE_FIELDS",
    "UNTITLED",
    "MarkerStyle",
    "RedactedDocument",
    "RedactionReport",
    "check_grounds",
    "redact_document",
    "redact_file",
    "write_redacted",
]
