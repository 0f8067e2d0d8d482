"""Hostile markup: every spelling of a mark, in every place that cannot carry one, is refused or withheld.

The attribute parser reads a withhold or out-of-scope class in several spellings
(``.withhold``, ``class=withhold``, ``class="withhold"``, after an id, a comment or a
quoted value, with any white space). Wherever such text lands where no span is
read (code, link and reference titles and destinations, image text, autolinks,
table cells beyond the header, very deep nesting, HTML), the document must be
refused, naming the file and line, or the text must not reach any output.

Many spans (on one line, in one paragraph, cell or heading, or as many blocks,
rows or paragraphs) are processed in time linear in their number, measured by
counting operations.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from textwrap import indent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import macip_gov
from macip_gov.errors import InvalidInputError
from macip_gov.oia.markup import find_mark, parse_markup
from macip_gov.oia.redact import MarkerStyle, redact_document
from macip_gov.render import markdown_to_docx, markdown_to_html

SECRET = "zqwbnxk"
HEAD = "# Briefing\n\nReleased text.\n\n"
TAIL = "\n\nMore released text.\n"

# Attribute blocks the attribute parser reads as a withhold or out-of-scope class.
ACCEPTED = [
    '.withhold ground="6(c)"',
    'ground="6(c)" .withhold',
    'ground="6(c)".withhold',
    '%checked% .withhold ground="6(c)"',
    '  .withhold   ground="6(c)"  ',
    '\t.withhold\tground="6(c)"',
    'class=withhold ground="6(c)"',
    'class="withhold" ground="6(c)"',
    'ground="6(c)" class="withhold"',
    ".out-of-scope",
    "class=out-of-scope",
    'class="out-of-scope"',
]
# Other cases, other attributes beside a mark, and near misses: never a working mark, always mark-shaped.
VARIANTS = [
    '#p1 .withhold ground="6(c)"',
    '.WITHHOLD ground="6(c)"',
    '.Withhold ground="6(c)"',
    'class=Withhold ground="6(c)"',
    'class="WITHHOLD" ground="6(c)"',
    'CLASS=withhold ground="6(c)"',
    ".Out-Of-Scope",
    'class="note withhold" ground="6(c)"',
    "class='withhold' ground='6(c)'",
    'class = withhold ground="6(c)"',
    ".out_of_scope",
    # near misses of the class names and of ground=
    '.withold ground="6(c)"',
    '.with-hold ground="6(c)"',
    '.witheld ground="6(c)"',
    '.Withheld ground="6(c)"',
    'class="withheld" ground="6(c)"',
    ".outofscope",
    ".out-scope",
    '.withhold Ground="6(c)"',
    '.withhold grounds="6(c)"',
    '.withhold gound="6(c)"',
    'Ground="6(c)"',
    'ground="6(c)"',
]
MULTILINE = ['.withhold\nground="6(c)"', '\nclass=withhold\nground="6(c)"\n']
SPELLINGS = ACCEPTED + VARIANTS + MULTILINE

MARKUP = (
    [f"[{SECRET}]{{{a}}}" for a in SPELLINGS]
    + [f"::: {{{a}}}\n{SECRET}\n:::" for a in SPELLINGS if "\n" not in a]
    + [
        f'<span class="withhold">{SECRET}</span>',
        f"<span class=Withhold title=6c>{SECRET}</span>",
        f"<div class='out-of-scope'>{SECRET}</div>",
    ]
)


def _deep_list(m: str) -> str:
    items = [" " * (2 * i) + "- item" for i in range(30)]
    return "\n".join(items) + "\n" + indent(m, " " * 60)


# Places where a mark is not read (a plain paragraph is the control: there it is read).
CONTEXTS = {
    "paragraph": lambda m: m,
    "code span": lambda m: f"Use `{m}` here.",
    "double code span": lambda m: f"Use `` {m} `` here.",
    "fenced code": lambda m: f"```\n{m}\n```",
    "tilde fence": lambda m: f"~~~ text\n{m}\n~~~",
    "indented code": lambda m: indent(m, "    ", lambda _: True),
    "code in a quote": lambda m: "> ```\n" + indent(m, "> ", lambda _: True) + "\n> ```",
    "code in a list item": lambda m: "- item\n\n" + indent(m, "      ", lambda _: True),
    "link title '": lambda m: f"[a](https://example.org/a '{m}')",
    'link title "': lambda m: f'[a](https://example.org/a "{m}")',
    "link title ()": lambda m: f"[a](https://example.org/a ({m}))",
    "link destination <>": lambda m: f"[a](<https://example.org/{m}>)",
    "reference title '": lambda m: f"[a][r]\n\n[r]: https://example.org/r '{m}'",
    'reference title "': lambda m: f'[a][r]\n\n[r]: https://example.org/r "{m}"',
    "reference destination": lambda m: f"[a][r]\n\n[r]: <https://example.org/{m}>",
    "image title": lambda m: f"![a](https://example.org/a.png '{m}')",
    "image description": lambda m: f"![{m}](https://example.org/a.png)",
    "autolink": lambda m: f"<https://example.org/{m}>",
    "cell beyond the header": lambda m: f"| h |\n|---|\n| a | {m} |",
    "cells beyond the header": lambda m: f"| h |\n|---|\n| a | b | {m} |",
    "deep block quote": lambda m: indent(m, "> " * 30, lambda _: True),
    "deep list": _deep_list,
    "html block": lambda m: f"<div>\n{m}\n</div>",
    "html comment": lambda m: f"<!--\n{m}\n-->",
}
# Attributes cut off from their brackets, or in a fence's info string.
DETACHED = {
    "escaped brackets": lambda a: f"\\[{SECRET}\\]{{{a}}}",
    "space before the brace": lambda a: f"[{SECRET}] {{{a}}}",
    "line break before the brace": lambda a: f"[{SECRET}]\n{{{a}}}",
    "after a link": lambda a: f"[{SECRET}](https://example.org){{{a}}}",
    "fence info": lambda a: f"``` {{{a}}}\n{SECRET}\n```",
    "two-colon fence": lambda a: f":: {{{a}}}\n{SECRET}\n::",
}


def docx_parts(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}


def assert_refused_or_withheld(engine, body: str) -> str:
    """Redact HEAD + body + TAIL; 'refused' (exit 3 within the body's lines) or 'withheld' (no output has it)."""
    source = HEAD + body + TAIL
    first = HEAD.count("\n") + 1
    last = first + body.count("\n")
    try:
        redacted = redact_document(parse_markup(source, "d.md"), engine)
    except InvalidInputError as exc:
        assert int(exc.exit_code) == 3
        assert exc.file == "d.md"
        assert exc.location is not None and first <= int(exc.location) <= last, (exc.one_line(), body)
        assert "\n" not in str(exc)
        return "refused"
    html = markdown_to_html(redacted.markdown, title=redacted.title)
    outputs = {"md": redacted.markdown, "title": redacted.title, "html": html}
    outputs |= {
        f"docx:{n}": t for n, t in docx_parts(markdown_to_docx(redacted.markdown, title=redacted.title)).items()
    }
    for where, text in outputs.items():
        assert SECRET not in text, f"{SECRET!r} released in {where} from:\n{body}"
    return "withheld"


CORPUS = [pytest.param(name, m, id=f"{name}: {m!r}") for name in CONTEXTS for m in MARKUP] + [
    pytest.param(name, DETACHED[name](a), id=f"{name}: {a!r}") for name in DETACHED for a in SPELLINGS
]


@pytest.mark.parametrize(("context", "markup"), CORPUS)
def test_every_spelling_in_every_context_is_refused_or_withheld(engine, context, markup):
    body = CONTEXTS[context](markup) if context in CONTEXTS else markup
    assert_refused_or_withheld(engine, body)


@pytest.mark.parametrize("attrs", ACCEPTED)
def test_every_accepted_spelling_is_a_working_mark(engine, attrs):
    for markup in (f"[{SECRET}]{{{attrs}}}", f"::: {{{attrs}}}\n{SECRET}\n:::"):
        redacted = redact_document(parse_markup(HEAD + markup + TAIL, "d.md"), engine)
        assert SECRET not in redacted.markdown
        assert redacted.withheld + redacted.out_of_scope == 1
        assert find_mark(markup) is not None


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ('[x]{.WITHHOLD ground="6(c)"}', "class names are lower-case: write .withhold, not .WITHHOLD"),
        ('[x]{class=Withhold ground="6(c)"}', "class names are lower-case: write .withhold, not .Withhold"),
        ("[x]{.Out-Of-Scope}", "class names are lower-case: write .out-of-scope, not .Out-Of-Scope"),
        ('::: {.Withhold ground="6(c)"}\nx\n:::', "class names are lower-case: write .withhold, not .Withhold"),
        ("[x]{.out_of_scope}", "unknown class .out_of_scope on a marked span: write .out-of-scope"),
    ],
)
def test_a_mark_in_another_case_is_an_error_not_a_release(markup, message):
    with pytest.raises(InvalidInputError) as info:
        parse_markup("Text.\n\n" + markup + "\n", "d.md")
    assert (info.value.file, info.value.location) == ("d.md", "3")
    assert message in info.value.message


