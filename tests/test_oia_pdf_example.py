"""The example PDF original: its marks apply, and the redacted copy holds none of the withheld passages."""

from __future__ import annotations

from pathlib import Path

from test_oia_pdf_redact import leaked

from macip_gov.oia.pdf_redact import redact_pdf_file

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "pdf-original"


def test_example_pdf_original_redacts_clean(tmp_path, engine):
    out = tmp_path / "macip-update.pdf"
    report = redact_pdf_file(EXAMPLE / "macip-update.pdf", EXAMPLE / "macip-update.marks.yaml", out, lambda: engine)
    assert report.written and report.problems == [] and report.warnings == []
    assert report.grounds == ["6(c)", "9(2)(a)"]
    original, redacted = (EXAMPLE / "macip-update.pdf").read_bytes(), out.read_bytes()
    for passage in ("Harbourside pilot", "coordination desk fit-out", "021 555 0142", "must not go out"):
        assert leaked(original, passage), passage
        assert leaked(redacted, passage) == [], passage
    assert leaked(redacted, "Police officials are available to brief you verbally")
