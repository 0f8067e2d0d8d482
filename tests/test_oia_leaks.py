"""Property tests: redaction never leaks, never changes released text, and is idempotent.

Random documents are built from every construct the markup can hold (paragraphs,
multi-line spans, ATX and setext headings, lists, block quotes, tables with
escaped pipes, fenced code, links, images, autolinks, code spans, emphasis) with
random withheld and out-of-scope spans and blocks. The generator also writes the
Markdown it expects: the source with each marked region replaced by its marker.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import pdf_read
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import OUT_OF_SCOPE_MARKER, redact_document, review_markdown
from macip_gov.render import markdown_to_docx, markdown_to_html, md_escape, plain_markdown, render_document

RELEASED = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
]
# Withheld words: a prefix no released word, marker, HTML or DOCX part contains.
SECRET = st.builds(lambda tail: "zq" + tail, st.text(alphabet="bcdfhjkmnpvwxy", min_size=3, max_size=7))
GROUNDS = ["6(c)", "9(2)(a)", "9(2)(g)(i)", "9(2)(ba)(i)", "6(c) 9(2)(g)(i)", "s.9(2)(a) OIA", "9(2)(g)"]
CITED = {
    "6(c)": ("6(c)",),
    "9(2)(a)": ("9(2)(a)",),
    "9(2)(g)(i)": ("9(2)(g)(i)",),
    "9(2)(ba)(i)": ("9(2)(ba)(i)",),
    "6(c) 9(2)(g)(i)": ("6(c)", "9(2)(g)(i)"),
    "s.9(2)(a) OIA": ("9(2)(a)",),
    "9(2)(g)": ("9(2)(g)",),
}


@dataclass
class Doc:
    """A generated document and what its release must be."""

    source: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)  # released words shown as text

    def emit(self, text: str, expected: str | None = None) -> None:
        self.source.append(text)
        self.expected.append(text if expected is None else expected)


def marker(grounds: str | None) -> str:
    if grounds is None:
        return md_escape(OUT_OF_SCOPE_MARKER)
    return md_escape(", ".join(f"s.{g} OIA" for g in CITED[grounds]) + " [REDACTED]")


def attrs(grounds: str | None) -> str:
    return "{.out-of-scope}" if grounds is None else f'{{.withhold ground="{grounds}"}}'


def word(draw, secret: bool, doc: Doc) -> str:
    if secret:
        w = draw(SECRET)
        doc.secrets.add(w)
        return w
    return draw(st.sampled_from(RELEASED))


def piece(draw, secret: bool, doc: Doc, *, in_table: bool) -> str:
    """One inline construct; its words are withheld words when ``secret``."""
    kind = draw(st.integers(0, 11))
    w = lambda: word(draw, secret, doc)  # noqa: E731
    if kind == 0 or kind == 11:
        text = w()
        if not secret:
            doc.plain.add(text)
        return text
    if kind == 1:
        return f"*{w()}*"
    if kind == 2:
        return f"**{w()} {w()}**"
    if kind == 3:
        return f"`{w()} {w()}`"
    if kind == 4:
        return f"[{w()} {w()}](https://example.org/{w()})"
    if kind == 5:
        return f"![{w()}](https://example.org/{w()}.png)"
    if kind == 6:
        return f"<https://example.org/{w()}>"
    if kind == 7:
        return f"~~{w()}~~"
    if kind == 8:
        return f'[{w()}](https://example.org/p "{w()}")'
    if kind == 9:
        return f"_{w()}_"
    return f"{w()}\\|{w()}" if in_table else f"{w()} &amp; {w()}"


def inline(
    draw, doc: Doc, *, secret: bool, newline: str | None, in_table: bool = False, spans: bool = True
) -> tuple[str, str]:
    """Inline Markdown and its expected release; ``newline`` continues a line, None forbids it."""
    source: list[str] = []
    expected: list[str] = []
    for i in range(draw(st.integers(1, 5))):
        sep = " "
        if i and newline is not None and draw(st.integers(0, 4)) == 0:
            sep = newline
        if i:
            source.append(sep)
            expected.append(sep)
        if spans and secret and draw(st.integers(0, 3)) == 0:  # nested markup in a block
            text = "[" + word(draw, True, doc) + "]" + attrs(draw(st.sampled_from([*GROUNDS, None])))
            source.append(text)
            expected.append(text)
        elif spans and not secret and draw(st.integers(0, 2)) == 0:
            grounds = draw(st.sampled_from([*GROUNDS, None]))
            inner_src, _ = inline(draw, doc, secret=True, newline=newline, in_table=in_table, spans=False)
            if draw(st.booleans()):  # a span nested inside withheld text: absorbed by the outer one
                inner_src += " [" + word(draw, True, doc) + "]" + attrs(draw(st.sampled_from(GROUNDS)))
            span_src, span_exp = f"[{inner_src}]{attrs(grounds)}", marker(grounds)
            wrap = draw(st.integers(0, 4))
            if wrap == 1:  # inside emphasis
                span_src, span_exp = f"**{span_src}**", f"**{span_exp}**"
            elif wrap == 2:  # inside the text of a released link
                w = draw(st.sampled_from(RELEASED))
                span_src, span_exp = (
                    f"[{w} {span_src}](https://example.org/{w})",
                    f"[{w} {span_exp}](https://example.org/{w})",
                )
            source.append(span_src)
            expected.append(span_exp)
        else:
            text = piece(draw, secret, doc, in_table=in_table)
            source.append(text)
            expected.append(text)
    return "".join(source), "".join(expected)


def block(draw, doc: Doc, *, secret: bool, prefix: str = "") -> list[str | None]:
    """One block, each line starting with ``prefix``: the numbers of its ordered items, or [None]."""
    kind = draw(st.integers(0, 7))
    p = prefix
    if kind == 0:  # paragraph, possibly over several lines, lazily continued in a quote
        lazy = "\n" if prefix.startswith(">") and not secret and draw(st.booleans()) else "\n" + p
        src, exp = inline(draw, doc, secret=secret, newline=lazy)
        doc.emit(p + src, p + exp)
    elif kind == 1:  # ATX heading, optional closing sequence
        level = "#" * draw(st.integers(1, 3))
        src, exp = inline(draw, doc, secret=secret, newline=None)
        close = " " + level if draw(st.booleans()) else ""
        doc.emit(f"{p}{level} {src}{close}", f"{p}{level} {exp}{close}")
    elif kind == 2:  # setext heading
        src, exp = inline(draw, doc, secret=secret, newline="\n" + p)
        under = draw(st.sampled_from(["===", "---"]))
        doc.emit(f"{p}{src}\n{p}{under}", f"{p}{exp}\n{p}{under}")
    elif kind in (3, 4):  # list, tight or loose, bullet or ordered
        ordered = kind == 4
        loose = draw(st.booleans())
        first = draw(st.sampled_from([1, 6, 14]))
        numbers: list[str | None] = []
        for n in range(draw(st.integers(1, 3))):
            bullet = f"{first + n}. " if ordered else "- "
            numbers.append(bullet.strip() if ordered else None)
            indent = p + " " * len(bullet)
            src, exp = inline(draw, doc, secret=secret, newline="\n" + indent)
            if n:
                doc.emit("\n" + p.rstrip() + "\n" if loose else "\n")
            doc.emit(p + bullet + src, p + bullet + exp)
        return numbers if ordered else [None]
    elif kind == 5:  # block quote holding any block
        block(draw, doc, secret=secret, prefix=p + "> ")
        return [None]
    elif kind == 6:  # table, with spans in cells
        cols = draw(st.integers(1, 3))
        rows = draw(st.integers(1, 3))
        head = [inline(draw, doc, secret=secret, newline=None, in_table=True) for _ in range(cols)]
        doc.emit(p + "| " + " | ".join(s for s, _ in head) + " |\n", p + "| " + " | ".join(e for _, e in head) + " |\n")
        doc.emit(p + "|" + "---|" * cols)
        for _ in range(rows):
            cells = [inline(draw, doc, secret=secret, newline=None, in_table=True) for _ in range(cols)]
            doc.emit(
                "\n" + p + "| " + " | ".join(s for s, _ in cells) + " |",
                "\n" + p + "| " + " | ".join(e for _, e in cells) + " |",
            )
    else:  # fenced code
        words = " ".join(word(draw, secret, doc) for _ in range(draw(st.integers(1, 4))))
        doc.emit(f"{p}```\n{p}{words}\n{p}```")
    return [None]


def block_marker(parts: list[str | None], marker_: str, prefix: str) -> str:
    """A withheld block's release: a marker per numbered paragraph (number kept), one per run of other blocks."""
    runs: list[str | None] = []
    for part in parts:
        if part is not None or not runs or runs[-1] is not None:
            runs.append(part)
    if runs == [None]:
        return marker_
    lines = []
    for n, part in enumerate(runs):
        if n:
            same_list = part is not None and runs[n - 1] is not None
            lines.append("\n" + prefix if same_list else "\n" + prefix.rstrip() + "\n" + prefix)
        lines.append(marker_ if part is None else f"{part} {marker_}")
    return "".join(lines)


