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

import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError, PolicyError
from ..results import Violation
from ._markup_rules import plain_text
from .markup import MarkedDocument, Span, find_mark, parse_markup

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
    boxed: str = Field(
        default="",
        description="The released Markdown with each marker tagged to be drawn as a redaction box "
        "(render it with redactions=True; its Markdown rendering is ``markdown``).",
    )
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
    format: str = Field(description="md, html, docx or pdf.")
    title: str = Field(description="Document title.")
    grounds: list[str] = Field(description="Ground ids cited, in statutory order.")
    withheld: int = Field(description="Withheld passages.")
    out_of_scope: int = Field(description="Out-of-scope passages.")
    warnings: list[str] = Field(description="Advice from the grounds policy.")
    violations: list[Violation] = Field(
        default_factory=list, description="Why the grounds policy refused the markup; nothing is written when any."
    )
    written: bool = Field(default=True, description="Whether the release was written.")
    review: bool = Field(
        default=False, description="True when a review copy (withheld text shown, NOT FOR RELEASE) was written."
    )

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
        text = plain_text(tokens[0].children or []) if tokens else ""
        title = " ".join(text.split())
        if title:
            return title
    # Not the file name: a name can say what a withheld passage is about.
    return UNTITLED


def _line_prefix(text: str, at: int) -> str:
    """What continues the line structure at ``at`` on a new line: quote marks kept, the rest as spaces."""
    begin = text.rfind("\n", 0, at) + 1
    return "".join(c if c in "> \t" else " " for c in text[begin:at])


# A line that may start a numbered paragraph: optional indentation or quote marks, then "6." or "6)".
_NUMBERED_LINE = re.compile(r"^[ \t>]*\d{1,9}[.)]", re.M)


def _block_parts(doc: MarkedDocument) -> dict[int, tuple[str | None, ...]]:
    """What each withheld block holds at its top level, by region start.

    Each numbered paragraph gives its number as written (``6.``), each run of other
    blocks None. The document is parsed again, the same way :mod:`.markup` parsed it, only when some block
    has a line that could start a numbered paragraph; a block without one is one marker.
    """
    from .markup import markup_parser

    blocks = [r for r in doc.regions if r.span.block]
    if not any(_NUMBERED_LINE.search(doc.text, r.start, r.end) for r in blocks):
        return {}
    found: dict[int, tuple[str | None, ...]] = {}
    parts: list[str | None] = []
    top = -1  # the level of the open block's children; -1 outside a block
    ordered = False
    depth = 0
    found_at = -1
    for token in markup_parser().parse(doc.text, {}):
        kind = token.type
        if kind == "container_marked_open":
            if not depth:
                top, parts = token.level + 1, []
                found_at = token.meta.get("line_start", token.meta["start"])
            elif depth == 1 and (not parts or parts[-1] is not None):
                parts.append(None)
            depth += 1
            continue
        if kind == "container_marked_close":
            depth -= 1
            if not depth:
                found[found_at] = tuple(parts)
                top = -1
            continue
        if depth != 1 or token.nesting < 0:
            continue
        if token.level == top:
            ordered = kind == "ordered_list_open"
            if not ordered and (not parts or parts[-1] is not None):
                parts.append(None)
        elif token.level == top + 1 and ordered and kind == "list_item_open":
            parts.append(f"{token.info}{token.markup}")
    return found


def _block_marker(parts: tuple[str | None, ...], marker: str, prefix: str) -> str:
    """A block's marker: one per numbered paragraph it holds (keeping the number), one per run of other text."""
    if not any(parts):
        return marker
    out = []
    previous: str | None = None
    for n, part in enumerate(parts):
        if n:
            # Items of one list stay one list; anything else starts a new paragraph.
            out.append(
                "\n" + prefix if part is not None and previous is not None else "\n" + prefix.rstrip() + "\n" + prefix
            )
        out.append(marker if part is None else f"{part} {marker}")
        previous = part
    return "".join(out)


