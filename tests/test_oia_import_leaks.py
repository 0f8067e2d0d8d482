"""Word originals through the whole chain: DOCX -> markup -> every released format, nothing withheld surviving.

Random Word documents hold released words and withheld words: withheld words sit in
ranges commented with a citation, in hidden runs, in tracked deletions, in other
comments, in headers and footers and in document properties. The import decides every
kind (deletions accepted, the rest omitted), the markup is redacted and rendered to
Markdown, HTML and DOCX (with and without redaction boxes), and no withheld word may
appear in any of them, while every released word does. A release from a manifest that
names a comment-marked Word original withholds exactly the commented passages.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from word_docs import WordDoc, abstract_num, num, p

from macip_gov.cli import cli
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document
from macip_gov.oia.word import CHOICE_KINDS, ImportChoices, import_docx
from macip_gov.render import markdown_to_docx, markdown_to_html

RELEASED = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
SECRET = st.builds(lambda tail: "zq" + tail, st.text(alphabet="bcdfhjkmnpvwxy", min_size=4, max_size=7))
CITATIONS = ["s 9(2)(a)", "withhold 6(c), 9(2)(g)(i)", "s.6(c) OIA", "out of scope"]
DECIDED = ImportChoices(tracked_changes="accept", omit=list(CHOICE_KINDS))


@st.composite
def word_documents(draw):  # type: ignore[no-untyped-def]
    body: list[str] = []
    comments: dict[int, tuple[str, str]] = {}
    secrets: set[str] = set()
    plain: set[str] = set()
    change = [100]

    def released() -> str:
        word = draw(st.sampled_from(RELEASED))
        plain.add(word)
        return word

    def secret() -> str:
        word = draw(SECRET)
        secrets.add(word)
        return word

    for _ in range(draw(st.integers(1, 6))):
        runs: list[str] = [f"{released()} "]
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["plain", "italic", "mark", "hidden", "deleted", "comment", "bold mark"]))
            if kind == "plain":
                runs.append(f"{released()} ")
            elif kind == "italic":
                runs.append(f'<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{released()} </w:t></w:r>')
            elif kind in ("mark", "bold mark"):
                cid = len(comments) + 1
                comments[cid] = ("Reviewer", draw(st.sampled_from(CITATIONS)))
                inner = f"{secret()} {secret()}"
                run = (
                    f"<w:r><w:rPr><w:b/></w:rPr><w:t>{inner}</w:t></w:r>"
                    if kind == "bold mark"
                    else f"<w:r><w:t>{inner}</w:t></w:r>"
                )
                runs += [f'<w:commentRangeStart w:id="{cid}"/>', run, f'<w:commentRangeEnd w:id="{cid}"/>', " "]
                runs.append(f'<w:r><w:commentReference w:id="{cid}"/></w:r>')
            elif kind == "hidden":
                runs.append(f"<w:r><w:rPr><w:vanish/></w:rPr><w:t>{secret()}</w:t></w:r>")
            elif kind == "deleted":
                change[0] += 1
                runs.append(
                    f'<w:del w:id="{change[0]}" w:author="A"><w:r><w:delText>{secret()}</w:delText></w:r></w:del>'
                )
            else:
                cid = len(comments) + 1
                comments[cid] = ("Reviewer", f"ask about {secret()}")
                runs += [f'<w:commentRangeStart w:id="{cid}"/>', f"{released()}", f'<w:commentRangeEnd w:id="{cid}"/>']
                runs.append(" ")
        style = draw(st.sampled_from(["plain", "numbered", "bullet"]))
        numbering = {"plain": None, "numbered": (1, 0), "bullet": (2, 0)}[style]
        body.append(p(*runs, num=numbering))
    doc = WordDoc(
        body=body,
        numbering=[
            abstract_num(0, [("decimal", "%1.", draw(st.integers(1, 30)))]),
            abstract_num(1, [("bullet", "o", 1)]),
        ]
        + [num(1, 0), num(2, 1)],
        comments=comments,
        headers={"default": secret()},
        footers={"first": secret()},
        core={"dc:creator": secret()},
    )
    return doc, secrets, plain


def docx_text(payload: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(word_documents())
def test_nothing_withheld_or_hidden_reaches_any_format(engine, tmp_path: Path, generated) -> None:  # type: ignore[no-untyped-def]
    doc, secrets, plain = generated
    source = doc.write(tmp_path / "original.docx")
    assert not import_docx(source).converted  # headers, footers, properties: never converted undecided
    result = import_docx(source, DECIDED)
    secrets = {s for s in secrets if not any(s in word for word in plain)}
    redacted = redact_document(parse_markup(result.markdown, "imported.md"), engine)
    assert not redacted.refused
    outputs = {
        "md": redacted.markdown,
        "html": markdown_to_html(redacted.markdown, title=redacted.title),
        "boxed html": markdown_to_html(redacted.boxed, title=redacted.title, redactions=True),
        "docx": docx_text(markdown_to_docx(redacted.markdown, title=redacted.title)),
        "boxed docx": docx_text(markdown_to_docx(redacted.boxed, title=redacted.title, redactions=True)),
    }
    for secret in secrets:
        for where, text in outputs.items():
            assert secret not in text, f"{secret!r} leaked into {where}"
    for word in plain:
        assert word in outputs["html"]
    assert redacted.withheld + redacted.out_of_scope == len(result.marks)


MANIFEST = """\
request:
  id: "2021-300"
  requester: A Requester
  agency: the Minister of Police
  subject: the programme
  sought: [All briefings on the programme]
  received: 2021-07-12
  decided: 2021-08-02
  decision_maker: {name: Hon A Minister, title: Minister of Police}
