"""``macip-gov oia redact-pdf``: exit codes, exact output, nothing written on refusal."""

from __future__ import annotations

import json

import yaml
from hostile_pdfs import MARKS, everything

from macip_gov.cli import cli


def _inputs(tmp_path, marks=MARKS):
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(everything())
    path = tmp_path / "brief.marks.yaml"
    path.write_text(yaml.safe_dump(marks, sort_keys=False), encoding="utf-8")
    return pdf, path


def test_redact_pdf_writes_and_reports(runner, tmp_path):
    pdf, marks = _inputs(tmp_path)
    out = tmp_path / "release" / "brief.pdf"
    result = runner.invoke(cli, ["oia", "redact-pdf", str(pdf), "--marks", str(marks), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"wrote {out} (pdf): 2 boxes under 9(2)(a); pages rebuilt: 1 of 3; "
        "verified: 1 withheld string absent (pypdf, stream scan), no hidden content\n"
    )
    assert result.stderr == (
        f"warning: {pdf}: page 1: 13 characters painted over in the original (under a filled shape or image) "
        "are left out of the released text; the page is rebuilt\n"
    )
    assert out.read_bytes().startswith(b"%PDF-")


def test_redact_pdf_json(runner, tmp_path):
    pdf, marks = _inputs(tmp_path)
    out = tmp_path / "brief.out.pdf"
    result = runner.invoke(cli, ["oia", "redact-pdf", str(pdf), "--marks", str(marks), "-o", str(out), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("pages", "rebuilt", "boxes", "grounds", "checked", "written", "problems")} == {
        "pages": 3,
        "rebuilt": [1],
        "boxes": 2,
        "grounds": ["9(2)(a)"],
        "checked": 1,
        "written": True,
        "problems": [],
    }


def test_redact_pdf_refused_ground_exits_1_and_writes_nothing(runner, tmp_path):
    pdf, marks = _inputs(tmp_path, {"marks": [{"phrase": "Jane Citizen", "grounds": ["9(2)(z)"]}]})
    out = tmp_path / "out.pdf"
    result = runner.invoke(cli, ["oia", "redact-pdf", str(pdf), "--marks", str(marks), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {marks}:2: 9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982\n"
    )
    assert not out.exists()


def test_redact_pdf_bad_marks_exit_3(runner, tmp_path):
    pdf, marks = _inputs(tmp_path, {"marks": [{"phrase": "Jane Citizen", "grounds": ["9(2)(a)"], "colour": "red"}]})
    out = tmp_path / "out.pdf"
    result = runner.invoke(cli, ["oia", "redact-pdf", str(pdf), "--marks", str(marks), "-o", str(out)])
    assert result.exit_code == 3
    assert result.stderr == f"Error: {marks}:5: marks[0].colour: Extra inputs are not permitted\n"
    assert not out.exists()


def test_redact_pdf_bad_dpi_exit_3(runner, tmp_path):
    pdf, marks = _inputs(tmp_path)
    result = runner.invoke(
        cli, ["oia", "redact-pdf", str(pdf), "--marks", str(marks), "-o", str(tmp_path / "o.pdf"), "--dpi", "9"]
    )
    assert result.exit_code == 3
    assert result.stderr == "Error: --dpi: the resolution must be 72 to 600 dpi, not 9\n"
