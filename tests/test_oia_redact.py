"""Redaction: golden cases, markers and styles, titles, the grounds policy, every output format."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from macip_gov.engine import EmbeddedEngine
from macip_gov.errors import InvalidInputError, MacipError, PolicyError
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import (
    DEFAULT_STYLE,
    GroundsCheck,
    MarkerStyle,
    RedactedDocument,
    check_grounds,
    redact_document,
    redact_file,
    write_redacted,
)
from macip_gov.policyset import load_policy_set
from macip_gov.render import markdown_parser, plain_markdown
from macip_gov.resources import policies_dir

GOLDEN = Path(__file__).resolve().parent / "golden" / "redact"


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it-style fixtures: title / . / input / . / expected / ."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path.name}:{i + 2}: expected '.' after the title"
        parts: list[list[str]] = [[], []]
        i += 2
        for part in parts:
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            i += 1
        cases.append((title, "\n".join(parts[0]) + "\n", "\n".join(parts[1]) + "\n"))
    return cases


CASES = [
    pytest.param(path.stem, source, expected, id=f"{path.stem}: {title}")
    for path in sorted(GOLDEN.glob("*.md"))
    for title, source, expected in read_cases(path)
]


def test_every_golden_file_has_cases():
    assert {p.stem for p in GOLDEN.glob("*.md")} == {"blocks", "errors", "headings_tables", "html", "inline"}
    assert len(CASES) >= 50


@pytest.mark.parametrize(("kind", "source", "expected"), CASES)
def test_golden(engine, kind, source, expected):
    if kind == "errors":
        # Bad markup is an error (exit 3); a ground the policy refuses is a returned refusal (exit 1).
        try:
            refused = redact_document(parse_markup(source, "doc.md"), engine)
        except MacipError as exc:
            assert f"exit {int(exc.exit_code)}: {exc.one_line()}\n" == expected
        else:
            assert refused.refused and f"exit 1: {refused.refusal()}\n" == expected
        return
    redacted = redact_document(parse_markup(source, "doc.md"), engine)
    if kind == "html":
        assert markdown_parser().render(redacted.markdown) == expected
    else:
        assert redacted.markdown == expected
    # Redacting the release again changes nothing.
    assert redact_document(parse_markup(redacted.markdown, "doc.md"), engine).markdown == redacted.markdown


# --------------------------------------------------------------------------- the result


SOURCE = """\
# Briefing: [Operation Kea]{.withhold ground="6(c)"}

Contact [Aroha Ngata]{.withhold ground="9(2)(a)"} on [021 555 0199]{.withhold ground="9(2)(a)"}.

::: {.withhold ground="6(c) 9(2)(g)(i)"}
Talking points.
:::

