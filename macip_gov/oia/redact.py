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
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError, PolicyError, PolicyViolation
from .markup import MarkedDocument, find_mark, parse_markup

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


def check_grounds(doc: MarkedDocument, engine: Any) -> list[str]:
    """Ask the grounds policy about every ground the markup cites (nested ones too).

    Args:
        doc: The parsed document.
        engine: A loaded policy engine.

    Returns:
        Warnings, each ``file:line: message``.

    Raises:
        PolicyViolation: A ground is unknown, or is a refusal ground (s 10, s 18)
            used to withhold a passage. Names the file and the first line citing it.
        PolicyError: The engine failed or answered with something unexpected.
    """
    cited = list(dict.fromkeys(g for span in doc.all_spans() for g in span.grounds))
    if not cited:
        return []
    decision = engine.evaluate("oia.grounds.decision", {"grounds": cited, "use": "withhold"})
    try:
        denies = [dict(v) for v in decision["deny"]]
        warns = [dict(v) for v in decision["warn"]]
        known = {g["id"] for g in decision["grounds"]}
        for v in denies + warns:
            str(v["msg"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"oia.grounds.decision returned an unexpected document ({exc})") from None
    # Fail closed: a ground the policy neither describes nor denies is not accepted.
    silent = [
        g for g in cited if g not in known and not any((v.get("details") or {}).get("ground") == g for v in denies)
    ]
    if silent:
        raise PolicyError(f"oia.grounds.decision said nothing about {', '.join(silent)}")
    if denies:
        for v in denies:
            ground = (v.get("details") or {}).get("ground")
            line = _violation_line(doc, ground)
            v["file"] = doc.name
            v["line"] = line
        denies.sort(key=lambda v: (v["line"] or 0, v["msg"]))
        first = denies[0]
        message = "; ".join(dict.fromkeys(str(v["msg"]) for v in denies))
        raise PolicyViolation(
            message,
            violations=denies,
            file=doc.name,
            location=str(first["line"]) if first["line"] else None,
        )
    out: list[tuple[int, str]] = []
    for v in warns:
        line = _violation_line(doc, (v.get("details") or {}).get("ground"))
        where = f"{doc.name}:{line}" if line else doc.name
        out.append((line or 0, f"{where}: {v['msg']}"))
    return [w for _, w in sorted(set(out))]


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


def redact_document(doc: MarkedDocument, engine: Any, style: str = DEFAULT_STYLE) -> RedactedDocument:
    """Redact a parsed document: every marked region becomes its marker.

    Args:
        doc: From :func:`macip_gov.oia.markup.parse_markup`.
        engine: A loaded policy engine; ``oia.grounds.decision`` validates the grounds.
        style: Marker template for withheld text; placeholders ``{citations}``,
            ``{grounds}``, ``{sections}`` (see :data:`STYLE_FIELDS`).

    Returns:
        The released Markdown with its title, grounds and counts.

    Raises:
        InvalidInputError: The style is not a valid marker template.
        PolicyViolation: A cited ground is unknown or is a refusal ground.
        PolicyError: The grounds policy failed.
    """
    from ..render import md_escape

    marker_style = MarkerStyle(style)
    warnings = check_grounds(doc, engine)
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
    """
    from ..render import write_document

    return write_document(redacted.markdown, path, fmt, title=redacted.title)


def redact_file(
    source: Path | str,
    output: Path | str,
    engine: Any,
    *,
    fmt: str | None = None,
    style: str = DEFAULT_STYLE,
) -> RedactionReport:
    """Read a marked-up document, redact it and write the release; nothing is written on error.

    Args:
        source: The marked-up Markdown file (``-`` for standard input).
        output: The file to write.
        engine: A loaded policy engine, or a function returning one: it is then
            called only once the input has been read and its markup parsed, so
            bad input fails fast without loading the policies.
        fmt: ``md``, ``html`` or ``docx``; from the output suffix when None.
        style: Marker template (see :func:`redact_document`).

    Returns:
        What was written.

    Raises:
        InvalidInputError: Unreadable input, malformed markup, bad style or format,
            or an output path that is the source itself.
        PolicyViolation: A cited ground is unknown or a refusal ground.
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
    if not hasattr(engine, "evaluate") and callable(engine):
        engine = engine()
    redacted = redact_document(doc, engine, style)
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
    )


__all__ = [
    "DEFAULT_STYLE",
    "OUT_OF_SCOPE_MARKER",
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
