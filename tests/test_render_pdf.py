"""PDF output: tagged and titled, numbered pages, kept list numbers, boxes, clean metadata, same bytes."""

from __future__ import annotations

import io
import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pdf_read
import pikepdf
import pypdf
import pytest

from macip_gov.cli import cli
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.redact import redact_document
from macip_gov.oia.release import build_release
from macip_gov.render import markdown_to_html, render_document
from macip_gov.render_pdf import html_to_pdf, layout, missing_library, print_html, write_pdf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "macip-release" / "manifest.yaml"

MARKED = """# Briefing on the Harbour pilot

1. The pilot started in March.
2. [Jane Zqvorak on 021 555 0199]{.withhold ground="9(2)(a)"} leads it.

::: {.withhold ground="6(c)"}
3. The Zqmarigold operation targets the port.
:::

4. Funding is confirmed.

| Agency | Role |
|---|---|
| Police | [Zqlantern unit]{.withhold ground="6(c)"} |
| Health | referrals |
"""
SECRETS = ("Zqvorak", "021 555 0199", "Zqmarigold", "Zqlantern")


def pdf_of(markdown: str, **kwargs) -> bytes:
    return render_document(markdown, "pdf", title=kwargs.pop("title", "T"), **kwargs)


@pytest.fixture(scope="module")
def redacted(engine):
    return redact_document(parse_markup(MARKED, "/srv/oia/private/briefing.md"), engine)


@pytest.fixture(scope="module")
def boxed_pdf(redacted):
    return render_document(redacted.boxed, "pdf", title=redacted.title, redactions=True)


def test_pdf_is_tagged_titled_and_in_new_zealand_english(boxed_pdf):
    with pikepdf.open(io.BytesIO(boxed_pdf)) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-NZ"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        kinds = set()

        def walk(node, depth=0):
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                kinds.add(str(node.S))
            kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    walk(kid, depth + 1)
            elif isinstance(kids, pikepdf.Dictionary):
                walk(kids, depth + 1)

        walk(root.StructTreeRoot)
    # Headings, lists and their items, and a table whose header cells are TH.
    assert {"/H1", "/L", "/LI", "/Table", "/TR", "/TH", "/TD", "/P"} <= kinds
    xmp = pdf_read.metadata(boxed_pdf)["xmp"]
    assert 'pdfuaid:part="1"' in xmp
    assert "Briefing on the Harbour pilot" in xmp


def test_withheld_passages_are_boxes_with_their_citation_and_numbers_are_kept(boxed_pdf):
    for engine_name, text in pdf_read.texts(boxed_pdf).items():
        flat = " ".join(text.split())
        assert "2. s.9(2)(a) OIA [REDACTED] leads it." in flat, engine_name
        assert "3. s.6(c) OIA [REDACTED]" in flat, engine_name
        assert "4. Funding is confirmed." in flat, engine_name
        assert "Police s.6(c) OIA [REDACTED]" in flat, engine_name
        # The words kept for HTML screen readers are not laid out a second time in a PDF.
        assert "withheld under section" not in flat, engine_name


def test_each_box_is_drawn_as_a_filled_rectangle(boxed_pdf):
    # The box colour (#3a3a3a) is set as a fill before each box is painted.
    reader = pypdf.PdfReader(io.BytesIO(boxed_pdf))
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    shade = re.compile(rb"0\.227\d* 0\.227\d* 0\.227\d* rg")
    assert len(shade.findall(content)) >= 3


def test_list_numbers_from_the_source_become_counters():
    html = markdown_to_html("20. one\n22. two\n\n30. three\n", title="T")
    printed = print_html(html)
    assert '<ol start="20" style="counter-reset: list-item 19">' in printed
    assert '<li value="22" style="counter-increment: list-item 0; counter-set: list-item 22" class="block">' in printed
    text = " ".join(pdf_read.pypdf_text(html_to_pdf(html)).split())
    assert "20. one 22. two" in text and "30. three" in text
    assert "21." not in text


def test_no_withheld_text_or_source_path_anywhere_in_the_file(boxed_pdf, redacted):
    plain_pdf = render_document(redacted.markdown, "pdf", title=redacted.title)
    for payload in (boxed_pdf, plain_pdf):
        for where, text in pdf_read.everything(payload).items():
            for secret in SECRETS:
                assert secret not in text, (where, secret)
            assert "/srv/oia" not in text and "briefing.md" not in text, where


def test_metadata_holds_only_the_title_language_producer_and_date(redacted):
    payload = write_pdf(
        [layout(markdown_to_html(redacted.boxed, title=redacted.title, redactions=True))],
        created=date(2021, 9, 17),
    )
    meta = pdf_read.metadata(payload)
    assert set(meta) == {"/Title", "/Producer", "/CreationDate", "/ModDate", "xmp"}
    assert meta["/Title"] == "Briefing on the Harbour pilot"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20210917"
    assert meta["/Producer"].startswith("WeasyPrint ")
    fields = {tag for tag in re.findall(r"<(\w+:\w+)[ >]", meta["xmp"]) if tag.split(":")[0] not in ("rdf", "x")}
    assert fields == {"dc:title", "xmp:CreateDate", "xmp:ModifyDate"}


