"""``oia grounds-in``: the grounds an existing letter, schedule or release cites, with where."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError
from macip_gov.oia.grounds_in import grounds_in, grounds_in_text
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document
from macip_gov.render import markdown_to_docx, markdown_to_html

ORIGINALS = Path(__file__).resolve().parent.parent / "examples" / "macip-release" / "originals"

LETTER = """\
# Decision on your request

Please note that it has been necessary to withhold some information under the
following grounds of the OIA:

- section 6(c): the making available of that information would be likely to
  prejudice the maintenance of the law
- section 9(2)(a): to protect the privacy of natural persons.

As per section 16(1)(e) of the OIA, I have provided the relevant text as excerpts.
Some information has been withheld from these excerpts under section 6(c) of the OIA.
Received 19 July 2021; 20 working days; 3 documents.

| Document | Date | Decision |
|----------|------|----------|
| 1 | 3 December 2020 | Released in part, s 9(2)(a) |
| 2 | 17 February 2021 | Withheld in full, s 9(2)(g)(i) OIA; see s 7(2)(f)(i) LGOIMA |
"""


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.md"
    path.write_text(LETTER, encoding="utf-8")
    return path


def test_markdown_letter_lines(letter):
    result = grounds_in(letter)
    assert result.format == "markdown"
    assert result.grounds == ["6(c)", "9(2)(a)", "9(2)(g)(i)"]
    assert [(f.ground, f.line, f.citation) for f in result.found] == [
        ("6(c)", 6, "section 6(c)"),
        ("9(2)(a)", 8, "section 9(2)(a)"),
        ("6(c)", 11, "section 6(c) of the OIA"),
        ("9(2)(a)", 16, "s 9(2)(a)"),
        ("9(2)(g)(i)", 17, "s 9(2)(g)(i) OIA"),
    ]
    assert [(m.section, m.line, m.act) for m in result.mentioned] == [
        ("16(1)(e)", 10, "Official Information Act 1982"),
        ("7(2)(f)(i)", 17, "Local Government Official Information and Meetings Act 1987"),
    ]


def test_terminal_view(letter):
    assert grounds_in_text(grounds_in(letter)) == (
        "6(c)        lines 6, 11\n"
        "9(2)(a)     lines 8, 16\n"
        "9(2)(g)(i)  line 17\n"
        "mentioned: 16(1)(e) (line 10): an excerpt or summary as the form of release\n"
        "mentioned: 7(2)(f)(i) of the Local Government Official Information and Meetings Act 1987 (line 17)\n"
        f"3 grounds cited in {letter}: 6(c), 9(2)(a), 9(2)(g)(i)"
    )


def test_html_lines_follow_the_source_and_skip_scripts(tmp_path):
    page = tmp_path / "letter.html"
    page.write_text(
        "<html><head><title>Letter</title><script>var s = 's 9(2)(k)';</script></head>\n"
        "<body>\n<p>Withheld under\ns 9(2)(a) OIA.</p>\n"
        "<table><tr><td>1</td><td>s.6(c) OIA <span>[REDACTED]</span></td></tr></table>\n"
        "<p>section 9(2)(<b>g</b>)(i)</p></body></html>\n",
        encoding="utf-8",
    )
    result = grounds_in(page)
    assert result.format == "html"
    assert [(f.ground, f.line) for f in result.found] == [("9(2)(a)", 4), ("6(c)", 5), ("9(2)(g)(i)", 6)]


def test_rendered_html_and_docx_cite_what_the_markdown_cites(tmp_path, letter):
    html = tmp_path / "letter.html"
    html.write_text(markdown_to_html(LETTER, title="Decision"), encoding="utf-8")
    docx = tmp_path / "letter.docx"
    docx.write_bytes(markdown_to_docx(LETTER, title="Decision"))
    expected = grounds_in(letter)
    for path in (html, docx):
        result = grounds_in(path)
        assert [f.ground for f in result.found] == [f.ground for f in expected.found], path
        assert [m.section for m in result.mentioned] == [m.section for m in expected.mentioned], path
    paragraphs = grounds_in(docx).found
    assert all(f.line is None and f.paragraph and f.part == "body" for f in paragraphs)
    assert [f.paragraph for f in paragraphs] == sorted(f.paragraph for f in paragraphs)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t xml:space='preserve'>{r}</w:t></w:r>" for r in runs) + "</w:p>"


def test_docx_paragraphs_footnotes_headers_and_text_boxes(tmp_path):
    body = (
        f"<w:document {W}><w:body>"
        + _p("Purpose")
        + _p("6. ", "s.6(c)", " OIA")
        # a text box: its paragraph is numbered on its own, after the one holding it
        + "<w:p><w:r><w:t>Box: </w:t></w:r><w:r><w:txbxContent>"
        + _p("s 9(2)(g)(i) OIA")
        + "</w:txbxContent></w:r><w:r><w:t>s 9(2)(ba)(i)</w:t></w:r></w:p>"
        + "<w:tbl><w:tr><w:tc>"
        + _p("s 9(2)(a)")
        + "</w:tc></w:tr></w:tbl>"
        + "</w:body></w:document>"
    )
    notes = f"<w:footnotes {W}>" + _p("") + _p("s.6(c) OIA") + "</w:footnotes>"
    header = f"<w:hdr {W}>" + _p("Released under section 16(1)(e)") + "</w:hdr>"
    path = tmp_path / "release.docx"
    path.write_bytes(_docx({"word/document.xml": body, "word/footnotes.xml": notes, "word/header2.xml": header}))
    result = grounds_in(path)
    assert [(f.ground, f.part, f.paragraph) for f in result.found] == [
        ("6(c)", "body", 2),
        ("9(2)(g)(i)", "body", 4),
        ("9(2)(ba)(i)", "body", 3),
        ("9(2)(a)", "body", 5),
        ("6(c)", "footnotes", 2),
    ]
    assert [(m.section, m.part, m.paragraph) for m in result.mentioned] == [("16(1)(e)", "header2", 1)]
    assert grounds_in_text(result).splitlines()[0] == "6(c)         paragraph 2, footnotes paragraph 2"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a zip", "not a DOCX file (not a zip archive)"),
        (_docx({"word/other.xml": "<x/>"}), "not a DOCX file (it has no word/document.xml)"),
        (_docx({"word/document.xml": "<d>\n<e></d>"}), "word/document.xml is not well-formed XML (line 2, column 6)"),
        (
            _docx({"word/document.xml": '<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'}),
            "word/document.xml declares a DTD or entities, which a Word document never does",
        ),
    ],
)
def test_bad_docx_is_one_line_exit_3(runner, tmp_path, payload, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(payload)
    with pytest.raises(InvalidInputError) as info:
        grounds_in(path)
    assert info.value.one_line() == f"{path}: {message}"
    result = runner.invoke(cli, ["oia", "grounds-in", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"Error: {path}: {message}\n")


def test_a_docx_part_that_unpacks_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("MACIP_MAX_FILE_MIB", "1")
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx({"word/document.xml": f"<w:document {W}>" + " " * (2 << 20) + "</w:document>"}))
    assert path.stat().st_size < (1 << 20)
    with pytest.raises(InvalidInputError) as info:
        grounds_in(path)
    assert info.value.one_line() == (
        f"{path}: word/document.xml unpacks to more than the 1 MiB limit for an input file (MACIP_MAX_FILE_MIB)"
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "is a directory, not a file"),
        (lambda p: p.write_bytes(b"s 9(2)(a) \xff\xfe"), "not UTF-8 text (byte 10)"),
    ],
)
def test_unreadable_file_is_one_line_exit_3(runner, tmp_path, make, message):
    path = tmp_path / "letter.md"
    make(path)
    result = runner.invoke(cli, ["oia", "grounds-in", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", f"Error: {path}: {message}\n")


def test_cli_json(runner, letter):
    result = runner.invoke(cli, ["oia", "grounds-in", "--json", str(letter)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["grounds"] == ["6(c)", "9(2)(a)", "9(2)(g)(i)"]
    assert document["found"][0] == {
        "ground": "6(c)",
        "citation": "section 6(c)",
        "line": 6,
        "paragraph": None,
        "part": None,
    }
    assert document["mentioned"][0]["role"] == "an excerpt or summary as the form of release"


def test_cli_a_file_with_no_ground(runner, tmp_path):
    path = tmp_path / "note.md"
    path.write_text("Received 19 July 2021 and extended under s 15A.\n", encoding="utf-8")
    result = runner.invoke(cli, ["oia", "grounds-in", str(path)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"no ground of the Official Information Act 1982 is cited in {path}\n"
        "mentioned: 15A (line 1): extension of a time limit\n"
    )


@pytest.mark.parametrize("original", sorted(ORIGINALS.glob("*.md")), ids=lambda p: p.name)
def test_a_redacted_release_cites_the_grounds_its_markup_withheld_under(engine, tmp_path, original):
    marked = parse_markup(original.read_text(encoding="utf-8"), original.name)
    redacted = redact_document(marked, engine)
    for name, payload in (
        ("r.md", redacted.markdown.encode()),
        ("r.html", markdown_to_html(redacted.markdown, title=redacted.title).encode()),
        ("r.docx", markdown_to_docx(redacted.markdown, title=redacted.title)),
    ):
        path = tmp_path / name
        path.write_bytes(payload)
        assert set(grounds_in(path).grounds) >= set(marked.grounds), name