def _quote_paragraph(draw, doc: Doc, prefix: str) -> None:
    src, exp = inline(draw, doc, secret=False, newline="\n" + prefix)
    doc.emit(prefix + src, prefix + exp)


def container(draw, doc: Doc, prefix: str, first: str) -> None:
    """A withheld or out-of-scope ::: block; ``first`` starts its opening line."""
    grounds = draw(st.sampled_from([*GROUNDS, None]))
    fence = draw(st.sampled_from([":::", "::::"]))
    doc.emit(f"{first}{fence} {attrs(grounds)}\n", first)
    at = len(doc.expected) - 1
    start = len(doc.expected)
    parts: list[str | None] = []
    for n in range(draw(st.integers(1, 3))):
        if n:
            doc.emit("\n" + prefix.rstrip() + "\n")
        if fence == "::::" and n == 0 and draw(st.booleans()):
            doc.emit(f"{prefix}::: {attrs(draw(st.sampled_from(GROUNDS)))}\n")
            block(draw, doc, secret=True, prefix=prefix)
            doc.emit(f"\n{prefix}:::")
            parts.append(None)
        else:
            parts.extend(block(draw, doc, secret=True, prefix=prefix))
    doc.emit(f"\n{prefix}{fence}")
    doc.expected[start:] = [""] * (len(doc.expected) - start)
    doc.expected[at] = first + block_marker(parts, marker(grounds), prefix)


