"""Marking originals: the marking view, adding, changing and removing marks, refusals, and saving."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from macip_gov.errors import InvalidInputError
from macip_gov.oia._marking_html import read_blocks
from macip_gov.oia.marking import (
    Mark,
    StaleEditError,
    add_block_mark,
    add_mark,
    change_mark,
    marking_html,
    marks,
    remove_mark,
    save,
    version,
)
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document

ROOT = Path(__file__).resolve().parent.parent
ORIGINALS = ROOT / "examples" / "macip-release" / "originals"
W = 'withhold ground="6(c)"'


def shown_blocks(source: str) -> list[str]:
    """Each text block's shown text (labels left out), white space runs as one space."""
    doc = parse_markup(source, "d.md")
    _, blocks, _, _ = read_blocks(source, "d.md", doc)
    return [" ".join("".join(p.shown for p in b.pieces if not p.label).split()) for b in blocks]


def assert_one_more_mark(old: str, new: str) -> None:
    before, after = parse_markup(old, "d.md"), parse_markup(new, "d.md")
    assert len(after.regions) == len(before.regions) + 1


# --------------------------------------------------------------------------- version, marks


def test_version_is_the_sha256_of_the_text_as_read():
    assert version("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert version("a\r\nb\n") == version("a\nb\n")
    assert version("a\nb\n") != version("a\nb")


def test_marks_lists_outermost_marks_in_document_order():
    source = (
        "# Briefing\n\n"
        'Officer [Aroha *Ngata*]{.withhold ground="s 9(2)(a)"} and [roading]{.out-of-scope}.\n\n'
        '::: {.withhold ground="9(2)(g)(i) 6(c)"}\n'
        'A [nested]{.withhold ground="18(d)"} passage\n\n- with a list\n'
        ":::\n"
    )
    assert marks(source, "d.md") == [
        Mark(index=0, kind="withhold", grounds=("9(2)(a)",), block=False, line=3, text="Aroha Ngata"),
        Mark(index=1, kind="out_of_scope", grounds=(), block=False, line=3, text="roading"),
        Mark(
            index=2,
            kind="withhold",
            grounds=("9(2)(g)(i)", "6(c)"),
            block=True,
            line=5,
            text="A nested passage with a list",
        ),
    ]


def test_marks_shortens_long_passages():
    source = "[" + "word " * 100 + "]{.out-of-scope}\n"
    (mark,) = marks(source, "d.md")
    assert len(mark.text) == 200 and mark.text.endswith("\u2026")


def test_marks_refuses_markup_that_does_not_parse():
    with pytest.raises(InvalidInputError, match="withheld span has no ground"):
        marks("[x]{.withhold}\n", "d.md")


# --------------------------------------------------------------------------- the marking view

VIEW = f"""\
# Title *one*

Para with [secret]{{.{W}}} and <script>alert(1)</script> &amp; `code`
and [a link](https://example.org/x "t") and ![chart](https://example.org/c.png).

- tight item
- item with [out]{{.out-of-scope}}

> quoted

| h | r |
|:--|--:|
| c | [d]{{.withhold ground="9(2)(a) 6(c)"}} |

::: {{.{W}}}
inside [nested]{{.{W}}}
:::
"""


def test_marking_html_numbers_every_text_block_in_document_order():
    out = marking_html(VIEW, "d.md")
    assert re.findall(r'data-block="(\d+)"', out) == [str(i) for i in range(10)]
    assert '<h2 data-block="0">Title <em>one</em></h2>' in out
    assert '<span class="tight" data-block="2">tight item</span>' in out
    assert '<p data-block="4">quoted</p>' in out
    assert '<th data-block="5" class="align-left" scope="col">h</th>' in out


def test_marking_html_highlights_marks_with_hidden_labels():
    out = marking_html(VIEW, "d.md")
    assert (
        '<mark class="mark mark-withhold" data-mark="0" data-kind="withhold" data-grounds="6(c)">'
        '<span class="visually-hidden">[withheld under section 6(c)] </span>secret</mark>'
    ) in out
    assert (
        '<mark class="mark mark-out-of-scope" data-mark="1" data-kind="out_of_scope" data-grounds="">'
        '<span class="visually-hidden">[out of scope] </span>out</mark>'
    ) in out
    assert 'data-mark="2" data-kind="withhold" data-grounds="9(2)(a) 6(c)"' in out
    # A block mark wraps its blocks; markup nested in it is not a mark of its own.
    block = out[out.index('<div class="mark mark-withhold" data-mark="3"') :]
    assert '<p data-block="9">inside <span class="mark-nested">nested</span></p>' in block
    assert "Start of a passage withheld under section 6(c)." in block
    assert re.findall(r'data-mark="(\d+)"', out) == ["0", "1", "2", "3"]


def test_marking_html_passes_nothing_active_through():
    out = marking_html(VIEW, "d.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <code>code</code>" in out
    assert "<script" not in out and "style=" not in out
    assert "<a " not in out and "<img" not in out and "href" not in out
    assert '<span class="md-link" title="https://example.org/x">a link</span>' in out
    assert '<span class="md-image" role="img" aria-label="image: chart">chart</span>' in out


def test_marking_html_escapes_attribute_values():
    out = marking_html('[x](https://e.org/"><b>?a=1&b=2)\n', "d.md")
    assert '<span class="md-link" title="https://e.org/%22%3E%3Cb%3E?a=1&amp;b=2">x</span>' in out


def test_marking_html_heading_offset():
    assert "<h1" in marking_html("# T\n", "d.md", heading_offset=0)
    assert "<h6" in marking_html("###### T\n", "d.md")


# --------------------------------------------------------------------------- add_mark

ADDED = [
    ("plain words", "One two three.\n", 0, "two", "One [two]{.W} three.\n"),
    ("inside strong", "Some **bold text** and more.\n", 0, "bold", "Some **[bold]{.W} text** and more.\n"),
    (
        "ends inside strong: widened to all of it",
        "Some **bold text** and more.\n",
        0,
        "text and",
        "Some [**bold text** and]{.W} more.\n",
    ),
    ("underscore emphasis", "An _emphatic word_ here\n", 0, "word here", "An [_emphatic word_ here]{.W}\n"),
    ("strikethrough", "A ~~struck out~~ word\n", 0, "out word", "A [~~struck out~~ word]{.W}\n"),
    ("inside a link's text", "x [link text](http://a.b) y\n", 0, "link", "x [[link]{.W} text](http://a.b) y\n"),
    ("across a link", "x [link text](http://a.b) y\n", 0, "x link text", "[x [link text](http://a.b)]{.W} y\n"),
    (
        "a reference link",
        "x [ref][r] y\n\n[r]: http://a.b\n",
        0,
        "ref y",
        "x [[ref][r] y]{.W}\n\n[r]: http://a.b\n",
    ),
    ("part of code: the whole code span", "Code `abc def` here\n", 0, "def here", "Code [`abc def` here]{.W}\n"),
    (
        "escapes and entities",
        "A \\*starred\\* word &amp; co\n",
        0,
        "*starred* word & co",
        "A [\\*starred\\* word &amp; co]{.W}\n",
    ),
    ("an image by its description", "See ![a chart](c.png) now\n", 0, "chart", "See [![a chart](c.png)]{.W} now\n"),
    ("an autolink", "See <https://example.org/a> now\n", 0, "example", "See [<https://example.org/a>]{.W} now\n"),
    ("across a soft break", "first line\nsecond line\n", 0, "line second", "first [line\nsecond]{.W} line\n"),
    ("across a hard break", "Hard  \nbreak here\n", 0, "Hard break", "[Hard  \nbreak]{.W} here\n"),
    ("raw HTML is text", "Raw <b>html</b> here\n", 0, "<b>html</b>", "Raw [<b>html</b>]{.W} here\n"),
    ("ATX heading", "## ATX *head* ##\n", 0, "ATX head", "## [ATX *head*]{.W} ##\n"),
    ("setext heading", "Setext head\n===\n", 0, "head", "Setext [head]{.W}\n===\n"),
    ("block quote", "> quoted *para*\n> more text\n", 0, "para more", "> quoted [*para*\n> more]{.W} text\n"),
    (
        "list item",
        "- item one\n  continued here\n- two\n",
        0,
        "one continued",
        "- item [one\n  continued]{.W} here\n- two\n",
    ),
    ("ordered list item", "1. first\n2. second item\n", 1, "item", "1. first\n2. second [item]{.W}\n"),
    (
        "table cell with an escaped pipe",
        "| a | b |\n|---|---|\n| x \\| y | zz |\n",
        2,
        "x | y",
        "| a | b |\n|---|---|\n| [x \\| y]{.W} | zz |\n",
    ),
    ("beside a mark", f"a [b]{{.{W}}} c b\n", 0, "c b", f"a [b]{{.{W}}} [c b]{{.W}}\n"),
    ("white space as the browser gives it", "one two\nthree\n", 0, " two \n\t three ", "one [two\nthree]{.W}\n"),
]


@pytest.mark.parametrize(("source", "block", "quote", "expected"), [c[1:] for c in ADDED], ids=[c[0] for c in ADDED])
def test_add_mark_wraps_exactly_the_selected_source(source, block, quote, expected):
    expected = expected.replace("{.W}", '{.withhold ground="9(2)(a)"}')
    new = add_mark(source, "d.md", block=block, quote=quote, kind="withhold", grounds=["s 9(2)(a)"])
    assert new == expected
    assert_one_more_mark(source, new)
    added = next(m for m in marks(new, "d.md") if m.grounds == ("9(2)(a)",))
    assert remove_mark(new, "d.md", added.index) == source


def test_add_mark_occurrence_picks_the_match():
    source = "the cat and the dog and the end\n"
    new = add_mark(source, "d.md", block=0, quote="the", occurrence=2, kind="out_of_scope", grounds=[])
    assert new == "the cat and the dog and [the]{.out-of-scope} end\n"


def test_add_mark_counts_occurrences_in_the_blocks_text_with_labels():
    # The label of a mark is in the block's text content: "withheld under section 6(c)".
    source = f"[x]{{.{W}}} section y\n"
    new = add_mark(source, "d.md", block=0, quote="section", occurrence=1, kind="withhold", grounds=["6(c)"])
    assert new == f"[x]{{.{W}}} [section]{{.{W}}} y\n"


def test_add_mark_refuses_rather_than_mark_other_text_when_pieces_are_misplaced(monkeypatch):
    from macip_gov.oia import _marking_html

    placed = _marking_html._Places.run

    def misplaced(self):
        placed(self)
        for piece in self.block.pieces:  # every piece two characters early
            piece.start, piece.end = max(piece.start - 2, 0), max(piece.end - 2, 0)

    monkeypatch.setattr(_marking_html._Places, "run", misplaced)
    with pytest.raises(InvalidInputError) as info:
        add_mark("**One** secret word.\n", "d.md", block=0, quote="secret", kind="withhold", grounds=["6(c)"])
    assert info.value.one_line() == ("d.md:1: cannot place this selection in the source exactly; mark the whole block")


def test_add_mark_grounds_in_statutory_order_without_duplicates():
    new = add_mark("a b\n", "d.md", block=0, quote="b", kind="withhold", grounds=["9(2)(a)", "s.6(c) OIA", "6(c)"])
    assert new == 'a [b]{.withhold ground="6(c) 9(2)(a)"}\n'
    # One citation naming several grounds, as a list or on its own.
    for grounds in (["ss 9(2)(a), 6(c)"], "ss 9(2)(a), 6(c)"):
        assert add_mark("a b\n", "d.md", block=0, quote="b", kind="withhold", grounds=grounds) == new
    assert parse_markup(new, "d.md").spans[0].grounds == ("6(c)", "9(2)(a)")


REFUSED = [
    ("empty", "x\n", {"quote": "  \n "}, "d.md:1: the selection is empty; select the words to mark"),
    (
        "not found",
        "x\n",
        {"quote": "y"},
        "d.md:1: the selected text is not in this block; reload the page and select again",
    ),
    (
        "occurrence",
        "x x\n",
        {"quote": "x", "occurrence": 2},
        "d.md:1: the selected text occurs 2 times in this block, not 3; select again",
    ),
    (
        "runs into the next block",
        "One two.\n\nThree four.\n",
        {"quote": "two. Three"},
        "d.md:1: the selection runs on past this paragraph, heading, list item or table cell; "
        "select within one, or mark each whole block",
    ),
    ("no block", "x\n", {"block": 5}, "d.md: there is no text block 5; reload the page and select again"),
    (
        "overlaps a mark",
        f"a [b]{{.{W}}} c\n",
        {"quote": "b c"},
        "d.md:1: the selection overlaps the passage already marked on line 1",
    ),
    (
        "holds a mark",
        f"a [b]{{.{W}}} c\n",
        {"quote": "a b c"},
        "d.md:1: the selection overlaps the passage already marked on line 1",
    ),
    (
        "a mark's label",
        f"a [b]{{.{W}}} c\n",
        {"quote": "withheld under section 6(c)"},
        "d.md:1: the selection overlaps the passage already marked on line 1",
    ),
    (
        "inside a marked block",
        f"::: {{.{W}}}\nx\n:::\n",
        {"quote": "x"},
        "d.md:2: this text is inside the block already marked on line 1",
    ),
    (
        "unbalanced bracket",
        "a [b] c\n",
        {"quote": "b] c"},
        "d.md:1: cannot mark this selection: the text around it would be read differently; "
        "select a little more or less",
    ),
    ("unknown kind", "x\n", {"kind": "redact"}, "d.md: kind: 'redact' is not withhold or out_of_scope"),
    ("no ground", "x\n", {"grounds": []}, "d.md: grounds: withheld text needs at least one ground"),
    (
        "unknown ground",
        "x\n",
        {"grounds": ["9(2)(z)"]},
        "d.md: grounds: 9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982",
    ),
    (
        "not a ground",
        "x\n",
        {"grounds": ["banana"]},
        "d.md: grounds: 'banana' names no ground of the Official Information Act 1982",
    ),
    (
        "out of scope with a ground",
        "x\n",
        {"kind": "out_of_scope"},
        "d.md: grounds: out-of-scope text takes no ground; withhold it instead",
    ),
]


@pytest.mark.parametrize(("source", "change", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_add_mark_refusals(source, change, message):
    kwargs = {"block": 0, "quote": "x", "kind": "withhold", "grounds": ["6(c)"], **change}
    with pytest.raises(InvalidInputError) as info:
        add_mark(source, "d.md", **kwargs)
    assert info.value.one_line() == message
    assert int(info.value.exit_code) == 3


# --------------------------------------------------------------------------- add_block_mark

BLOCKS = [
    ("paragraph", "Para one\nline two\n\nNext\n", 0, f"::: {{.{W}}}\nPara one\nline two\n:::\n\nNext\n"),
    ("heading", "# Head\ntext\n", 0, f"::: {{.{W}}}\n# Head\n:::\ntext\n"),
    ("paragraph after a heading", "# Head\ntext\n", 1, f"# Head\n::: {{.{W}}}\ntext\n:::\n"),
    ("list item", "- one\n  two\n- three\n", 0, f"- ::: {{.{W}}}\n  one\n  two\n  :::\n- three\n"),
    ("ordered list item", "1. one\n2. three\n", 1, f"1. one\n2. ::: {{.{W}}}\n   three\n   :::\n"),
    ("block quote", "> q one\n> q two\n\nx\n", 0, f"> ::: {{.{W}}}\n> q one\n> q two\n> :::\n\nx\n"),
    ("holding a span", f"a [b]{{.{W}}} c\n", 0, f"::: {{.{W}}}\na [b]{{.{W}}} c\n:::\n"),
]


@pytest.mark.parametrize(("source", "block", "expected"), [c[1:] for c in BLOCKS], ids=[c[0] for c in BLOCKS])
def test_add_block_mark(source, block, expected):
    new = add_block_mark(source, "d.md", block=block, kind="withhold", grounds=["6(c)"])
    assert new == expected
    index = next(m.index for m in marks(new, "d.md") if m.block)
    assert remove_mark(new, "d.md", index) == source


@pytest.mark.parametrize(
    ("source", "block", "message"),
    [
        ("| a |\n|---|\n", 0, "d.md:1: a table cell cannot be marked as a block; select its text instead"),
        (f"::: {{.{W}}}\nx\n:::\n", 0, "d.md:2: this text is inside the block already marked on line 1"),
    ],
)
def test_add_block_mark_refusals(source, block, message):
    with pytest.raises(InvalidInputError) as info:
        add_block_mark(source, "d.md", block=block, kind="withhold", grounds=["6(c)"])
    assert info.value.one_line() == message


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("- one\ntwo lazy\n- three\n", f"- ::: {{.{W}}}\n  one\n  two lazy\n  :::\n- three\n"),
        ("> > a\n> lazy\n", f"> > ::: {{.{W}}}\n> > a\n> > lazy\n> > :::\n"),
        ("10. para\n   lazy\n11. x\n", f"10. ::: {{.{W}}}\n    para\n    lazy\n    :::\n11. x\n"),
    ],
)
def test_add_block_mark_gives_lazy_lines_their_containers(source, expected):
    new = add_block_mark(source, "d.md", block=0, kind="withhold", grounds=["6(c)"])
    assert new == expected
    before, after = marks(source, "d.md"), marks(new, "d.md")
    assert (before, len(after), after[0].block) == ([], 1, True)
    assert after[0].text == " ".join(shown_blocks(source)[0].split())


# --------------------------------------------------------------------------- change_mark, remove_mark

CHANGED = [
    (f"a [b c]{{.{W}}} d\n", "a b c d\n"),
    (f"::: {{.{W}}}\nx\n:::\n", "x\n"),
    (f"- ::: {{.{W}}}\n  one\n  two\n  :::\n- three\n", "- one\n  two\n- three\n"),
    (f"> ::: {{.{W}}}\n> q one\n> :::\n", "> q one\n"),
    # The fences kept the passage its own paragraph: blank lines do that now.
    (f"Lead-in.\n::: {{.{W}}}\nwithheld\n:::\nFollowing text.\n", "Lead-in.\n\nwithheld\n\nFollowing text.\n"),
    (f"a\n\n::: {{.{W}}}\n:::\n\nb\n", "a\n\n\nb\n"),
    (f"[x [y]{{.out-of-scope}}]{{.{W}}}\n", "x [y]{.out-of-scope}\n"),
]


@pytest.mark.parametrize(("source", "removed"), CHANGED)
def test_change_and_remove_mark(source, removed):
    changed = change_mark(source, "d.md", 0, kind="withhold", grounds=["9(2)(a)", "s.6(c) OIA"])
    assert changed == source.replace(W, 'withhold ground="6(c) 9(2)(a)"', 1)
    assert change_mark(changed, "d.md", 0, kind="withhold", grounds=["6(c)"]) == source
    out = change_mark(source, "d.md", 0, kind="out_of_scope", grounds=[])
    assert out == source.replace(W, "out-of-scope", 1)
    assert remove_mark(source, "d.md", 0) == removed
    assert len(parse_markup(removed, "d.md").regions) == len(parse_markup(source, "d.md").nested)


def test_change_and_remove_mark_refuse_a_missing_mark():
    with pytest.raises(InvalidInputError, match=r"there is no mark 1 \(the document has 1\); reload the page"):
        remove_mark(f"[a]{{.{W}}}\n", "d.md", 1)
    with pytest.raises(InvalidInputError, match="there is no mark -1"):
        change_mark(f"[a]{{.{W}}}\n", "d.md", -1, kind="out_of_scope", grounds=[])


def test_edits_keep_every_other_mark():
    source = f"[a]{{.{W}}} b [c]{{.out-of-scope}} d\n\n::: {{.{W}}}\ne\n:::\n"
    new = change_mark(source, "d.md", 1, kind="withhold", grounds=["9(2)(a)"])
    assert new == f'[a]{{.{W}}} b [c]{{.withhold ground="9(2)(a)"}} d\n\n::: {{.{W}}}\ne\n:::\n'
    assert remove_mark(source, "d.md", 1) == f"[a]{{.{W}}} b c d\n\n::: {{.{W}}}\ne\n:::\n"


# --------------------------------------------------------------------------- the example originals


@pytest.mark.parametrize("path", sorted(ORIGINALS.glob("*.md")), ids=lambda p: p.name)
def test_marking_each_example_original_withholds_the_passage_in_the_release(path, engine):
    source = path.read_text(encoding="utf-8")
    doc = parse_markup(source, path.name)
    _, blocks, _, _ = read_blocks(source, path.name, doc)
    # The last block that has no mark and at least three words of its own.
    texts = shown_blocks(source)
    index = next(
        b.index
        for b in reversed(blocks)
        if b.inside is None and not any(p.mark is not None for p in b.pieces) and len(texts[b.index].split()) >= 3
    )
    quote = " ".join(texts[index].split()[:3])
    assert source.count(quote) == 1
    new = add_mark(source, path.name, block=index, quote=quote, kind="withhold", grounds=["9(2)(a)"])
    assert_one_more_mark(source, new)
    before = redact_document(doc, engine)
    after = redact_document(parse_markup(new, path.name), engine)
    assert not after.refused
    assert quote in before.markdown and quote not in after.markdown and quote not in after.boxed
    assert "s.9(2)(a) OIA \\[REDACTED\\]" in after.markdown
    # The view of the new source draws the new mark.
    assert 'data-grounds="9(2)(a)"' in marking_html(new, path.name)


@pytest.mark.parametrize("path", sorted(ORIGINALS.glob("*.md")), ids=lambda p: p.name)
def test_every_mark_of_the_example_originals_can_be_changed_back_and_removed(path):
    source = path.read_text(encoding="utf-8")
    listed = marks(source, path.name)
    for mark in listed:
        other = change_mark(source, path.name, mark.index, kind="out_of_scope", grounds=[])
        assert change_mark(other, path.name, mark.index, kind=mark.kind, grounds=mark.grounds) == source
        removed = remove_mark(source, path.name, mark.index)
        assert mark.text.split()[0] in removed
        assert len(marks(removed, path.name)) == len(listed) - 1


def test_the_view_of_each_example_numbers_every_text_block():
    for path in sorted(ORIGINALS.glob("*.md")):
        source = path.read_text(encoding="utf-8")
        out = marking_html(source, path.name)
        assert len(re.findall(r"data-block=", out)) == len(shown_blocks(source))
        assert len(set(re.findall(r'data-mark="(\d+)"', out))) == len(marks(source, path.name))


# --------------------------------------------------------------------------- save


def test_save_writes_over_the_version_opened(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("One two.\n", encoding="utf-8")
    opened = path.read_text(encoding="utf-8")
    new = add_mark(opened, "doc.md", block=0, quote="two", kind="withhold", grounds=["6(c)"])
    written = save(path, new, expected_version=version(opened))
    assert written == version(new)
    assert path.read_text(encoding="utf-8") == new
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


def test_save_refuses_a_stale_edit_and_keeps_the_file(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("One two.\n", encoding="utf-8")
    opened = version(path.read_text(encoding="utf-8"))
    path.write_text("One two, changed by someone else.\n", encoding="utf-8")
    with pytest.raises(StaleEditError) as info:
        save(path, "Mine.\n", expected_version=opened)
    assert info.value.one_line() == (
        "doc.md: the document was changed by someone else since you opened it; reload it and mark again"
    )
    assert path.read_text(encoding="utf-8") == "One two, changed by someone else.\n"


def test_save_refuses_a_source_that_does_not_parse(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("One.\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="withheld span has no ground"):
        save(path, "[x]{.withhold}\n", expected_version=version("One.\n"))
    assert path.read_text(encoding="utf-8") == "One.\n"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: a read-only folder does not stop root writing, so the failure cannot be made",
)
def test_save_leaves_the_original_intact_when_the_write_fails(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "doc.md"
    path.write_text("One two.\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(InvalidInputError, match="cannot write here"):
            save(path, "One [two]{.out-of-scope}.\n", expected_version=version("One two.\n"))
        assert path.read_text(encoding="utf-8") == "One two.\n"
        assert [p.name for p in folder.iterdir()] == ["doc.md"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no file size limit to set on this system")
def test_save_leaves_the_original_intact_when_the_disk_refuses_the_write(tmp_path):
    # A file size limit stops the write whoever runs the test, root included.
    path = tmp_path / "doc.md"
    path.write_text("One two.\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        import resource, signal, sys
        from pathlib import Path
        from macip_gov.errors import InvalidInputError
        from macip_gov.oia.marking import save, version

        path = Path(sys.argv[1])
        old = path.read_text(encoding="utf-8")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
        try:
            save(path, "One [two]{.out-of-scope}." + " more" * 50 + "\\n", expected_version=version(old))
        except InvalidInputError as exc:
            print(exc.one_line())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout == f"{path}: cannot write here: File too large\n"
    assert path.read_text(encoding="utf-8") == "One two.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


@pytest.mark.parametrize("path", sorted(ORIGINALS.glob("*.md")), ids=lambda p: p.name)
def test_every_text_block_of_the_example_originals_can_be_marked_whole(path, engine):
    source = path.read_text(encoding="utf-8")
    doc = parse_markup(source, path.name)
    _, blocks, _, _ = read_blocks(source, path.name, doc)
    texts = shown_blocks(source)
    marked = checked = 0
    for block in blocks:
        if block.inside is not None or block.parent.type in ("th_open", "td_open"):
            continue
        new = add_block_mark(source, path.name, block=block.index, kind="withhold", grounds=["9(2)(h)"])
        (added,) = [m for m in marks(new, path.name) if m.grounds == ("9(2)(h)",)]
        assert added.block and " ".join(added.text.split()).startswith(texts[block.index][:40].rstrip("…"))
        released = redact_document(parse_markup(new, path.name), engine).markdown
        words = " ".join(texts[block.index].split()[:4])
        if len(words) > 12 and source.count(words) == 1:
            assert words not in released
            checked += 1
        assert remove_mark(new, path.name, added.index) == source
        marked += 1
    assert marked >= 1 and checked >= 1