@pytest.mark.parametrize(
    ("body", "line", "shown"),
    [
        ('Use `[x]{class=withhold ground="6(c)"}` here.', 5, "{class=withhold ...}"),
        ('Use `[x]{.WITHHOLD ground="6(c)"}` here.', 5, "{.WITHHOLD ...}"),
        ('```\n[x]{class="note out-of-scope"}\n```', 6, '{class="note out-of-scope" ...}'),
        ('<span class="withhold">x</span>', 5, '{class="withhold" ...}'),
        ("[a](https://example.org 'see\n[x]{class=\"x\"\n.Withhold}')", 7, "{.Withhold ...}"),
        ("[a](https://example.org 'see\n[x]{ground=\"6(c)\"\n.Withhold}')", 6, "{ground= ...}"),
        ('Use `[x]{.withold ground="6(c)"}` here.', 5, "{.withold ...}"),
        ('Use `[x]{Ground="6(c)"}` here.', 5, "{Ground= ...}"),
        ('<span class="Withheld">x</span>', 5, '{class="Withheld" ...}'),
    ],
)
def test_refusal_names_the_spelling_file_and_line(body, line, shown):
    with pytest.raises(InvalidInputError) as info:
        parse_markup(HEAD + body + TAIL, "d.md")
    assert info.value.location == str(line)
    assert info.value.message.startswith(f"{shown} here is not applied")


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ('[x]{.withold ground="6(c)"}', "unknown class .withold on a marked span (use .withhold or .out-of-scope)"),
        ('[x]{.with-hold ground="6(c)"}', "unknown class .with-hold on a marked span (use .withhold or .out-of-scope)"),
        ("[x]{.Withheld}", "unknown class .Withheld on a marked span (use .withhold or .out-of-scope)"),
        ("[x]{.outofscope}", "unknown class .outofscope on a marked span (use .withhold or .out-of-scope)"),
        ('[x]{.withhold Ground="6(c)"}', "unknown attribute Ground= on a marked span: write ground="),
        ('[x]{.withhold grounds="6(c)"}', "unknown attribute grounds= on a marked span: write ground="),
        ('::: {.withhold gound="6(c)"}\nx\n:::', "unknown attribute gound= on a marked block: write ground="),
        ('[x]{Ground="6(c)"}', "marked span has no .withhold or .out-of-scope class"),
    ],
)
def test_a_near_miss_is_an_error_not_a_release(markup, message):
    with pytest.raises(InvalidInputError) as info:
        parse_markup("Text.\n\n" + markup + "\n", "d.md")
    assert (info.value.file, info.value.location) == ("d.md", "3")
    assert info.value.message == message