def _cut(doc: MarkedDocument, replacements: list[str]) -> str:
    """The source with region ``k`` replaced by ``replacements[k]``; every other byte as it was."""
    text = doc.text
    pieces: list[str] = []
    cursor = 0
    for region, replacement in zip(doc.regions, replacements, strict=True):
        pieces.append(text[cursor : region.start])
        if region.blank_before is not None:
            pieces.append(region.blank_before.rstrip() + "\n" + region.blank_before)
        pieces.append(replacement)
        if region.blank_after is not None:
            pieces.append("\n" + region.blank_after)
        cursor = region.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _markers(
    doc: MarkedDocument,
    markers: list[str],
    tag: Callable[[Span, str], str],
    parts: dict[int, tuple[str | None, ...]],
) -> list[str]:
    index = {id(span): i for i, span in enumerate(doc.spans)}
    out = []
    for region in doc.regions:
        marker = tag(region.span, markers[index[id(region.span)]])
        if region.start in parts:
            prefix = region.blank_before if region.blank_before is not None else _line_prefix(doc.text, region.start)
            marker = _block_marker(parts[region.start], marker, prefix)
        out.append(marker)
    return out


def redact_document(doc: MarkedDocument, engine: PolicyEngine, style: str = DEFAULT_STYLE) -> RedactedDocument:
    """Redact a parsed document: every marked region becomes its marker.

    A withheld block keeps the numbers of the numbered paragraphs it holds, each
    with its own marker (``6. s.6(c) OIA [REDACTED]``), so the release's paragraph
    numbers are the original's.

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
    from ..render import box_marker, md_escape, unmark

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
    parts = _block_parts(doc)
    released = _cut(doc, _markers(doc, markers, lambda span, marker: marker, parts))
    # The same cut with each marker tagged for drawing as a box; released text that holds
    # the tagging characters loses them, so only a marker is ever drawn as a redaction.
    tagged = _markers(doc, markers, lambda span, marker: box_marker(span.grounds, marker), parts)
    boxed = _cut(_untagged(doc, unmark), tagged)
    return RedactedDocument(
        markdown=released,
        boxed=boxed,
        title=_title(doc, markers),
        grounds=list(doc.grounds),
        withheld=doc.withheld,
        out_of_scope=doc.out_of_scope,
        source=doc.name,
        warnings=warnings,
    )


def _untagged(doc: MarkedDocument, unmark: Callable[[str], str]) -> MarkedDocument:
    """``doc`` with the tagging characters gone from its text (same length, so regions still fit)."""
    from dataclasses import replace

    clean = unmark(doc.text)
    return doc if clean == doc.text else replace(doc, text=clean)


def _span_inner(text: str, start: int, end: int) -> str:
    """The Markdown inside an inline span ``[inner]{attrs}`` at ``text[start:end]``."""
    from mdit_py_plugins.attrs.parse import ParseError, parse

    at = end
    while True:
        at = text.rfind("]{", start, at)
        if at < start:
            raise InvalidInputError("cannot read back a marked span for the review copy", location=str(start))
        try:
            used, _ = parse(text[at + 1 : end])
        except ParseError:
            continue
        if at + 1 + used == end - 1:
            return text[start + 1 : at]


def review_markdown(doc: MarkedDocument) -> str:
    """The review copy's Markdown: every marked passage kept, tagged with its grounds for highlighting.

    A span's text is kept between :func:`macip_gov.render.review_open` and
    :data:`macip_gov.render.REVIEW_CLOSE`; a block's content between two tag
    paragraphs. Markup nested inside a marked passage is shown as written. Render
    it with ``review=True``: every page then says REVIEW COPY – NOT FOR RELEASE.
    This is the one document that carries withheld text; it is never a release.

    Args:
        doc: From :func:`macip_gov.oia.markup.parse_markup`.

    Returns:
        The tagged Markdown.
    """
    from ..render import REVIEW_CLOSE, review_open, unmark

    clean = _untagged(doc, unmark)
    text = clean.text
    out = []
    for region in clean.regions:
        label = review_open(region.span.grounds)
        if not region.span.block:
            out.append(label + _span_inner(text, region.start, region.end) + REVIEW_CLOSE)
            continue
        opener = region.start + len(region.blank_before or "")
        prefix = region.blank_before if region.blank_before is not None else _line_prefix(text, opener)
        body_start = text.find("\n", opener, region.end) + 1
        body_end = text.rfind("\n", opener, region.end) + 1
        body = text[body_start:body_end] if 0 < body_start <= body_end else ""
        gap = prefix.rstrip() + "\n"
        out.append(f"{label}\n{gap}{body}{gap}{prefix}{REVIEW_CLOSE}")
    return _cut(clean, out)


def write_redacted(redacted: RedactedDocument, path: Path | str, fmt: str | None = None) -> Path:
    """Write a redacted document as md, html, docx or pdf (format from the suffix when None).

    Every format is rendered from the released text and ``redacted.title`` only: Markdown
    from ``redacted.markdown``, HTML, DOCX and PDF from ``redacted.boxed``, where each marker
    is drawn as a shaded box a screen reader reads as "withheld under section 6(c)".

    Raises:
        InvalidInputError: The format cannot be told or is unknown.
        PolicyError: The grounds policy refused this redaction: there is nothing to write.
    """
    from ..render import format_for, write_document

    if redacted.refused:
        raise PolicyError(f"{redacted.source}: the grounds policy refused this redaction; nothing is written")
    chosen = format_for(path, fmt)
    if chosen == "md" or not redacted.boxed:
        return write_document(redacted.markdown, path, chosen, title=redacted.title)
    return write_document(redacted.boxed, path, chosen, title=redacted.title, redactions=True)


def redact_file(
    source: Path | str,
    output: Path | str,
    engine: Callable[[], PolicyEngine],
    *,
    fmt: str | None = None,
    style: str = DEFAULT_STYLE,
    review: bool = False,
) -> RedactionReport:
    """Read a marked-up document, redact it and write the release; nothing is written on error.

    With ``review`` the file written is instead the decision maker's review copy:
    the released text with every withheld passage shown, highlighted with its
    grounds, and REVIEW COPY – NOT FOR RELEASE on every page (see :func:`review_markdown`).

    Args:
        source: The marked-up Markdown file (``-`` for standard input).
        output: The file to write.
        engine: A function returning a loaded policy engine, called only once the
            input has been read and its markup parsed, so bad input fails fast
            without loading the policies (pass ``lambda: engine`` for one at hand).
        fmt: ``md``, ``html``, ``docx`` or ``pdf``; from the output suffix when None.
        style: Marker template (see :func:`redact_document`).
        review: Write the review copy rather than the release.

    Returns:
        What was written; when the grounds policy refuses a cited ground, the
        refusal (``written`` False, exit code 1) and nothing is written.

    Raises:
        InvalidInputError: Unreadable input, malformed markup, bad style or format,
            or an output path that is the source itself.
        PolicyError: The grounds policy failed.
    """
    from ..inputs import read_text
    from ..render import format_for, write_document

    chosen = format_for(output, fmt)
    MarkerStyle(style)
    if str(source) != "-" and Path(output).resolve() == Path(source).resolve():
        raise InvalidInputError("the output would overwrite the marked-up original", file=str(output))
    name = str(source)
    doc = parse_markup(read_text(source), name)
    redacted = redact_document(doc, engine(), style)
    if not redacted.refused:
        if review:
            write_document(review_markdown(doc), output, chosen, title=redacted.title, review=True)
        else:
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
        review=review and not redacted.refused,
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
    "review_markdown",
    "write_redacted",
]
