"""A written release as a zip and as single files: only what release.json lists, checked, and no withheld text."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pdf_read
import pytest
import yaml
from markdown_it import MarkdownIt

from macip_gov.errors import InvalidInputError
from macip_gov.oia.markup import parse_markup
from macip_gov.oia.release import build_release
from macip_gov.oia.release_zip import release_file, release_files, release_zip

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "macip-release"


@pytest.fixture(scope="module")
def written(tmp_path_factory, engine):
    """The example request cut to three documents, with its release written to release/."""
    folder = tmp_path_factory.mktemp("zip") / "macip-release"
    shutil.copytree(EXAMPLE, folder)
    manifest = folder / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    keep = ("rcoi-macip", "macip-update", "macip-update-talking-points")
    data["documents"] = [d for d in data["documents"] if d["id"] in keep]
    del data["letter"]["manner"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    report = build_release(manifest, folder / "release", engine)
    assert report.written, report.check.violations
    return folder


def withheld_passages(source: str, name: str) -> list[str]:
    """The plain text of every withheld or out-of-scope passage, in pieces of a line or more."""
    marked = parse_markup(source, name)
    pieces = []
    for region in marked.regions:
        raw = source[region.start : region.end]
        # A block's content lies between its ::: lines; a span's between [ and ]{.
        inner = "\n".join(raw.splitlines()[1:-1]) if region.span.block else raw[1 : raw.rindex("]{")]
        text = html.unescape(re.sub(r"<[^>]+>", "\n", MarkdownIt().render(inner)))
        pieces += [" ".join(line.split()) for line in text.splitlines() if len(line.strip()) >= 12]
    return pieces


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def readable(name: str, payload: bytes) -> list[str]:
    """What a reader gets out of one released file: its text, and for PDF everything it stores."""
    if name.endswith(".pdf"):
        return [*pdf_read.texts(payload).values(), pdf_read.stored(payload)]
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(payload)) as docx:
            return [
                html.unescape(re.sub(r"<[^>]+>", "", docx.read(part).decode("utf-8")))
                for part in docx.namelist()
                if part.endswith(".xml")
            ]
    text = payload.decode("utf-8")
    return [text, html.unescape(re.sub(r"<[^>]+>", "", text))]


def test_zip_holds_exactly_the_release_and_no_withheld_text(written):
    out = written / "release"
    payload = release_zip(out, "2021-187")
    record = json.loads((out / "release.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {f"2021-187/{n}" for n in [*record["artefacts"], "release.json"]}
        contents = {name.removeprefix("2021-187/"): archive.read(name) for name in names}
    for name, data in contents.items():
        assert data == (out / name).read_bytes()
    passages = []
    for original in sorted((written / "originals").glob("0[12]-*.md")):
        passages += withheld_passages(original.read_text(encoding="utf-8"), original.name)
    assert len(passages) > 20
    for name, data in contents.items():
        for text in readable(name, data):
            flat = squeezed(text)
            assert "(Invented" not in text, name
            for passage in passages:
                assert squeezed(passage) not in flat, (name, passage)


def test_the_scan_finds_withheld_text_where_it_is(written):
    """The scan above can fail: a review copy, which shows withheld text, is caught by it."""
    from macip_gov.oia.redact import review_markdown
    from macip_gov.render import render_document

    source = (written / "originals" / "02-macip-update.md").read_text(encoding="utf-8")
    passages = withheld_passages(source, "02")
    review = render_document(review_markdown(parse_markup(source, "02")), "html", title="t", review=True)
    flat = [squeezed(text) for text in readable("x.html", review)]
    assert all(any(squeezed(p) in text for text in flat) for p in passages)


def test_zip_is_the_same_bytes_each_time(written):
    out = written / "release"
    first = release_zip(out, "r")
    assert release_zip(out, "r") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_single_files_only_as_listed(written):
    out = written / "release"
    files = release_files(out)
    assert "release.pdf" in files and "release.json" in files
    assert release_file(out, "release.pdf") == (out / "release.pdf").read_bytes()
    assert hashlib.sha256(release_file(out, "letter.md")).hexdigest() == files["letter.md"]
    for name in ("../manifest.yaml", "originals/02-macip-update.md", "/etc/passwd", "documents", ""):
        with pytest.raises(InvalidInputError, match="the release has no file"):
            release_file(out, name)


@pytest.mark.parametrize("prefix", ["", "..", "a/b", "../x", ".hidden", "x" * 101])
def test_zip_prefix_is_a_plain_name(written, prefix):
    with pytest.raises(InvalidInputError, match="not a plain name"):
        release_zip(written / "release", prefix)


def test_a_tampered_release_is_not_zipped(tmp_path, written):
    out = tmp_path / "copy"
    shutil.copytree(written / "release", out)
    (out / "review-copy.md").write_text("withheld text\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="holds review-copy.md, which its release.json does not list"):
        release_zip(out, "r")
    (out / "review-copy.md").unlink()
    (out / "letter.md").write_text("changed\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="letter.md was changed after the release was written"):
        release_zip(out, "r")


def test_a_folder_that_is_not_a_release_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(InvalidInputError, match="no release has been written here"):
            release_zip(folder, "r")