documents:
  - id: briefing
    path: briefing.docx
    title: Programme briefing
    date: 2021-02-17
    decision: released_in_part
    public_interest: The released text meets the public interest in the programme.
"""


def test_a_comment_marked_word_original_releases_with_those_passages_withheld(tmp_path: Path) -> None:
    numbering = [abstract_num(0, [("decimal", "%1.", 4)]), num(1, 0)]
    body = [
        p("Programme briefing", style=None),
        p("The programme began in March.", num=(1, 0)),
        p(
            "The lead is ",
            '<w:commentRangeStart w:id="1"/>',
            "Aroha Ngata on 021 555 0199",
            '<w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>',
            ".",
            num=(1, 0),
        ),
        p(
            '<w:commentRangeStart w:id="2"/>',
            "Operation Kea is the first case.",
            '<w:commentRangeEnd w:id="2"/>',
            num=(1, 0),
        ),
        p("Hidden ", "<w:r><w:rPr><w:vanish/></w:rPr><w:t>Informant Tui</w:t></w:r>", "aside."),
    ]
    WordDoc(
        body=body,
        numbering=numbering,
        comments={1: ("Jo", "s 9(2)(a)"), 2: ("Jo", "s 6(c)")},
    ).write(tmp_path / "briefing.docx")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST)
    out = tmp_path / "release"
    runner = CliRunner()
    refused = runner.invoke(cli, ["oia", "release", str(manifest), "-o", str(out), "--json"])
    assert refused.exit_code == 1, refused.output
    report = json.loads(refused.stdout)
    [violation] = [v for v in report["check"]["violations"] if v["id"] == "oia.word.hidden_content_undecided"]
    assert violation["details"]["undecided"] == ["hidden-text"]
    assert violation["document"] == "briefing"
    assert not out.exists()

    manifest.write_text(MANIFEST + "word_import: {omit: [hidden-text]}\n")
    done = runner.invoke(cli, ["oia", "release", str(manifest), "-o", str(out), "--json"])
    assert done.exit_code == 0, done.output
    released = (out / "documents" / "01-briefing.md").read_text()
    assert released == (
        "Programme briefing\n\n"
        "4. The programme began in March.\n\n"
        "5. The lead is s.9(2)(a) OIA \\[REDACTED\\].\n\n"
        "6. s.6(c) OIA \\[REDACTED\\]\n\n"
        "Hidden aside.\n"
    )
    record = json.loads((out / "release.json").read_text())
    assert record["documents"][0]["grounds"] == ["6(c)", "9(2)(a)"]
    assert record["documents"][0]["passages_withheld"] == 2
    for name in (out / "documents").iterdir():
        data = name.read_bytes()
        text = docx_text(data) if name.suffix == ".docx" else data.decode("utf-8", "replace")
        for secret in ("Aroha", "0199", "Operation Kea", "Informant Tui"):
            assert secret not in text, f"{secret} in {name.name}"
