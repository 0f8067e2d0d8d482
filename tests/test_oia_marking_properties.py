"""Property: any selection in a generated paragraph is refused or marked exactly, withheld, and undone byte for byte."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from macip_gov.errors import InvalidInputError
from macip_gov.oia.marking import add_mark, marks, remove_mark
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document

LABEL = "[withheld under section 6(c)] "
# How a word is written, and what the browser shows of it.
STYLES = {
    "plain": ("{w}", "{w}"),
    "em": ("*{w}*", "{w}"),
    "strong": ("**{w}**", "{w}"),
    "underscore": ("_{w}_", "{w}"),
    "code": ("`{w}`", "{w}"),
    "link": ("[{w}](https://example.org/)", "{w}"),
    "strike": ("~~{w}~~", "{w}"),
    "escaped": ("\\*{w}", "*{w}"),
    "entity": ("{w}&amp;", "{w}&"),
    "image": ("![{w}](https://example.org/i.png)", "{w}"),
    "marked": ('[{w}]{{.withhold ground="6(c)"}}', LABEL + "{w}"),
}
SIMPLE = {"plain", "code", "entity"}
NAMES = ["alpha", "bravo", "kilo", "delta", "echo", "lima", "oscar"]
CONTAINERS = {"": "", "> ": "> ", "- ": "  ", "1. ": "   "}


@dataclass
class Paragraph:
    source: str
    block: int
    shown: str
    words: list[tuple[str, int, int, bool]]
    """Each word, where it is in ``shown``, and whether it was already marked."""


@st.composite
def paragraphs(draw: st.DrawFn) -> Paragraph:
    count = draw(st.integers(2, 7))
    styles = draw(st.lists(st.sampled_from(sorted(STYLES)), min_size=count, max_size=count))
    # Sometimes a run of simple words is wrapped as one element (emphasis or a link),
    # across spaces and line breaks.
    first = draw(st.integers(0, count - 1))
    last = draw(st.integers(first, count - 1))
    wrap = draw(st.sampled_from(["", "*{}*", "**{}**", "[{}](https://example.org/)"]))
    if wrap:
        for i in range(first, last + 1):
            styles[i] = draw(st.sampled_from(sorted(SIMPLE)))
    table = draw(st.booleans())
    gaps = [draw(st.sampled_from([" ", "\n", "  \n"])) if not table else " " for _ in range(count - 1)]
    container = "" if table else draw(st.sampled_from(sorted(CONTAINERS)))
    words, written, shown_parts = [], [], []
    cursor = 0
    for i, style in enumerate(styles):
        # Unique words, none inside another ("kilo1q" is not in "kilo10q").
        word = f"{draw(st.sampled_from(NAMES))}{i}q"
        source_form, shown_form = STYLES[style]
        written.append(source_form.format(w=word))
        shown = shown_form.format(w=word)
        at = cursor + shown.index(word)
        words.append((word, at, at + len(word), style == "marked"))
        shown_parts.append(shown)
        cursor += len(shown) + 1
    parts = [(gap, CONTAINERS[container] if "\n" in gap else "") for gap in gaps]
    body = ""
    for i, part in enumerate(written):
        if i:
            body += parts[i - 1][0] + parts[i - 1][1]
        if wrap and i == first:
            body += wrap.split("{}")[0]
        body += part
        if wrap and i == last:
            body += wrap.split("{}")[1]
    if table:
        return Paragraph(f"| head |\n| --- |\n| {body} |\n", 1, " ".join(shown_parts), words)
    return Paragraph(f"Before.\n\n{container}{body}\n\nAfter.\n", 1, " ".join(shown_parts), words)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraph=paragraphs(), data=st.data())
def test_a_selection_is_refused_or_marked_withheld_and_undone(engine, paragraph, data):
    shown = paragraph.shown
    start = data.draw(st.integers(0, len(shown) - 1))
    end = data.draw(st.integers(start + 1, len(shown)))
    quote = shown[start:end]
    wanted = " ".join(quote.split())
    source = paragraph.source
    if not wanted:
        try:
            add_mark(source, "p.md", block=paragraph.block, quote=quote, kind="withhold", grounds=["9(2)(a)"])
        except InvalidInputError as exc:
            assert "the selection is empty" in exc.message
            return
        raise AssertionError("an empty selection was marked")
    at = next(p for p in range(start, end) if shown.startswith(wanted, p))
    occurrence = sum(1 for p in range(at) if shown.startswith(wanted, p))
    # The selection touches a marked word or its label.
    touches_mark = any(marked and s - len(LABEL) < at + len(wanted) and at < e for _, s, e, marked in paragraph.words)
    try:
        new = add_mark(
            source,
            "p.md",
            block=paragraph.block,
            quote=quote,
            occurrence=occurrence,
            kind="withhold",
            grounds=["9(2)(a)"],
        )
    except InvalidInputError as exc:
        event("refused")
        # Only a selection that meets an existing mark is refused here.
        assert touches_mark, exc.one_line()
        assert "overlaps the passage already marked" in exc.message
        return
    event("marked")
    assert not touches_mark
    before, after = parse_markup(source, "p.md"), parse_markup(new, "p.md")
    assert len(after.regions) == len(before.regions) + 1
    released = redact_document(after, engine)
    assert not released.refused
    for word, s, e, _ in paragraph.words:
        if at <= s and e <= at + len(wanted) and source.count(word) == 1:
            assert word not in released.markdown and word not in released.boxed
    (added,) = [m for m in marks(new, "p.md") if m.grounds == ("9(2)(a)",)]
    assert remove_mark(new, "p.md", added.index) == source
