"""Review copies: every withheld passage shown with its grounds, marked NOT FOR RELEASE, kept apart from releases.

A review copy is the one document that deliberately carries withheld text. These
tests pin that it says so on every page of every format, that it shows exactly the
marked passages, and that it never becomes part of a release: ``oia release
--review`` writes it beside the release folder, the release folder and its
``release.json`` are byte for byte what they are without ``--review``.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pdf_read
import pytest

from macip_gov.cli import cli
from macip_gov.errors import InvalidInputError
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document, review_markdown
from macip_gov.oia.release import build_release
from macip_gov.render import REVIEW_BANNER, render_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "macip-release"

SOURCE = """\
# Briefing on [Operation Kea]{.withhold ground="6(c)"}

Call [Aroha Ngata]{.withhold ground="9(2)(a)"} about [the roading plan]{.out-of-scope}.

::: {.withhold ground="6(c) 9(2)(g)(i)"}
6. The frank advice on *Kea*.
:::

7. Released paragraph.
"""

SECRETS = ["Operation Kea", "Aroha Ngata", "the roading plan", "The frank advice on"]


def docx_text(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")}


@pytest.fixture
def review():
    return review_markdown(parse_markup(SOURCE, "brief.md"))


def test_review_markdown_keeps_released_text_and_shows_every_passage(review):
    md = render_document(review, "md", title="Briefing", review=True).decode()
    assert md.startswith(f"**{REVIEW_BANNER}**\n\n")
    assert md.endswith(f"\n\n**{REVIEW_BANNER}**\n")
    assert "# Briefing on ⟦withheld under s.6(c) OIA: Operation Kea⟧\n" in md
    assert "Call ⟦withheld under s.9(2)(a) OIA: Aroha Ngata⟧ about ⟦out of scope: the roading plan⟧." in md
    assert "⟦withheld under s.6(c) OIA, s.9(2)(g)(i) OIA:\n\n6. The frank advice on *Kea*.\n\n⟧\n\n7. Released" in md


def test_review_html_highlights_withheld_text_with_its_grounds(review):
    page = render_document(review, "html", title="Briefing", review=True).decode()
    assert f"<title>{REVIEW_BANNER}: Briefing</title>" in page
    assert page.count(f'<div class="review-banner" role="note">{REVIEW_BANNER}</div>') == 2
    assert (
        '<span class="withheld-label">Withheld: s.9(2)(a) OIA</span> <mark class="withheld">Aroha Ngata</mark>' in page
    )
    assert '<span class="withheld-label">Out of scope</span> <mark class="withheld">the roading plan</mark>' in page
    assert '<mark class="withheld">The frank advice on </mark><em><mark class="withheld">Kea</mark></em>' in page
    assert '<ol start="7">\n<li>Released paragraph.</li>' in page
    assert "Released paragraph.</mark>" not in page  # released text is not highlighted


def test_review_docx_is_marked_in_every_header_and_highlights_withheld_runs(review):
    parts = docx_text(render_document(review, "docx", title="Briefing", review=True))
    body = parts["word/document.xml"]
    assert body.count(REVIEW_BANNER) == 2  # first and last paragraphs
    headers = [text for name, text in parts.items() if name.startswith("word/header")]
    assert headers and all(REVIEW_BANNER in text for text in headers)
    assert f"<dc:title>{REVIEW_BANNER}: Briefing</dc:title>" in parts["docProps/core.xml"]
    assert '<w:highlight w:val="yellow"/></w:rPr><w:t>Aroha Ngata</w:t>' in body
    assert "<w:t>Withheld: s.9(2)(a) OIA</w:t>" in body


def test_review_copy_has_every_secret_and_the_release_none(engine, review):
    redacted = redact_document(parse_markup(SOURCE, "brief.md"), engine)
    for fmt in ("md", "html", "docx"):
        shown = render_document(review, fmt, title="t", review=True)
        released = render_document(redacted.boxed, fmt, title="t", redactions=True)
        text = "".join(docx_text(shown).values()) if fmt == "docx" else shown.decode()
        out = "".join(docx_text(released).values()) if fmt == "docx" else released.decode()
        for secret in SECRETS:
            assert secret in text, (fmt, secret)
            assert secret not in out, (fmt, secret)
        assert REVIEW_BANNER not in out


def test_a_review_copy_cannot_be_mistaken_for_a_release_by_text_alone(review):
    # The banner is the first and last line of the Markdown and the HTML body.
    html = render_document(review, "html", title="t", review=True).decode()
    body = html.split("<body>\n", 1)[1]
    assert body.startswith(f'<div class="review-banner" role="note">{REVIEW_BANNER}</div>')
    assert body.endswith(f'<div class="review-banner" role="note">{REVIEW_BANNER}</div>\n</body>\n</html>\n')


def test_cli_redact_review(runner, tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "brief.review.html"
    result = runner.invoke(cli, ["oia", "redact", str(source), "-o", str(out), "--review"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"wrote {out} (html): 3 withheld under 6(c), 9(2)(a), 9(2)(g)(i); 1 out of scope "
        "(REVIEW COPY - NOT FOR RELEASE)\n"
    )
    page = out.read_text(encoding="utf-8")
    assert REVIEW_BANNER in page and "Aroha Ngata" in page


# --------------------------------------------------------------------------- in a release


@pytest.fixture
def example(tmp_path):
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target / "manifest.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_review_goes_beside_the_release_and_changes_nothing_in_it(example, engine, tmp_path):
    plain = build_release(example, tmp_path / "plain", engine)
    reviewed = build_release(example, tmp_path / "reviewed", engine, review=True)
    assert plain.written and reviewed.written
    assert reviewed.review_directory == str(tmp_path / "reviewed.review")
    assert plain.review_directory == "" and not (tmp_path / "plain.review").exists()
    # The release folder is the same bytes with or without review copies beside it.
    assert tree(tmp_path / "reviewed") == tree(tmp_path / "plain")
    assert reviewed.artefacts == plain.artefacts
    record = (tmp_path / "reviewed" / "release.json").read_text(encoding="utf-8")
    assert "review" not in record.lower()
    # Nothing withheld, and no review copy, anywhere in what a user would publish.
    for name, payload in tree(tmp_path / "reviewed").items():
        if name.endswith(".docx"):
            text = "".join(docx_text(payload).values())
        elif name.endswith(".pdf"):
            text = "".join(pdf_read.everything(payload).values())
        else:
            text = payload.decode()
        for withheld in ("(Invented", "Harbourside", "555 0", REVIEW_BANNER):
            assert withheld not in text, (name, withheld)

    copies = tree(tmp_path / "reviewed.review")
    assert json.loads(copies["review.json"]) == {
        "review_copy": True,
        "not_for_release": True,
        "files": sorted(n for n in copies if ".review-copy." in n),
    }
    assert "NOT FOR RELEASE" in copies["REVIEW-COPY-NOT-FOR-RELEASE.txt"].decode()
    assert {n.split(".")[0] for n in copies if ".review-copy." in n} == {
        "01-rcoi-macip",
        "02-macip-update",
        "04-ipr-20-20pw",
        "05-ipr-20-30pw-cabinet",
        "06-ipr-20-30pw-ministers",
    }
    for name, payload in copies.items():
        if name.endswith((".md", ".html")):
            assert REVIEW_BANNER in payload.decode(), name
        elif name.endswith(".docx"):
            assert all(REVIEW_BANNER in t for n, t in docx_text(payload).items() if n.startswith("word/header")), name
    assert "Harbourside" in copies["01-rcoi-macip.review-copy.html"].decode()


def test_release_review_refuses_a_folder_it_did_not_write_before_writing_anything(example, engine, tmp_path):
    squatter = tmp_path / "out.review"
    squatter.mkdir()
    (squatter / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="notes.txt, which is not a review copy written here"):
        build_release(example, tmp_path / "out", engine, review=True)
    assert not (tmp_path / "out").exists()
    assert (squatter / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_release_review_is_replaced_only_with_replace(example, engine, tmp_path):
    out = tmp_path / "out"
    build_release(example, out, engine, review=True)
    shutil.rmtree(out)  # the release is gone; its review copies are still beside it
    with pytest.raises(InvalidInputError, match="earlier review copy; use --replace"):
        build_release(example, out, engine, review=True)
    assert not out.exists()
    again = build_release(example, out, engine, review=True, replace=True)
    assert again.written and json.loads((tmp_path / "out.review" / "review.json").read_text())["review_copy"]


def test_cli_release_review_names_the_folder_on_stderr(runner, example, tmp_path):
    out = tmp_path / "rel"
    result = runner.invoke(cli, ["oia", "release", str(example), "-o", str(out), "--review"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"review copies (NOT FOR RELEASE): {out}.review\n")
    assert f"{out}.review" not in result.stdout


def test_review_pdf_says_review_copy_not_for_release_on_every_page():
    from pypdf import PdfReader

    # Long enough for several pages, so "every page" is more than the first and the last.
    long_source = SOURCE + "\n".join(f"{n}. Released paragraph number {n}.\n" for n in range(8, 160))
    markdown = review_markdown(parse_markup(long_source, "brief.md"))
    payload = render_document(markdown, "pdf", title="Briefing", review=True)
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(payload)).pages]
    assert len(pages) > 2
    assert all(REVIEW_BANNER in text for text in pages)
    assert "Operation Kea" in " ".join(pages)  # a review copy shows what is withheld
    released = render_document(markdown, "pdf", title="Briefing", redactions=True, review=False)
    assert REVIEW_BANNER not in pdf_read.pypdf_text(released)


def test_release_review_writes_pdf_copies_beside_the_release(example, engine, tmp_path):
    from pypdf import PdfReader

    report = build_release(example, tmp_path / "out", engine, review=True)
    assert report.written
    copies = sorted((tmp_path / "out.review").glob("*.review-copy.pdf"))
    assert [p.name.split(".")[0] for p in copies] == [
        "01-rcoi-macip",
        "02-macip-update",
        "04-ipr-20-20pw",
        "05-ipr-20-30pw-cabinet",
        "06-ipr-20-30pw-ministers",
    ]
    for path in copies:
        for page in PdfReader(path).pages:
            assert REVIEW_BANNER in " ".join((page.extract_text() or "").split()), path.name
    assert not [n for n in report.artefacts if "review" in n]