[Roading]{.out-of-scope} was also raised.
"""


def test_redacted_document(engine):
    redacted = redact_document(parse_markup(SOURCE, "briefing.md"), engine)
    assert redacted == RedactedDocument(
        markdown=(
            "# Briefing: s.6(c) OIA \\[REDACTED\\]\n\n"
            "Contact s.9(2)(a) OIA \\[REDACTED\\] on s.9(2)(a) OIA \\[REDACTED\\].\n\n"
            "s.6(c) OIA, s.9(2)(g)(i) OIA \\[REDACTED\\]\n\n"
            "\\[Out of scope\\] was also raised.\n"
        ),
        title="Briefing: s.6(c) OIA [REDACTED]",
        grounds=["6(c)", "9(2)(a)", "9(2)(g)(i)"],
        withheld=4,
        out_of_scope=1,
        source="briefing.md",
        warnings=[],
        boxed=(
            "# Briefing: \ufdd06(c)\ufdd1s.6(c) OIA \\[REDACTED\\]\ufdd2\n\n"
            "Contact \ufdd09(2)(a)\ufdd1s.9(2)(a) OIA \\[REDACTED\\]\ufdd2 on "
            "\ufdd09(2)(a)\ufdd1s.9(2)(a) OIA \\[REDACTED\\]\ufdd2.\n\n"
            "\ufdd06(c) 9(2)(g)(i)\ufdd1s.6(c), s.9(2)(g)(i) OIA \\[REDACTED\\]\ufdd2\n\n"
            "\ufdd0\ufdd1\\[Out of scope\\]\ufdd2 was also raised.\n"
        ).replace("s.6(c), s.9", "s.6(c) OIA, s.9"),
    )
    assert plain_markdown(redacted.boxed) == redacted.markdown


def test_crlf_source_gives_lf_release(engine):
    redacted = redact_document(parse_markup(SOURCE.replace("\n", "\r\n"), "briefing.md"), engine)
    assert redacted.markdown == redact_document(parse_markup(SOURCE, "briefing.md"), engine).markdown


def test_title_comes_from_released_text_only(engine):
    # Never the file name, which can say what was withheld.
    assert redact_document(parse_markup("No heading.\n", "kea-informant.md"), engine).title == "Released document"
    # A heading inside a withheld block is not a title; the next released one is.
    source = "::: {.out-of-scope}\n# Hidden\n:::\n\n## Shown *here*\n"
    assert redact_document(parse_markup(source, "d.md"), engine).title == "Shown here"


def test_parent_ground_warns_with_its_line(engine):
    redacted = redact_document(parse_markup('Intro.\n\n[x]{.withhold ground="9(2)(g)"}\n', "d.md"), engine)
    assert redacted.markdown == "Intro.\n\ns.9(2)(g) OIA \\[REDACTED\\]\n"
    assert redacted.warnings == ["d.md:3: 9(2)(g) has sub-paragraphs (9(2)(g)(i), 9(2)(g)(ii)); cite the one relied on"]


def test_policy_violation_lists_every_bad_ground(engine):
    source = 'a [x]{.withhold ground="9(2)(z)"}\n\nb [y]{.withhold ground="18(d)"}\n'
    redacted = redact_document(parse_markup(source, "d.md"), engine)
    assert redacted.refused and redacted.markdown == ""
    assert [(v.id, v.line, v.document, v.effect) for v in redacted.violations] == [
        ("oia.grounds.unknown", 1, "d.md", "deny"),
        ("oia.grounds.refusal_used_to_withhold", 3, "d.md", "deny"),
    ]
    with pytest.raises(PolicyError, match="refused this redaction"):
        write_redacted(redacted, "never-written.md")


def test_no_markup_needs_no_policy(engine):
    doc = parse_markup("Plain text.\n", "d.md")
    assert check_grounds(doc, engine) == GroundsCheck(violations=[], warnings=[])
    assert redact_document(doc, engine).markdown == "Plain text.\n"


def _engine_with(tmp_path, rego: str) -> EmbeddedEngine:
    """The bundled policies with oia/grounds/grounds.rego replaced (and oia/release, which builds on it, left out)."""
    import shutil

    root = tmp_path / "policies"
    shutil.copytree(policies_dir(), root)
    shutil.rmtree(root / "oia" / "release")
    (root / "oia" / "grounds" / "grounds_test.rego").unlink()
    (root / "oia" / "grounds" / "grounds.rego").write_text(rego, encoding="utf-8")
    return EmbeddedEngine(load_policy_set(root))


def test_grounds_policy_that_says_nothing_fails_closed(tmp_path):
    silent = _engine_with(tmp_path, 'package oia.grounds\n\ndecision := {"grounds": [], "deny": [], "warn": []}\n')
    try:
        with pytest.raises(PolicyError) as info:
            redact_document(parse_markup('[x]{.withhold ground="6(c)"}\n', "d.md"), silent)
        assert info.value.one_line() == "oia.grounds.decision said nothing about 6(c)"
    finally:
        silent.close()


def test_grounds_policy_with_a_malformed_answer_fails_closed(tmp_path):
    broken = _engine_with(tmp_path, 'package oia.grounds\n\ndecision := {"grounds": 1}\n')
    try:
        with pytest.raises(PolicyError) as info:
            redact_document(parse_markup('[x]{.withhold ground="6(c)"}\n', "d.md"), broken)
        assert info.value.one_line() == "oia.grounds.decision: deny is not a set of results"
    finally:
        broken.close()


# --------------------------------------------------------------------------- styles


@pytest.mark.parametrize(
    ("style", "marker"),
    [
        (DEFAULT_STYLE, "s.6(c) OIA, s.9(2)(a) OIA \\[REDACTED\\]"),
        ("[Withheld under {sections}]", "\\[Withheld under section 6(c), section 9(2)(a)\\]"),
        ("{grounds}", "6(c), 9(2)(a)"),
        ("{{{grounds}}} *withheld*", "\\{6(c), 9(2)(a)\\} \\*withheld\\*"),
        ("<b>{citations}</b>", "\\<b\\>s.6(c) OIA, s.9(2)(a) OIA\\</b\\>"),
    ],
)
def test_styles(engine, style, marker):
    doc = parse_markup('- [x]{.withhold ground="6(c) 9(2)(a)"} and [y]{.out-of-scope}\n', "d.md")
    assert redact_document(doc, engine, style).markdown == f"- {marker} and \\[Out of scope\\]\n"


@pytest.mark.parametrize(
    ("style", "message"),
    [
        ("", "the marker style is empty"),
        ("[REDACTED]", "the marker style must name the grounds with one of {citations}, {grounds}, {sections}"),
        ("{text}", "unknown placeholder {text}; the marker style may use {citations}, {grounds}, {sections}"),
        ("{0}", "unknown placeholder {0}; the marker style may use {citations}, {grounds}, {sections}"),
        (
            "{citations.__class__}",
            "unknown placeholder {citations.__class__}; the marker style may use {citations}, {grounds}, {sections}",
        ),
        ("{citations!r}", "placeholder {citations} takes no format or conversion"),
        ("{grounds:>40}", "placeholder {grounds} takes no format or conversion"),
        (
            "{grounds",
            "the marker style is not a valid template: expected '}' before end of string (write {{ and }} for braces)",
        ),
        ("{grounds}\nmore", "the marker style must be one line of text"),
        ("{grounds} .withhold", "the marker style cannot contain redaction markup"),
        ("{grounds}" + "x" * 200, "the marker style is longer than 200 characters"),
        ("    {grounds}", "the marker style must not start or end with spaces"),
    ],
)
def test_bad_styles(style, message):
    with pytest.raises(InvalidInputError) as info:
        MarkerStyle(style)
    assert info.value.message == f"{message} (in {style!r})"
    assert info.value.file == "--style"


# --------------------------------------------------------------------------- formats


def _docx_text(payload: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_write_redacted_every_format(engine, tmp_path, fmt):
    redacted = redact_document(parse_markup(SOURCE, "briefing.md"), engine)
    path = write_redacted(redacted, tmp_path / f"out.{fmt}")
    payload = path.read_bytes()
    text = _docx_text(payload) if fmt == "docx" else payload.decode("utf-8")
    for secret in ("Kea", "Aroha", "0199", "Talking", "Roading"):
        assert secret not in text
    assert "REDACTED" in text and "Out of scope" in text
    if fmt == "html":
        assert "<title>Briefing: s.6(c) OIA [REDACTED]</title>" in text
    if fmt == "docx":
        assert "<dc:title>Briefing: s.6(c) OIA [REDACTED]</dc:title>" in text


def test_redact_file_writes_nothing_on_error(engine, tmp_path):
    source = tmp_path / "doc.md"
    source.write_text('[x]{.withhold ground="9(2)(z)"}\n', encoding="utf-8")
    out = tmp_path / "out.md"
    out.write_text("previous release", encoding="utf-8")
    report = redact_file(source, out, lambda: engine)
    assert (report.written, report.exit_code, [v.id for v in report.violations]) == (False, 1, ["oia.grounds.unknown"])
    unknown = "9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982"
    assert report.refusal() == f"{source}:1: {unknown}"
    assert out.read_text(encoding="utf-8") == "previous release"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.md", "out.md"]


def test_redact_file_will_not_overwrite_the_original(engine, tmp_path):
    source = tmp_path / "doc.md"
    source.write_text("text\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        redact_file(source, tmp_path / "." / "doc.md", lambda: engine, fmt="md")
    assert info.value.one_line() == f"{tmp_path / '.' / 'doc.md'}: the output would overwrite the marked-up original"
    assert source.read_text(encoding="utf-8") == "text\n"


def test_redact_file_loads_the_engine_only_for_well_formed_markup(engine, tmp_path):
    calls = []

    def factory():
        calls.append(1)
        return engine

    bad = tmp_path / "bad.md"
    bad.write_text("::: {.withhold}\nx\n", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        redact_file(bad, tmp_path / "bad.html", factory)
    assert calls == []
    good = tmp_path / "good.md"
    good.write_text('[x]{.withhold ground="6(c)"}\n', encoding="utf-8")
    report = redact_file(good, tmp_path / "good.html", factory)
    assert calls == [1]
    assert (report.format, report.withheld, report.grounds) == ("html", 1, ["6(c)"])