def test_same_input_gives_the_same_bytes(redacted, boxed_pdf):
    again = render_document(redacted.boxed, "pdf", title=redacted.title, redactions=True)
    assert again == boxed_pdf
    assert pdf_read.metadata(boxed_pdf).keys() == {"/Title", "/Producer", "xmp"}  # no date unless one is given


def test_pages_are_numbered_page_n_of_m():
    long = "# Long\n\n" + "\n\n".join(f"Paragraph {n} " + "word " * 80 for n in range(1, 41)) + "\n"
    payload = pdf_of(long)
    reader = pypdf.PdfReader(io.BytesIO(payload))
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_nothing_is_fetched_while_laying_out():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        payload = pdf_of(f"# T\n\n![a chart of referrals]({url}/chart.png)\n\n[link]({url}/page)\n")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    assert payload.startswith(b"%PDF-")


def test_missing_system_library_names_the_debian_package():
    pango = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file"
    assert missing_library(pango) == "Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    assert missing_library("cannot load library 'libharfbuzz.so.0'").startswith("HarfBuzz: apt-get install ")
    assert missing_library("cannot load library 'libfontconfig.so.1'") == "fontconfig: apt-get install libfontconfig1"


# ---------------------------------------------------------------- the release as one PDF


@pytest.fixture(scope="module")
def release(tmp_path_factory, engine):
    out = tmp_path_factory.mktemp("release") / "macip"
    report = build_release(EXAMPLE, out, engine)
    assert report.written
    return out


def test_release_pdf_is_letter_then_schedule_then_documents(release):
    payload = (release / "release.pdf").read_bytes()
    parts = ["letter", "schedule", "documents/excerpts", "documents/01-rcoi-macip", "documents/02-macip-update"]
    sizes = [len(pypdf.PdfReader(release / f"{name}.pdf").pages) for name in parts]
    reader = pypdf.PdfReader(io.BytesIO(payload))
    assert len(reader.pages) == sum(sizes)
    starts = [sum(sizes[:n]) for n in range(len(parts))]
    firsts = [" ".join(reader.pages[s].extract_text().split()) for s in starts]
    assert firsts[0].startswith("Hon Poto Williams")
    assert firsts[1].startswith("Schedule of documents")
    assert firsts[2].startswith("Excerpts relating to")
    assert firsts[3].startswith("RCOI: Multi-Agency Coordination and Intervention Programme")
    assert firsts[4].startswith("Multi-Agency Coordination and Intervention Programme (MACIP) Update")
    # Each part keeps its own page numbers, as when it is printed on its own.
    assert f"Page 1 of {sizes[0]}" in firsts[0] and f"Page 1 of {sizes[3]}" in firsts[3]
    meta = pdf_read.metadata(payload)
    assert meta["/Title"] == "Response to OIA request 2021-187"
    assert meta["/CreationDate"] == "D:20210917"


def test_release_pdf_keeps_the_original_paragraph_numbers(release):
    text = " ".join(pdf_read.pypdf_text((release / "documents" / "01-rcoi-macip.pdf").read_bytes()).split())
    markdown = (release / "documents" / "01-rcoi-macip.md").read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", markdown, re.M)]
    assert len(numbers) >= 10
    at = 0
    for number in numbers:  # in the order the source gives them, each where it was written
        found = text.find(f"{number}. ", at)
        assert found >= 0, number
        at = found


def test_every_release_pdf_is_tagged(release):
    for path in sorted(release.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root, path.name
            assert str(pdf.Root.Lang) == "en-NZ", path.name


# ---------------------------------------------------------------- the commands


def test_oia_redact_writes_a_pdf_by_suffix_and_by_format(runner, tmp_path, engine):
    source = tmp_path / "briefing.md"
    source.write_text(MARKED, encoding="utf-8")
    result = runner.invoke(cli, ["oia", "redact", str(source), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 0, result.stderr
    forced = runner.invoke(cli, ["oia", "redact", str(source), "-o", str(tmp_path / "out.bin"), "--format", "pdf"])
    assert forced.exit_code == 0, forced.stderr
    for name in ("out.pdf", "out.bin"):
        payload = (tmp_path / name).read_bytes()
        assert payload.startswith(b"%PDF-")
        for where, text in pdf_read.everything(payload).items():
            for secret in SECRETS:
                assert secret not in text, (name, where, secret)
            assert str(tmp_path) not in text


def test_pia_render_and_tor_generate_write_pdf(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = tmp_path / "pia.pdf"
    result = runner.invoke(cli, ["pia", "render", "-o", str(report), "--today", "2026-11-25"])
    assert result.exit_code == 0, result.stderr
    text = " ".join(pdf_read.pypdf_text(report.read_bytes()).split())
    assert "Privacy Impact Assessment" in text and "Page 1 of" in text
    assert "Likelihood" in text  # the risk matrix, drawn as in the HTML report

    pia = tmp_path / "pia"
    pia.mkdir()
    (pia / "macip.yaml").write_text("id: MACIP-PIA\n", encoding="utf-8")
    tor = tmp_path / "gg.pdf"
    spec = ROOT / "examples" / "governance" / "macip-governance-group.yaml"
    result = runner.invoke(cli, ["tor", "generate", str(spec), "-o", str(tor), "--pia", str(pia)])
    assert result.exit_code == 0, result.stderr
    assert "MACIP Governance Group" in pdf_read.pypdf_text(tor.read_bytes())