@pytest.mark.parametrize(
    "name",
    [
        "withold",
        "with-hold",
        "with_hold",
        "witheld",
        "Withheld",
        "WITHHELD",
        "whithold",
        "withholding",
        "withhld",
        "outofscope",
        "out-scope",
        "Out_Of_Scope",
        "out-of-scop",
        "not-in-scope",
    ],
)
def test_near_miss_class_names_are_mark_shaped(name):
    assert find_mark(f"`[x]{{.{name}}}`") is not None
    assert find_mark(f'<span class="{name}">x</span>') is not None


@pytest.mark.parametrize("name", ["without", "withdraw", "hold", "scope", "note", "mark", "witness", "outline"])
def test_other_class_names_are_not_mark_shaped(name):
    assert find_mark(f"`[x]{{.{name}}}`") is None


ORDINARY = """\
# Decisions on the request

We may withhold information under section 9(2)(a), and will withhold the
rest only where a ground applies. Withhold. WITHHOLD. Withholding is rare.

Items out of scope of the request, or out-of-scope, were set aside; see the
Out-of-scope list.Out of scope items are listed...withhold them...Withhold
later. We decided.Withhold the rest.

| Item | Withhold? | Out-of-scope? |
|------|-----------|---------------|
| 1    | withhold  | out of scope  |

Call `self.withhold(item)` or `Kind.out_of_scope`; the file brief.withhold.md,
the site www.withhold.govt.nz/out-of-scope and e.g.withhold stay as written.
The class: withhold column; {withhold}; {out-of-scope}; 3.Out-of-scope.

```python
decision.withhold = True
css_class = "withholding"
level = round(x); groundwater = 3; grounded=True; background="white"
```

Information was withheld. Withheld items, out of scope items and the grounds = reasons
are listed: ground 6(c) applies; the playground = closed.
"""


