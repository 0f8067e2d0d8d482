"""Plain-text views of OIA results, for a terminal: grounds, the statutory clock, redactions, release checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import Violation
    from .citations import GroundLookup
    from .deadlines import Deadline
    from .pdf_redact import PdfRedactionReport
    from .redact import RedactionReport
    from .release import CheckReport, ReleaseReport

_LABEL = {"deny": "error", "refer": "referral", "warn": "warning"}


def _long(day: date) -> str:
    """``Monday 28 November 2022``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def finding_line(v: Violation) -> str:
    """A release finding: ``error: <msg> (<rule id>) [document d, citation 9(2)(a), line 7]``."""
    citation = v.details.get("citation")
    where = [
        f"{label} {value}"
        for label, value in (("document", v.document), ("citation", citation), ("line", v.line))
        if value not in (None, "")
    ]
    suffix = f" [{', '.join(where)}]" if where else ""
    return f"{_LABEL.get(v.effect or 'deny', 'error')}: {v.msg} ({v.id}){suffix}"


def ground_text(lookup: GroundLookup) -> str:
    """Each ground a citation names, with its family, use and public-interest test; then any advice."""
    lines = []
    for g in lookup.grounds:
        test = "public-interest test (s 9(1)) applies" if g.public_interest_test else "no public-interest test"
        if g.public_interest_condition:
            test = f"public-interest test {g.public_interest_condition}"
        lines.append(f"section {g.id}  ({g.family}, {g.use}; {test})")
        lines.append(f"    {g.description}")
    for f in getattr(lookup, "found", []):
        lines.append(f"found: {f.ground} in {f.citation!r} at offset {f.start}")
    for m in getattr(lookup, "mentioned", []):
        act = "" if m.act == "Official Information Act 1982" else f" ({m.act})"
        lines.append(f"mentioned: {m.section}{act} in {m.citation!r} at offset {m.start}: {m.role}")
    lines += [finding_line(v) for v in lookup.violations]
    lines += [f"warning: {w.msg}" for w in lookup.warnings]
    return "\n".join(lines)


def deadline_text(result: Deadline, *, explain: bool = False) -> str:
    """The statutory dates, and with ``explain`` every day not counted and why."""
    lines = [f"received:      {_long(result.received)} (day 0)"]
    transfer_note = ""
    if result.transferred is not None:
        transfer_note = f"; transferred {_long(result.transferred)}, " + (
            "in time" if result.transfer_in_time else "late"
        )
    lines.append(f"transfer by:   {_long(result.transfer_by)} (s 14: 10 working days{transfer_note})")
    start = "transfer" if result.transferred is not None else "receipt"
    lines.append(f"decision due:  {_long(result.due)} (s 15(1): 20 working days after {start})")
    if result.extended_due is not None:
        lines.append(f"extended to:   {_long(result.extended_due)} (s 15A: {result.extended_by} more working days)")
    if explain:
        lines.append(f"days not counted ({len(result.excluded)}):")
        lines += [f"  {day.date:%a} {day.date.isoformat()}  {day.reason}" for day in result.excluded]
    return "\n".join(lines)


def warnings_text(warnings: Iterable[str]) -> str:
    """Advice, one ``warning: ...`` line each (empty when there is none)."""
    return "\n".join(f"warning: {w}" for w in warnings)


def redaction_text(report: RedactionReport) -> str:
    """What a redaction wrote: the file, its format, and the passages withheld and out of scope."""
    grounds = f" under {', '.join(report.grounds)}" if report.grounds else ""
    return (
        f"wrote {report.output} ({report.format}): {report.withheld} withheld{grounds}; "
        f"{report.out_of_scope} out of scope"
    )


def pdf_redaction_text(report: PdfRedactionReport) -> str:
    """What a PDF redaction wrote: boxes, grounds, pages rebuilt, and the verification."""
    grounds = f" under {', '.join(report.grounds)}" if report.grounds else ""
    rebuilt = ", ".join(map(str, report.rebuilt)) or "none"
    return (
        f"wrote {report.output} (pdf): {report.boxes} {'box' if report.boxes == 1 else 'boxes'}{grounds}; "
        f"pages rebuilt: {rebuilt} of {report.pages}; "
        f"verified: {_plural(report.checked, 'withheld string')} absent (pypdf, stream scan), no hidden content"
    )


def check_text(report: CheckReport) -> str:
    """Every violation and warning, the decision against its due date, and the counts."""
    lines = [finding_line(v) for v in [*report.violations, *report.warnings]]
    deadline = report.deadline
    lines.append(
        f"decision due {deadline.final_due.day} {deadline.final_due:%B %Y}, "
        f"made {deadline.decided.day} {deadline.decided:%B %Y}: {deadline.status}"
    )
    lines.append(f"{_plural(len(report.violations), 'violation')}, {_plural(len(report.warnings), 'warning')}")
    return "\n".join(lines)


def release_text(report: ReleaseReport) -> str:
    """Each file written (after any warnings), or the check that stopped the release and that nothing was written."""
    if not report.written:
        return f"{check_text(report.check)}\nnothing written"
    out = Path(report.directory)
    lines = [finding_line(w) for w in report.check.warnings]
    lines += [f"wrote {out / name}" for name in report.artefacts]
    lines.append(f"wrote {out / 'release.json'}")
    return "\n".join(lines)


__all__ = [
    "check_text",
    "deadline_text",
    "finding_line",
    "ground_text",
    "redaction_text",
    "release_text",
    "warnings_text",
]
