"""Word originals in: the hidden-content audit, the refusal until each kind is decided, the conversion.

Every document is built part by part (tests/word_docs.py) and converted by the real
pandoc program from the pypandoc-binary wheel.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from word_docs import WordDoc, abstract_num, num, p, t

from macip_gov.cli import cli
from macip_gov.cli._oia_import import KINDS
from macip_gov.errors import InvalidInputError
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.word import CHOICE_KINDS, HiddenKind, ImportChoices, comment_mark, import_docx

OMIT_ALL = ImportChoices(tracked_changes="accept", omit=list(CHOICE_KINDS))
SHOW_ALL = ImportChoices(tracked_changes="accept", show_hidden=True)

FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DOCPROPERTY Informant </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>Field result</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Box"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    "<wps:txbx><w:txbxContent>" + p("BOXWORD in a box") + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>"
    "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
    + p("BOXWORD in a box")
    + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)
IMAGE = (
    '<w:r><w:drawing><wp:inline><wp:docPr id="2" name="Picture 2" descr="ALTWORD photo of the site"/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic>'
    "</wp:inline></w:drawing></w:r>"
)
OBJECT = '<w:r><w:object><o:OLEObject ProgID="Excel.Sheet.12" r:id="rId9"/></w:object></w:r>'


def plain(*extra: str, **parts: object) -> WordDoc:
    return WordDoc(body=[p("Plain opening paragraph."), *extra], **parts)  # type: ignore[arg-type]


# Each kind of hidden content, alone in a document, with a word that must never leak when omitted.
KIND_DOCS: dict[HiddenKind, tuple[WordDoc, str]] = {
    HiddenKind.TRACKED_CHANGES: (
        plain(p("Kept ", '<w:del w:id="1" w:author="A"><w:r><w:delText>DELWORD</w:delText></w:r></w:del>')),
        "DELWORD",
    ),
    HiddenKind.COMMENTS: (
        plain(
            p('<w:commentRangeStart w:id="4"/>', "Reviewed", '<w:commentRangeEnd w:id="4"/>'),
            comments={4: ("Jo", "COMMENTWORD ask legal")},
        ),
        "COMMENTWORD",
    ),
    HiddenKind.HIDDEN_TEXT: (
        plain(p("Seen ", "<w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDENWORD</w:t></w:r>")),
        "HIDDENWORD",
    ),
    HiddenKind.HEADERS_FOOTERS: (plain(headers={"first": "HEADERWORD"}, footers={"even": "FOOTERWORD"}), "HEADERWORD"),
    HiddenKind.TEXT_BOXES: (plain(p("Anchor ", TEXT_BOX)), "BOXWORD"),
    HiddenKind.IMAGES: (plain(p("Figure ", IMAGE)), "ALTWORD"),
    HiddenKind.PROPERTIES: (
        plain(core={"dc:creator": "PROPWORD Author"}, custom={"Informant": "CUSTWORD"}),
        "PROPWORD",
    ),
    HiddenKind.CUSTOM_XML: (plain(custom_xml="<data><secret>CXMLWORD</secret></data>"), "CXMLWORD"),
    HiddenKind.EMBEDDED_OBJECTS: (plain(p("Sheet ", OBJECT), embedding=b"OLEWORD binary"), "OLEWORD"),
    HiddenKind.FIELDS: (plain(p("See ", FIELD)), "Informant"),
    HiddenKind.OTHER_PARTS: (plain(extra_parts={"word/glossary/document.xml": b"<x>GLOSSWORD</x>"}), "GLOSSWORD"),
}


def test_cli_kinds_are_the_library_kinds() -> None:
    assert list(KINDS) == [k.value for k in CHOICE_KINDS]
    assert set(KIND_DOCS) == set(HiddenKind) - {HiddenKind.NOTES}


@pytest.mark.parametrize("kind", list(KIND_DOCS), ids=lambda k: k.value)
def test_each_kind_is_found_and_stops_the_import(tmp_path: Path, kind: HiddenKind) -> None:
    doc, _word = KIND_DOCS[kind]
    source = doc.write(tmp_path / "in.docx")
    result = import_docx(source)
    assert kind in result.undecided
    assert result.markdown == ""
    assert all(f.part and f.location for f in result.findings)
    out = tmp_path / "out.md"
    run = CliRunner().invoke(cli, ["oia", "import", str(source), "-o", str(out)])
    assert run.exit_code == 1
    assert f"{kind.value} (" in run.stdout and "UNDECIDED" in run.stdout
    assert "nothing written: hidden content waits for a decision" in run.stdout
    assert not out.exists()


@pytest.mark.parametrize("kind", list(KIND_DOCS), ids=lambda k: k.value)
def test_omitted_kinds_leave_nothing_and_shown_kinds_are_marked(tmp_path: Path, kind: HiddenKind) -> None:
    doc, word = KIND_DOCS[kind]
    source = doc.write(tmp_path / "in.docx")
    omitted = import_docx(source, OMIT_ALL)
    assert omitted.converted and "Plain opening paragraph." in omitted.markdown
    assert word not in omitted.markdown
    parse_markup(omitted.markdown, "omitted.md")
    if kind is HiddenKind.TRACKED_CHANGES:
        rejected = import_docx(source, ImportChoices(tracked_changes="reject", omit=list(CHOICE_KINDS)))
        assert "Kept DELWORD" in rejected.markdown
        return
    shown = import_docx(source, SHOW_ALL)
    if kind is HiddenKind.EMBEDDED_OBJECTS:
        assert '{.hidden kind="embedded-objects"}' in shown.markdown
    else:
        assert word in shown.markdown
    assert shown.review_marks >= 1
    with pytest.raises(InvalidInputError, match="unknown class .hidden"):
        parse_markup(shown.markdown, "shown.md")


def test_tracked_changes_accepted_and_rejected(tmp_path: Path) -> None:
    body = [
        p(
            "The group ",
            '<w:ins w:id="1" w:author="A"><w:r><w:t>will now </w:t></w:r></w:ins>',
            '<w:del w:id="2" w:author="A"><w:r><w:delText>may </w:delText></w:r></w:del>',
            "meet weekly.",
            '<w:moveFrom w:id="3" w:author="A"><w:r><w:t> Moved away.</w:t></w:r></w:moveFrom>',
        ),
        p('<w:moveTo w:id="4" w:author="A"><w:r><w:t>Moved here.</w:t></w:r></w:moveTo>'),
    ]
    source = WordDoc(body=body).write(tmp_path / "in.docx")
    findings = import_docx(source).findings
    assert [f.detail.split(" by ")[0] for f in findings] == ["insertion", "deletion", "moved from", "moved to"]
    assert {f.location for f in findings} == {"paragraph 1", "paragraph 2"}
    accepted = import_docx(source, ImportChoices(tracked_changes="accept")).markdown
    assert accepted == "The group will now meet weekly.\n\nMoved here.\n"
    rejected = import_docx(source, ImportChoices(tracked_changes="reject")).markdown
    assert rejected == "The group may meet weekly. Moved away.\n"


def test_comment_marks_become_spans_on_exactly_the_range(tmp_path: Path) -> None:
    body = [
        p(
            "Met ",
            '<w:commentRangeStart w:id="1"/>',
            "Aroha Ngata",
            '<w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>',
            " about referrals.",
        ),
        p('<w:commentRangeStart w:id="2"/>', "Operation Kea began.", num=(1, 0)),
        p("It ended", '<w:commentRangeEnd w:id="2"/>', " in May.", num=(1, 0)),
        p("Roading: ", '<w:commentRangeStart w:id="3"/>', "the budget", '<w:commentRangeEnd w:id="3"/>'),
    ]
    doc = WordDoc(
        body=body,
        numbering=[abstract_num(0, [("decimal", "%1.", 1)]), num(1, 0)],
        comments={1: ("Jo", "s 9(2)(a)"), 2: ("Jo", "withhold 6(c), 9(2)(g)(i)"), 3: ("Jo", "Out of scope")},
    )
    result = import_docx(doc.write(tmp_path / "in.docx"))
    assert result.converted and not result.findings
    assert [(m.kind, m.grounds) for m in result.marks] == [
        ("withhold", ["9(2)(a)"]),
        ("withhold", ["6(c)", "9(2)(g)(i)"]),
        ("out-of-scope", []),
    ]
    assert result.markdown == (
        'Met [Aroha Ngata]{.withhold ground="9(2)(a)"} about referrals.\n\n'
        '1. [Operation Kea began.]{.withhold ground="6(c) 9(2)(g)(i)"}\n\n'
        '2. [It ended]{.withhold ground="6(c) 9(2)(g)(i)"} in May.\n\n'
        "Roading: [the budget]{.out-of-scope}\n"
    )


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("s 9(2)(a)", ("withhold", ["9(2)(a)"])),
        ("withhold 6(c), 9(2)(g)(i)", ("withhold", ["6(c)", "9(2)(g)(i)"])),
        ("Withheld under s.6(c) OIA.", ("withhold", ["6(c)"])),
        ("out of scope", ("out-of-scope", [])),
        ("please check 9(2)(a) with Jo", None),
        ("s 9(1)", None),
        ("looks fine", None),
        ("", None),
    ],
)
def test_which_comments_are_marks(text: str, mark: tuple[str, list[str]] | None) -> None:
    assert comment_mark(text) == mark


def test_numbers_come_from_numbering_xml(tmp_path: Path) -> None:
    numbering = [
        abstract_num(0, [("decimal", "%1.", 1), ("lowerLetter", "(%2)", 1), ("lowerRoman", "%3)", 1)]),
        abstract_num(1, [("bullet", "\uf0b7", 1)]),
        abstract_num(2, [("upperRoman", "Part %1", 1)]),
        num(1, 0),
        num(2, 1),
        num(3, 0, {0: 14}),  # a new instance of the same list, restarted at 14
        num(4, 0),  # another instance without override: counts on
        num(5, 2),
    ]
    body = [
        p("Purpose", num=(5, 0)),
        p("First.", num=(1, 0)),
        p("Sub a.", num=(1, 1)),
        p("Sub b.", num=(1, 1)),
        p("Deep.", num=(1, 2)),
        p("Second.", num=(1, 0)),
        p("Sub restarts.", num=(1, 1)),
        p("A bullet.", num=(2, 0)),
        p("Fourteenth.", num=(3, 0)),
        p("Fifteenth.", num=(4, 0)),
        p("Scope", num=(5, 0)),
    ]
    result = import_docx(WordDoc(body=body, numbering=numbering).write(tmp_path / "in.docx"))
    assert result.markdown == (
        "Part I Purpose\n\n"
        "1. First.\n\n"
        "   (a) Sub a.\n\n"
        "   (b) Sub b.\n\n"
        "   i) Deep.\n\n"
        "2. Second.\n\n"
        "   (a) Sub restarts.\n\n"
        "- A bullet.\n\n"
        "14. Fourteenth.\n\n"
        "15. Fifteenth.\n\n"
        "Part II Scope\n"
    )


def test_numbering_through_a_style_and_a_start_value(tmp_path: Path) -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Numbered"><w:name w:val="Numbered"/>'
        '<w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
    )
    numbering = [abstract_num(3, [("decimal", "%1.", 20)]), num(7, 3)]
    body = [p("Twentieth.", style="Numbered"), p("Unnumbered."), p("Twenty-first.", style="Numbered")]
    result = import_docx(WordDoc(body=body, numbering=numbering, styles=styles).write(tmp_path / "in.docx"))
    assert result.markdown == "20. Twentieth.\n\nUnnumbered.\n\n21. Twenty-first.\n"


def test_headings_tables_emphasis_and_notes(tmp_path: Path) -> None:
    styles = '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    table = (
        "<w:tbl><w:tr><w:tc>" + p("Agency") + "</w:tc><w:tc>" + p("Role") + "</w:tc></w:tr>"
        "<w:tr><w:tc>" + p("Police") + p("(lead)") + "</w:tc><w:tc>" + p("a | b") + "</w:tc></w:tr></w:tbl>"
    )
    body = [
        p("MACIP update", style="Heading1"),
        p(
            "Some ",
            "<w:r><w:rPr><w:i/></w:rPr><w:t>emphasis</w:t></w:r>",
            " here.",
            '<w:r><w:footnoteReference w:id="1"/></w:r>',
        ),
        table,
        p("1. Not a list, * not a bullet"),
    ]
    doc = WordDoc(body=body, styles=styles, footnotes={1: p("Cabinet paper, 2021.")})
    result = import_docx(doc.write(tmp_path / "in.docx"))
    assert [f.kind for f in result.findings] == [HiddenKind.NOTES]
    assert result.markdown == (
        "# MACIP update\n\n"
        "Some *emphasis* here.\\[1\\]\n\n"
        "| Agency        | Role   |\n"
        "|---------------|--------|\n"
        "| Police (lead) | a \\| b |\n\n"
        "1\\. Not a list, \\* not a bullet\n\n"
        "Footnotes\n\n"
        "\\[1\\] Cabinet paper, 2021.\n"
    )


def test_bad_packages_are_invalid_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    text = tmp_path / "note.docx"
    text.write_text("not a zip")
    run = runner.invoke(cli, ["oia", "import", str(text), "-o", str(tmp_path / "o.md")])
    assert run.exit_code == 3 and "not a zip archive" in run.stderr
    dtd = tmp_path / "dtd.docx"
    WordDoc(body=[p("x")], extra_parts={"word/settings.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'}).write(dtd)
    run = runner.invoke(cli, ["oia", "import", str(dtd), "-o", str(tmp_path / "o.md")])
    assert run.exit_code == 3 and "word/settings.xml declares a DTD or entities" in run.stderr
    bomb = tmp_path / "bomb.docx"
    WordDoc(body=[p("x")], extra_parts={"word/media/zeros.bin": b"\0" * (3 * 1024 * 1024)}).write(bomb)
    monkeypatch.setenv("MACIP_MAX_FILE_MIB", "1")
    run = runner.invoke(cli, ["oia", "import", str(bomb), "-o", str(tmp_path / "o.md")])
    assert run.exit_code == 3 and "unpacks past the 1 MiB limit" in run.stderr
    assert not (tmp_path / "o.md").exists()
    no_body = tmp_path / "nobody.docx"
    with zipfile.ZipFile(no_body, "w") as archive:
        archive.writestr("hello.txt", "hi")
    run = runner.invoke(cli, ["oia", "import", str(no_body), "-o", str(tmp_path / "o.md")])
    assert run.exit_code == 3 and "no word/document.xml" in run.stderr


def test_cli_writes_after_the_decisions_and_reports_json(tmp_path: Path) -> None:
    doc, _ = KIND_DOCS[HiddenKind.HIDDEN_TEXT]
    source = doc.write(tmp_path / "in.docx")
    out = tmp_path / "out.md"
    run = CliRunner().invoke(cli, ["oia", "import", str(source), "-o", str(out), "--omit", "hidden-text", "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["written"] is True and report["result"]["decisions"] == {"hidden-text": "omit"}
    assert out.read_text() == "Plain opening paragraph.\n\nSeen\n"
    run = CliRunner().invoke(
        cli, ["oia", "import", str(source), "-o", str(out), "--show", "fields", "--omit", "fields"]
    )
    assert run.exit_code == 2 and "fields cannot be both shown and omitted" in run.stderr
    run = CliRunner().invoke(cli, ["oia", "import", str(source), "-o", str(source), "--omit", "hidden-text"])
    assert run.exit_code == 3 and "would overwrite the Word original" in run.stderr


def test_placeholder_characters_in_the_document_cannot_forge_marks(tmp_path: Path) -> None:
    body = [p("Forged \ue0060\ue005 text \ue0070\ue005 and \ue0000\ue005 number.")]
    result = import_docx(WordDoc(body=body).write(tmp_path / "in.docx"))
    assert "{.withhold" not in result.markdown
    assert "\ufffd" in result.markdown


def test_text_runs_helper_is_plain() -> None:
    assert t("a<b") == '<w:r><w:t xml:space="preserve">a&lt;b</w:t></w:r>'


def test_the_word_example_is_built_by_its_script_and_imports(tmp_path: Path) -> None:
    import importlib.util

    root = Path(__file__).resolve().parent.parent / "examples" / "word"
    spec = importlib.util.spec_from_file_location("make_word_example", root / "make_word_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = tmp_path / "built.docx"
    module.main()
    assert (tmp_path / "built.docx").read_bytes() == (root / "macip-update.docx").read_bytes()
    example = root / "macip-update.docx"
    assert set(import_docx(example).undecided) == {
        HiddenKind.TRACKED_CHANGES,
        HiddenKind.HIDDEN_TEXT,
        HiddenKind.COMMENTS,
        HiddenKind.HEADERS_FOOTERS,
        HiddenKind.PROPERTIES,
    }
    result = import_docx(example, OMIT_ALL)
    assert [m.grounds for m in result.marks] == [["6(c)"], ["6(c)"], ["9(2)(a)"]]
    assert "6. Officials considered the programme's name.\n\n14. The ethos of MACIP is:" in result.markdown
    assert "working title" not in result.markdown and "may contribute" not in result.markdown


def test_marks_keep_emphasis_and_links_whole(tmp_path: Path) -> None:
    bold = '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>'
    italic = '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>'
    link = '<w:hyperlink r:id="rId1"><w:r><w:t>the pilot</w:t></w:r></w:hyperlink>'
    body = [
        p(
            bold % "abc ",
            '<w:commentRangeStart w:id="1"/>',
            bold % "def",
            '<w:commentRangeEnd w:id="1"/>',
            bold % " ghi",
        ),
        p("See ", '<w:commentRangeStart w:id="2"/>', link, " report", '<w:commentRangeEnd w:id="2"/>', "."),
        p(
            italic % "it ",
            '<w:commentRangeStart w:id="3"/>',
            italic % "alic",
            '<w:commentRangeEnd w:id="3"/>',
            italic % "s",
        ),
    ]
    doc = WordDoc(body=body, comments={1: ("a", "s 6(c)"), 2: ("a", "s 6(c)"), 3: ("a", "s 9(2)(a)")})
    source = doc.write(tmp_path / "in.docx")
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'hyperlink" Target="https://example.org/pilot" TargetMode="External"/></Relationships>',
    )
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert import_docx(source).markdown == (
        '**abc** [**def**]{.withhold ground="6(c)"} **ghi**\n\n'
        'See [[the pilot](https://example.org/pilot) report]{.withhold ground="6(c)"}.\n\n'
        '*it* [*alic*]{.withhold ground="9(2)(a)"}*s*\n'
    )


def test_hidden_by_style_and_restarted_levels(tmp_path: Path) -> None:
    styles = (
        '<w:style w:type="character" w:styleId="Secret"><w:name w:val="Secret"/><w:rPr><w:vanish/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Quiet"><w:name w:val="Quiet"/><w:rPr><w:vanish/></w:rPr></w:style>'
    )
    numbering = [
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlRestart w:val="0"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>',
        num(1, 0),
    ]
    body = [
        p("Shown ", '<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>STYLEHIDDEN</w:t></w:r>'),
        p("PARAHIDDEN whole paragraph", style="Quiet"),
        p("One.", num=(1, 0)),
        p("Sub.", num=(1, 1)),
        p("Two.", num=(1, 0)),
        p("Sub never restarts.", num=(1, 1)),
    ]
    source = WordDoc(body=body, styles=styles, numbering=numbering).write(tmp_path / "in.docx")
    assert [f.kind for f in import_docx(source).findings] == [HiddenKind.HIDDEN_TEXT, HiddenKind.HIDDEN_TEXT]
    result = import_docx(source, ImportChoices(omit=[HiddenKind.HIDDEN_TEXT]))
    assert result.markdown == "Shown\n\n1. One.\n\n   1.1 Sub.\n\n2. Two.\n\n   2.2 Sub never restarts.\n"
    shown = import_docx(source, ImportChoices(show=[HiddenKind.HIDDEN_TEXT])).markdown
    assert '[STYLEHIDDEN]{.hidden kind="hidden-text"}' in shown
    assert '[PARAHIDDEN whole paragraph]{.hidden kind="hidden-text"}' in shown


def test_release_check_lists_undecided_word_originals_and_reads_s10_originals(tmp_path: Path) -> None:
    doc, _ = KIND_DOCS[HiddenKind.TRACKED_CHANGES]
    doc.write(tmp_path / "a.docx")
    WordDoc(body=[p("Operation Kereru details")]).write(tmp_path / "b.docx")
    (tmp_path / "manifest.yaml").write_text(
        "request:\n  id: '1'\n  requester: R\n  agency: the Minister\n  subject: Operation Kereru details\n"
        "  sought: [x]\n  received: 2021-07-12\n  decided: 2021-08-02\n  decision_maker: {name: M, title: Minister}\n"
        "documents:\n  - {id: a, path: a.docx, title: A, date: 2021-01-01, decision: released}\n"
        "  - {id: b, path: b.docx, title: A note, date: 2021-01-01, decision: neither_confirm_nor_deny,"
        " grounds: ['6(c)']}\n"
    )
    run = CliRunner().invoke(cli, ["oia", "check", str(tmp_path / "manifest.yaml"), "--json"])
    assert run.exit_code == 1, run.output
    ids = {v["id"]: v for v in json.loads(run.stdout)["violations"]}
    assert ids["oia.word.hidden_content_undecided"]["details"]["undecided"] == ["tracked-changes"]
    assert ids["oia.word.hidden_content_undecided"]["field"] == "documents[0].word_import"
    # The s 10 original's text is read from the Word file: the subject quotes it, which is refused.
    assert ids["oia.release.s10_text_released"]["document"] == "b"


def test_white_and_tiny_text_count_as_hidden(tmp_path: Path) -> None:
    body = [
        p(
            "Seen ",
            '<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>WHITEWORD</w:t></w:r>',
            '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>TINYWORD</w:t></w:r>',
            '<w:r><w:rPr><w:color w:val="FFFFFF"/><w:highlight w:val="black"/></w:rPr><w:t> on black</w:t></w:r>',
        )
    ]
    source = WordDoc(body=body).write(tmp_path / "in.docx")
    assert [f.detail for f in import_docx(source).findings] == [
        "white text: 'WHITEWORD'",
        "text under 1 pt: 'TINYWORD'",
    ]
    omitted = import_docx(source, ImportChoices(omit=[HiddenKind.HIDDEN_TEXT])).markdown
    assert omitted == "Seen on black\n"
    shown = import_docx(source, ImportChoices(show=[HiddenKind.HIDDEN_TEXT])).markdown
    assert shown == 'Seen [WHITEWORDTINYWORD]{.hidden kind="hidden-text"} on black\n'
