"""Plain-text views of PIA results, for a terminal: validation, revisions, sign-off, history, diffs.

The PIA report document itself (Markdown, HTML, Word) is :mod:`macip_gov.pia.report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check import PiaValidation
    from .diff import PiaDiff
    from .history import HistoryReport
    from .models import SignOff
    from .store import History, RevisionInfo, RevisionResult


def _short(content_hash: str) -> str:
    """``sha256:`` and the first 12 hex digits of a content hash."""
    return content_hash[:19]


def validation_text(result: PiaValidation) -> str:
    """Each violation and warning with its rule id, then whether the PIA is valid."""
    lines = [f"DENY {v.id}: {v.msg}" for v in result.violations]
    lines += [f"WARN {v.id}: {v.msg}" for v in result.warnings]
    if result.valid:
        lines.append(f"{result.file}: valid ({result.signoff.label}; {_short(result.content_hash)})")
    else:
        lines.append(f"{result.file}: {len(result.violations)} violation(s)")
    return "\n".join(lines)


def revision_text(result: RevisionResult) -> str:
    """The revision stored, or that the working copy was already stored."""
    rev = result.revision
    if result.created:
        return f"stored revision {rev.revision} ({_short(rev.content_hash)}) at {result.path}"
    return f"unchanged: already stored as revision {rev.revision} ({_short(rev.content_hash)})"


def signoff_text(record: SignOff, revision: RevisionInfo) -> str:
    """Who signed off which content, and the revision that records it."""
    return (
        f"signed off {_short(record.content_hash)} by {record.by} ({record.role}); "
        f"stored as revision {revision.revision}"
    )


def history_text(report: HistoryReport) -> str:
    """One line per stored revision, then the chain, the working copy and the sign-off."""
    lines = [
        f"r{rev.revision}  {rev.created_at:%Y-%m-%d %H:%M}  {_short(rev.content_hash)}  {rev.author}: {rev.message}"
        for rev in report.revisions
    ]
    if not report.verified:
        lines.append(f"chain: FAILED: {report.problem}")
    elif report.revisions:
        lines.append(f"chain: verified, head r{report.latest} {report.head}")
        if report.checkpoints:
            how = "signatures hold" if report.signed else "signatures not checked: pass --public-key"
            lines.append(f"checkpoints: {report.checkpoints} in the chain ({how})")
    else:
        lines.append("no revisions stored")
    lines.append(f"working copy: {report.working_state}")
    lines.append(f"sign-off: {report.signoff.label}")
    return "\n".join(lines)


def migration_text(chain: History) -> str:
    """The chain a migration left: how many revisions, and its head."""
    return f"chain: verified, {chain.latest} revisions, head r{chain.latest} {chain.head_hash}"


def copy_text(source: History, copy: History) -> str:
    """What a copy holds and where, and its head."""
    return (
        f"copied {copy.latest} revisions from {source.store.label} to {copy.store.label}\n"
        f"chain: verified, {copy.latest} revisions, head r{copy.latest} {copy.head_hash}"
    )


def export_text(output: Path, flows: Mapping[str, Mapping[str, Any]]) -> str:
    """Where the flows were written, how many, and how many are signed off."""
    from .signoff import flows_index_beside

    signed = sum(1 for f in flows.values() if f["signed_off"])
    index = flows_index_beside(output)
    also = f"; and their index by agency pair, {index}" if index is not None else ""
    return f"wrote {output} ({len(flows)} flows, {signed} signed off){also}"


def diff_text(result: PiaDiff) -> str:
    """One line per change (``+``, ``-`` or ``~``), or that there is none."""
    from .diff import describe

    lines = describe(result)
    return "\n".join(lines) if lines else f"no differences between {result.old} and {result.new}"


def render_text(output: Path, result: PiaValidation) -> str:
    """Where the report was written, whether the PIA is valid, and its sign-off state."""
    state = "valid" if result.valid else f"{len(result.violations)} violation(s)"
    return f"wrote {output} ({state}; {result.signoff.label})"


__all__ = [
    "copy_text",
    "diff_text",
    "export_text",
    "history_text",
    "migration_text",
    "render_text",
    "revision_text",
    "signoff_text",
    "validation_text",
]
