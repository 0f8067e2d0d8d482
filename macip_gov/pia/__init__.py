"""The Privacy Impact Assessment: models, validation, revisions, sign-off, diffs and reports."""

from ..errors import StaleRevisionError
from .check import PiaValidation, Violation, policy_input, validate_path, validate_pia
from .diff import PiaDiff, diff_pia, diff_versions
from .history import HistoryReport, pia_history
from .models import Pia, content_hash
from .report import render_path, render_report, report_markdown
from .signoff import SignoffState, SignoffStatus, approved_flows, export_flows, signoff_status
from .store import (
    History,
    RevisionInfo,
    RevisionResult,
    VerificationError,
    check_history,
    load_pia,
    load_revision,
    migrate_history,
    revise,
    sign_off,
    verify_history,
)

__all__ = [
    "History",
    "HistoryReport",
    "Pia",
    "PiaDiff",
    "PiaValidation",
    "RevisionInfo",
    "RevisionResult",
    "SignoffState",
    "SignoffStatus",
    "StaleRevisionError",
    "VerificationError",
    "Violation",
    "approved_flows",
    "check_history",
    "content_hash",
    "diff_pia",
    "diff_versions",
    "export_flows",
    "load_pia",
    "load_revision",
    "migrate_history",
    "pia_history",
    "policy_input",
    "render_path",
    "render_report",
    "report_markdown",
    "revise",
    "sign_off",
    "signoff_status",
    "validate_path",
    "validate_pia",
    "verify_history",
]
