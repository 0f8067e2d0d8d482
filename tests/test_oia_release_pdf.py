"""OIA release of a PDF original: the manifest names the PDF and its marks file, the release redacts it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
import yaml
from pdf_read import everything, metadata, texts

from macip_gov.errors import ExitCode, InvalidInputError
from macip_gov.oia.release import build_release, check_release

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "pdf-original"
# Text found only in the passages the example's marks withhold.
WITHHELD = ["Harbourside pilot", "coordination desk fit-out", "single-agency board", "021 555 0142", "(Invented"]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def example(tmp_path):
    target = tmp_path / "pdf-original"
    shutil.copytree(EXAMPLE, target)
    return target / "manifest.yaml"


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory, engine):
    out = tmp_path_factory.mktemp("pdf-release") / "release"
    report = build_release(EXAMPLE / "manifest.yaml", out, engine)
    assert report.written, report.check.violations
    return out, report


def test_the_original_shows_every_withheld_passage():
    original = _squash(texts((EXAMPLE / "macip-update.pdf").read_bytes())["pypdf"])
    assert all(w in original for w in WITHHELD)


def test_a_pdf_original_is_released_as_pdf_with_its_passages_withheld(released):
    out, report = released
    names = sorted(report.artefacts)
    assert "documents/01-macip-update.pdf" in names
    assert not [n for n in names if n.startswith("documents/01-macip-update.") and not n.endswith(".pdf")]
    for name in names:
        if name.endswith(".pdf"):
            found = {where: _squash(text) for where, text in everything((out / name).read_bytes()).items()}
            for where, text in found.items():
                assert not [w for w in WITHHELD if w in text], (name, where)
        else:
            text = (out / name).read_bytes().decode("utf-8", errors="ignore")
            assert not [w for w in WITHHELD if w in text], name
    # Released text is still there to read and search.
    assert "Multi-Agency" in texts((out / "documents/01-macip-update.pdf").read_bytes())["pypdf"]


def test_release_json_and_schedule_list_the_pdf(released):
    import json

    out, _ = released
    record = json.loads((out / "release.json").read_text(encoding="utf-8"))
    first = record["documents"][0]
    assert first["artefacts"] == ["documents/01-macip-update.pdf"]
    assert first["passages_withheld"] > 0
    assert first["grounds"] == ["6(c)", "9(2)(a)"]
    assert "Multi-Agency Coordination and Intervention Programme (MACIP) Update" in (out / "schedule.md").read_text()


def test_release_pdf_holds_the_redacted_pages_in_place(released):
    out, _ = released
    combined = (out / "release.pdf").read_bytes()
    parts = [(out / n).read_bytes() for n in ("letter.pdf", "schedule.pdf", "documents/01-macip-update.pdf")]
    counts = [len(pikepdf.open(io.BytesIO(p)).pages) for p in parts]
    with pikepdf.open(io.BytesIO(combined)) as pdf:
        assert len(pdf.pages) == sum(counts)
        redacted = pikepdf.open(io.BytesIO(parts[2]))
        tail = pdf.pages[counts[0] + counts[1] :]
        # The redacted document's pages, content for content, after the letter and the schedule.
        assert [p.Contents.read_bytes() if "/Contents" in p else b"" for p in tail] == [
            p.Contents.read_bytes() if "/Contents" in p else b"" for p in redacted.pages
        ]
    meta = metadata(combined)
    assert "Response to OIA request 2021-187-pdf" in meta.get("/Title", "") + meta["xmp"]
    assert "macip-update.pdf" not in " ".join(meta.values())
    assert not [w for w in WITHHELD if w in " ".join(meta.values())]


def test_a_ground_the_grounds_policy_refuses_blocks_the_release(example, engine, tmp_path):
    marks = example.parent / "macip-update.marks.yaml"
    text = marks.read_text(encoding="utf-8").replace('grounds: ["s 9(2)(a)"]', 'grounds: ["s 18(d)"]')
    marks.write_text(text, encoding="utf-8")
    report = build_release(example, tmp_path / "out", engine)
    assert not report.written and report.exit_code is ExitCode.DENIED
    assert report.check.violations
    assert not (tmp_path / "out").exists()


def test_a_title_holding_withheld_pdf_text_is_a_violation_naming_the_marks_file(example, engine):
    _edit(
        example, lambda d: d["documents"][0].update(title="Update: a single-agency board was considered and rejected")
    )
    report = check_release(example, engine)
    found = [v for v in report.violations if v.id == "oia.release.withheld_text_released"]
    assert found and "macip-update.marks.yaml:" in found[0].msg


@pytest.mark.parametrize("where", ["../outside.marks.yaml", "/etc/passwd"])
def test_a_marks_file_outside_the_manifests_folder_is_refused(example, engine, where):
    outside = example.parent.parent / "outside.marks.yaml"
    shutil.copy(example.parent / "macip-update.marks.yaml", outside)
    _edit(example, lambda d: d["documents"][0].update(marks=where))
    with pytest.raises(InvalidInputError) as caught:
        check_release(example, engine)
    assert "documents[0].marks" in str(caught.value) and "outside" in str(caught.value)


def test_a_marks_file_symlinked_outside_is_refused(example, engine):
    outside = example.parent.parent / "outside.marks.yaml"
    shutil.copy(example.parent / "macip-update.marks.yaml", outside)
    link = example.parent / "link.marks.yaml"
    link.symlink_to(outside)
    _edit(example, lambda d: d["documents"][0].update(marks="link.marks.yaml"))
    with pytest.raises(InvalidInputError, match="outside"):
        check_release(example, engine)


def test_a_marks_path_outside_exits_3_through_the_cli(example, runner):
    from macip_gov.cli import cli

    _edit(example, lambda d: d["documents"][0].update(marks="../outside.marks.yaml"))
    result = runner.invoke(cli, ["oia", "release", str(example), "-o", str(example.parent.parent / "out")])
    assert result.exit_code == 3, result.output
    assert "documents[0].marks" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["documents"][0].pop("marks"), "needs marks"),
        (lambda d: d["documents"][0].update(decision="excerpts"), "cannot be released as excerpts"),
        (lambda d: d["documents"][0].update(path="macip-update.md"), "marks go with a PDF original"),
    ],
)
def test_marks_and_pdf_originals_go_together(example, engine, change, message):
    _edit(example, change)
    with pytest.raises(InvalidInputError, match=message):
        check_release(example, engine)