@st.composite
def documents(draw) -> Doc:
    doc = Doc()
    for n in range(draw(st.integers(1, 6))):
        if n:
            doc.emit("\n\n")
        where = draw(st.integers(0, 5))
        if where == 0:
            container(draw, doc, "", "")
        elif where == 1:  # a block in a block quote, between quoted paragraphs
            _quote_paragraph(draw, doc, "> ")
            doc.emit("\n>\n")
            container(draw, doc, "> ", "> ")
        elif where == 2:  # a block as the first thing in a list item
            doc.emit("- ")
            container(draw, doc, "  ", "")
            doc.emit("\n\n- " + draw(st.sampled_from(RELEASED)))
        else:
            block(draw, doc, secret=False)
    doc.emit("\n")
    return doc


def docx_parts(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_redaction_is_leak_free_exact_and_idempotent(engine, doc):
    source = "".join(doc.source)
    expected = "".join(doc.expected)
    released = expected
    # A withheld word counts only if it occurs nowhere in the released text.
    secrets = {s for s in doc.secrets if len(s) >= 4 and s not in released}

    redacted = redact_document(parse_markup(source, "doc.md"), engine)

    # Markdown: byte-identical outside the marked regions, markers in them.
    assert redacted.markdown == expected
    assert plain_markdown(redacted.boxed) == expected
    html = markdown_to_html(redacted.markdown, title=redacted.title)
    docx = docx_parts(markdown_to_docx(redacted.markdown, title=redacted.title))
    boxed_html = markdown_to_html(redacted.boxed, title=redacted.title, redactions=True)
    boxed_docx = docx_parts(markdown_to_docx(redacted.boxed, title=redacted.title, redactions=True))
    outputs = {
        "md": redacted.markdown,
        "html": html,
        "boxed html": boxed_html,
        "title": redacted.title,
        **{f"docx:{name}": text for name, text in docx.items()},
        **{f"boxed docx:{name}": text for name, text in boxed_docx.items()},
    }
    for secret in secrets:
        for where, text in outputs.items():
            assert secret not in text, f"{secret!r} leaked into {where}"
    for word_ in doc.plain:
        assert word_ in html
        assert word_ in docx["word/document.xml"]

    # The review copy shows every withheld word, and renders in every format.
    review = review_markdown(parse_markup(source, "doc.md"))
    shown = plain_markdown(review)
    for secret in doc.secrets:
        assert secret in shown
    assert "REVIEW COPY" in markdown_to_html(review, title="t", review=True)
    assert "REVIEW COPY" in docx_parts(markdown_to_docx(review, title="t", review=True))["word/document.xml"]

    again = redact_document(parse_markup(redacted.markdown, "doc.md"), engine)
    assert again.markdown == redacted.markdown
    assert again.title == redacted.title
    assert markdown_to_html(again.markdown, title=again.title) == html


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_pdf_release_is_leak_free(engine, doc):
    # The PDF is read back three ways: text by pypdf, text by PDFium (when installed), and
    # every string object and decompressed stream in the file.
    source = "".join(doc.source)
    expected = "".join(doc.expected)
    secrets = {s for s in doc.secrets if len(s) >= 4 and s not in expected}
    redacted = redact_document(parse_markup(source, "doc.md"), engine)
    plain = render_document(redacted.markdown, "pdf", title=redacted.title)
    boxed = render_document(redacted.boxed, "pdf", title=redacted.title, redactions=True)
    for label, payload in (("pdf", plain), ("boxed pdf", boxed)):
        readings = pdf_read.everything(payload)
        assert set(readings) >= {"pypdf", "stored"}
        for secret in secrets:
            for where, text in readings.items():
                assert secret not in text, f"{secret!r} leaked into {label} ({where})"
        shown = " ".join(readings["pypdf"].split())
        for word_ in doc.plain:
            assert word_ in shown, f"{word_!r} missing from {label}"