def test_ordinary_text_about_withholding_is_released_unchanged(engine):
    assert find_mark(ORDINARY) is None
    doc = parse_markup(ORDINARY, "d.md")
    assert doc.spans == [] and doc.regions == ()
    assert redact_document(doc, engine).markdown == ORDINARY


def test_marker_styles_cannot_hold_a_mark_in_any_spelling():
    for style in ("{citations} {.WITHHOLD}", "{citations} class=withhold", "{grounds} {.out-of-scope}"):
        with pytest.raises(InvalidInputError, match="cannot contain redaction markup"):
            MarkerStyle(style)
    MarkerStyle("[Withheld: {sections}]")


def test_the_cli_refuses_with_exit_3_and_writes_nothing(runner, tmp_path):
    from macip_gov.cli import cli

    doc = tmp_path / "d.md"
    doc.write_text('# T\n\nSee `[zqwbnxk]{class=withhold ground="6(c)"}`.\n', encoding="utf-8")
    out = tmp_path / "out.html"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out)])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {doc}:3: {{class=withhold ...}} here is not applied")
    assert not out.exists()


# A generated corpus on top of the fixed one: any case of the class name, typing
# slips in it and in ground=, any attribute form, order and white space, in any
# context, under any nesting.


def _misspelt(draw, word: str) -> str:
    """One typing slip in ``word``: a letter dropped, doubled, swapped with the next, replaced, or a separator added."""
    i = draw(st.integers(0, len(word) - 1))
    slip = draw(st.sampled_from(["drop", "double", "swap", "replace", "separator"]))
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    if slip == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if slip == "replace":
        return word[:i] + draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz")) + word[i + 1 :]
    return word[:i] + draw(st.sampled_from("-_")) + word[i:]


@st.composite
def spellings(draw) -> str:
    base = draw(st.sampled_from(["withhold", "out-of-scope", "withheld", "withold", "witheld", "outofscope"]))
    if base in ("withhold", "out-of-scope") and draw(st.booleans()):
        base = _misspelt(draw, base)
    name = "".join(c.upper() if draw(st.booleans()) else c for c in base)
    if draw(st.integers(0, 5)) == 0:
        name = name.replace("-", "_")
    ground = draw(st.sampled_from(["ground", "ground", "Ground", "GROUND", "grounds", "gound", "groud", "grund"]))
    form = draw(st.integers(0, 5))
    if form == 0:
        mark = "." + name
    elif form == 1:
        mark = "class=" + name
    elif form == 2:
        mark = f'class="{name}"'
    elif form == 3:
        mark = f'class="extra {name}"'
    elif form == 4:
        mark = f"class='{name}'"
    else:  # no class at all: only the ground attribute marks it
        mark = f'{ground}="6(c)"'
    others = draw(st.lists(st.sampled_from([f'{ground}="6(c)"', "#id", "%note%", f"{ground}='9(2)(a)'"]), max_size=2))
    parts = draw(st.permutations([mark, *others]))
    space = st.sampled_from([" ", "  ", "\t"])
    return draw(space) + "".join(p + draw(space) for p in parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    attrs=spellings(),
    context=st.sampled_from([c for c in CONTEXTS if c != "paragraph"]),
    detached=st.sampled_from([None, *DETACHED]),
    nest=st.sampled_from(["", "> ", "- ", "1. ", "> - "]),
)
def test_generated_spellings_in_places_without_marks_never_leak(engine, attrs, context, detached, nest):
    markup = DETACHED[detached](attrs) if detached else f"[{SECRET}]{{{attrs}}}"
    body = CONTEXTS[context](markup)
    if nest:
        pad = " " * len(nest) if nest[0] != ">" else nest
        body = nest + indent(body, pad, lambda _: True)[len(pad) :]
    assert_refused_or_withheld(engine, body)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attrs=spellings(), nest=st.sampled_from(["", "> ", "- ", "1. "]), block=st.booleans())
