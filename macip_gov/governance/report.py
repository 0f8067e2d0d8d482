"""Plain-text views of Terms of Reference checks and generated documents, for a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import Violation
    from .generate import GeneratedTor
    from .models import TorCheck


def _result_line(kind: str, v: Violation) -> str:
    return f"  {kind} {v.id}: {v.msg}"


def _summary(report: TorCheck, pia_dir: Path | str) -> str:
    passed = sum(1 for b in report.bodies if b.passed)
    notes = [f"current PIA: {report.current_pia}" if report.current_pia else f"no current PIA in {pia_dir}"]
    if report.references:
        notes.append(f"reporting lines resolved with {', '.join(report.references)}")
    return f"{passed} passed, {len(report.bodies) - passed} failed ({'; '.join(notes)})"


def check_text(report: TorCheck, pia_dir: Path | str) -> str:
    """Each body, PASS or FAIL, with its deny and warn results; then the count and the PIA checked against.

    Args:
        report: The check.
        pia_dir: The PIA directory the check looked in, named when it held no current PIA.
    """
    lines = []
    for body in report.bodies:
        status = "PASS" if body.passed else "FAIL"
        kind = body.type.value.replace("_", " ")
        lines.append(f"{status} {body.file}: {body.name} ({kind}, version {body.version})")
        lines += [_result_line("deny", v) for v in body.violations]
        lines += [_result_line("warn", v) for v in body.warnings]
    lines += [f"FAIL {v.id}: {v.msg}" for v in report.violations]
    lines.append(_summary(report, pia_dir))
    return "\n".join(lines)


def refusal_text(result: GeneratedTor) -> str:
    """Why a spec was refused: each violation by rule id, and what to do about it."""
    count = len(result.violations)
    listed = "; ".join(f"{v.id}: {v.msg}" for v in result.violations)
    return (
        f"{result.spec}: refused, {count} violation{'s' if count != 1 else ''} ({listed}); "
        "correct the spec or generate a --draft"
    )


def generated_text(result: GeneratedTor) -> str:
    """What was written (name, version, format, and DRAFT with its open issues), or why it was refused."""
    if not result.written:
        return refusal_text(result)
    notes = [result.name, f"version {result.version}", result.format]
    if result.draft:
        count = len(result.violations)
        notes.append(f"DRAFT, {count} issue{'s' if count != 1 else ''} outstanding")
    return f"wrote {result.path} ({', '.join(notes)})"


__all__ = ["check_text", "generated_text", "refusal_text"]
