"""Parsing redaction markup: spans, blocks, lines, grounds, and refusing what cannot be placed."""

from __future__ import annotations

import pytest

from macip_gov.errors import InvalidInputError
from macip_gov.oia.markup import MarkedDocument, Span, ground_key, markup_parser, parse_markup
from macip_gov.render import markdown_parser

SOURCE = """\
# Briefing

Officer [Aroha Ngata]{.withhold ground="9(2)(a)"} and
[the site at
Rolleston]{.withhold ground="s.6(c) OIA, s.9(2)(g)(i) OIA"}.

::: {.out-of-scope}
Roading, with [a name]{.withhold ground="18(d)"} inside.
:::

| a | [b]{.withhold ground="9(2)(ba)(i)"} |
|---|---|
"""


def test_parse_markup_spans_lines_and_grounds():
    doc = parse_markup(SOURCE, "brief.md")
    assert isinstance(doc, MarkedDocument)
    assert doc.name == "brief.md"
    assert doc.spans == [
        Span(kind="withhold", grounds=("9(2)(a)",), line=3),
        Span(kind="withhold", grounds=("6(c)", "9(2)(g)(i)"), line=4),
        Span(kind="out_of_scope", grounds=(), line=7, block=True),
        Span(kind="withhold", grounds=("9(2)(ba)(i)",), line=11),
    ]
    # Markup inside a marked block is read and checked, then absorbed by the block's marker.
    assert doc.nested == [Span(kind="withhold", grounds=("18(d)",), line=8)]
    assert doc.grounds == ["6(c)", "9(2)(a)", "9(2)(ba)(i)", "9(2)(g)(i)"]
    assert (doc.withheld, doc.out_of_scope) == (3, 1)
    assert [s.line for s in doc.all_spans()] == [3, 4, 7, 8, 11]


def test_regions_cover_exactly_the_markup():
    doc = parse_markup(SOURCE, "brief.md")
    cut = [doc.text[r.start : r.end] for r in doc.regions]
    assert cut == [
        '[Aroha Ngata]{.withhold ground="9(2)(a)"}',
        '[the site at\nRolleston]{.withhold ground="s.6(c) OIA, s.9(2)(g)(i) OIA"}',
        '::: {.out-of-scope}\nRoading, with [a name]{.withhold ground="18(d)"} inside.\n:::',
        '[b]{.withhold ground="9(2)(ba)(i)"}',
    ]
    assert [r.span for r in doc.regions] == doc.spans


def test_unknown_grounds_are_left_to_the_policy():
    doc = parse_markup('[x]{.withhold ground="9(2)(z) 15A"}\n', "d.md")
    assert doc.spans == [Span(kind="withhold", grounds=("9(2)(z)", "15A"), line=1)]


def test_a_document_without_markup():
    doc = parse_markup("# Title\n\nJust text, with [a link](https://example.org).\n", "d.md")
    assert (doc.spans, doc.grounds, doc.regions, doc.nested) == ([], [], (), [])
    assert doc.heading == ("Title", ())


def test_heading_keeps_its_spans_for_the_title():
    doc = parse_markup('Intro.\n\n## Review of [Kea]{.withhold ground="6(c)"}\n', "d.md")
    content, marks = doc.heading
    assert content == 'Review of [Kea]{.withhold ground="6(c)"}'
    assert [(content[s:e], i) for s, e, i in marks] == [('[Kea]{.withhold ground="6(c)"}', 0)]


def test_markup_parser_reads_the_renderers_dialect():
    plain, marked = markdown_parser(), markup_parser()
    assert plain.options["html"] is False and marked.options["html"] is False
    # The same block rules, plus ::: blocks; inline, spans are added and emphasis
    # (which never moves a bracket) is left to the renderer.
    plain_rules, marked_rules = plain.get_active_rules(), marked.get_active_rules()
    assert set(marked_rules["block"]) == set(plain_rules["block"]) | {"container_marked"}
    assert set(marked_rules["inline"]) == set(plain_rules["inline"]) - {"emphasis", "strikethrough"} | {"marked_span"}
    source = "| a |\n|---|\n| ~~b~~ |\n\n<b>x</b>\n\n- item\n\n> quote\n"
    assert [t.type for t in marked.parse(source)] == [t.type for t in plain.parse(source)]


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (
            'x\n\n::: {.withhold ground="6(c)"}\ny\n',
            "3",
            "the ::: block opened here is never closed (end it with a ::: line)",
        ),
        ("[x]{.withhold}\n", "1", 'withheld span has no ground (add ground="9(2)(a)" or similar)'),
        ('a\nb [x]{.withhold ground=""}\n', "2", "'' names no ground of the Official Information Act 1982"),
        (
            '[x]{.redact ground="6(c)"}\n',
            "1",
            "unknown class .redact on a marked span (use .withhold or .out-of-scope)",
        ),
    ],
)
def test_malformed_markup_names_file_and_line(source, line, message):
    with pytest.raises(InvalidInputError) as info:
        parse_markup(source, "brief.md")
    assert (info.value.file, info.value.location, info.value.message) == ("brief.md", line, message)
    assert int(info.value.exit_code) == 3


def test_markup_words_in_code_are_refused_not_released():
    source = 'Text.\n\n```\n[x]{.withhold ground="6(c)"}\n```\n'
    with pytest.raises(InvalidInputError) as info:
        parse_markup(source, "d.md")
    assert info.value.location == "4"


def test_ground_key_is_statutory_order():
    ids = [
        "18(d)",
        "9(2)(g)(ii)",
        "9(2)(a)",
        "6(c)",
        "9(2)(ba)(i)",
        "9(2)(b)",
        "9(2)(g)(i)",
        "18(c)(ii)",
        "7(a)",
        "6(b)(ii)",
        "6(b)(i)",
        "9(2)(i)",
        "9(2)(h)",
        "9(2)(k)",
    ]
    assert sorted(ids, key=ground_key) == [
        "6(b)(i)",
        "6(b)(ii)",
        "6(c)",
        "7(a)",
        "9(2)(a)",
        "9(2)(b)",
        "9(2)(ba)(i)",
        "9(2)(g)(i)",
        "9(2)(g)(ii)",
        "9(2)(h)",
        "9(2)(i)",
        "9(2)(k)",
        "18(c)(ii)",
        "18(d)",
    ]