def test_generated_spellings_where_marks_are_read_are_a_mark_or_an_error(engine, attrs, nest, block):
    inline = f"[{SECRET}]{{{attrs}}}"
    body = f"::: {{{attrs.strip()}}}\n{SECRET}\n:::" if block and "\n" not in attrs else inline
    if nest:
        pad = " " * len(nest) if nest[0] != ">" else nest
        body = nest + indent(body, pad, lambda _: True)[len(pad) :]
    assert_refused_or_withheld(engine, body)


# Many spans: the work grows linearly with the number of spans, measured by
# counting operations (never by the clock).

PACKAGE = str(Path(macip_gov.__file__).resolve().parent)


def operations(run) -> int:
    """Work done by ``run()``: Python function calls, plus, for every str method this
    package calls, the length of that string (a search may scan all of it, so this
    bounds the characters the package's own string methods examine)."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1
            if event == "c_call" and frame.f_code.co_filename.startswith(PACKAGE):
                owner = getattr(arg, "__self__", None)
                if isinstance(owner, str):
                    count += len(owner)

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def _span(i: int) -> str:
    return f'[name {i}]{{.withhold ground="9(2)(a)"}}' if i % 3 else f"[place {i}]{{.out-of-scope}}"


SHAPES = {
    "one line": lambda n: "# T\n\nSee " + " and ".join(_span(i) for i in range(n)) + ".\n",
    "one paragraph": lambda n: "# T\n\n" + "\n".join(f"line {_span(i)} ends" for i in range(n)) + "\n",
    "a quoted paragraph": lambda n: "> " + "\n> ".join(f"q {_span(i)}" for i in range(n)) + "\n",
    "one heading": lambda n: "# " + " ".join(_span(i) for i in range(n)) + "\n",
    "one table cell": lambda n: "| h |\n|---|\n| " + " ".join(_span(i) for i in range(n)) + " |\n",
    "table rows": lambda n: "| h |\n|---|\n" + "".join(f"| {_span(i)} |\n" for i in range(n)),
    "blocks": lambda n: "Intro.\n" + "".join(f'::: {{.withhold ground="6(c)"}}\nb\n:::\ntext {i}\n' for i in range(n)),
    "paragraphs": lambda n: "\n\n".join(f"p {_span(i)}" for i in range(n)) + "\n",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_span_processing_is_linear_in_the_number_of_spans(engine, shape):
    def work(n: int) -> int:
        source = SHAPES[shape](n)
        return operations(lambda: redact_document(parse_markup(source, "d.md"), engine))

    redact_document(parse_markup(SHAPES[shape](5), "d.md"), engine)  # warm the caches
    small, large = work(500), work(2000)
    # Four times the spans: four times the work, give or take fixed costs (a
    # quadratic step makes it sixteen).
    assert 3 <= large / small <= 5, (small, large)


def test_many_spans_on_one_line_are_all_withheld(engine):
    n = 20_000
    source = SHAPES["one line"](n)
    redacted = redact_document(parse_markup(source, "d.md"), engine)
    withheld, out = "s.9(2)(a) OIA \\[REDACTED\\]", "\\[Out of scope\\]"
    assert redacted.markdown == "# T\n\nSee " + " and ".join(withheld if i % 3 else out for i in range(n)) + ".\n"
    assert (redacted.withheld, redacted.out_of_scope) == (n - (n + 2) // 3, (n + 2) // 3)
