"""The PIA operations the review app offers, over the same store the CLI uses.

Editing in a browser adds two things to ``pia revise`` and ``pia sign-off``:
the text comes from a form (typed, or a file uploaded) rather than from the
working file, and a page can be left open while someone else stores a revision.
So each page records the :class:`EditBase` it was opened at (the latest
revision and the SHA-256 of the working file's bytes), and a write is refused
with :class:`~macip_gov.errors.StaleRevisionError` when either has moved since:
nothing is written and the submitted text is still the caller's to show again.

A revision from text is checked in full (the CLI's parsing rules, the
revision it is based on, its sign-offs) before the working file is touched; the
working file is then replaced and the library's :func:`~macip_gov.pia.store.revise`
stores it, and if that fails for any reason before storing, the working file is
put back as it was. A sign-off approves exactly the latest stored revision, as
the approver saw it: a working copy with edits not stored is refused rather
than stored under the approver's name.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError, StaleRevisionError
from ..files import atomic_write
from ..inputs import read_text
from ..workspace import Workspace
from .history import HistoryReport, pia_history
from .models import SignOff
from .store import (
    RevisionInfo,
    RevisionResult,
    VerificationError,
    load_pia,
    parse_pia,
    resolve,
    revise,
    sign_off,
)

REPORT_FORMATS: dict[str, tuple[str, str]] = {
    "md": ("Markdown", "text/markdown; charset=utf-8"),
    "docx": ("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}
"""The PIA report's formats offered for download (as ``pia render``): label and media type."""

UPLOAD_LIMIT = 2 * 1024 * 1024
"""The largest PIA file a form may send, in bytes (the MACIP PIA is about 35 KB)."""

MESSAGE_LIMIT = 500
"""The longest revision message, in characters."""

SECTION_TITLES = {
    "document": "Document",
    "project": "Project description",
    "threshold_conclusion": "Threshold conclusion",
    "review": "Review schedule",
    "agencies": "Agencies",
    "threshold": "Threshold questions",
    "flows": "Information flows",
    "ipp_analysis": "Privacy principles",
    "risks": "Risks",
    "mitigations": "Mitigations",
    "recommendations": "Recommendations",
    "actions": "Action plan",
    "consultation": "Consultation",
    "signoffs": "Sign-offs",
}
"""How each section of a diff (:class:`~macip_gov.pia.diff.EntryChange` ``section``) is headed on a page."""

VERSION_SPEC = re.compile(r"^(r?\d{1,6}|latest|working|signed)$")
"""The versions a diff may name: a revision number (3 or r3), latest, working or signed."""

_TOKEN = re.compile(r"^(\d{1,9}):(sha256:[0-9a-f]{64})$")

# One write at a time from this process: the check, the working file and the store go together.
_WRITE_LOCK = threading.Lock()


@dataclass(frozen=True)
class PiaLocation:
    """Where a workspace keeps its PIA: the folder (or file) and its history (None: ``history/`` beside it)."""

    pia: Path
    history: Path | str | None

    @classmethod
    def of(cls, workspace: Workspace) -> PiaLocation:
        """The workspace's PIA and its ``[pia] history``, as the CLI's ``pia`` commands default to.

        A workspace's relative paths are relative to the folder the process runs in
        (:func:`~macip_gov.workspace.load_workspace`), so they are made absolute from there.
        """
        history = workspace.pia_history
        return cls(pia=workspace.pia.absolute(), history=history.absolute() if isinstance(history, Path) else history)


class EditBase(BaseModel):
    """What a page showed: the latest stored revision then, and the working file's bytes then."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int = Field(ge=0, description="The latest stored revision (0: none).")
    working_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="SHA-256 of the working file.")

    @property
    def token(self) -> str:
        """The base as one form value, ``<revision>:<hash>``."""
        return f"{self.revision}:{self.working_hash}"

    @classmethod
    def from_token(cls, token: str) -> EditBase:
        """Read a form value written by :attr:`token`.

        Raises:
            InvalidInputError: Not such a value (a form not sent by the page).
        """
        match = _TOKEN.match(token.strip())
        if match is None:
            raise InvalidInputError("opened_at: the form does not say which version it was opened at; reload the page")
        return cls(revision=int(match[1]), working_hash=match[2])


class WorkingCopy(BaseModel):
    """The working file as a page shows it for editing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="The working file.")
    text: str = Field(description="Its text.")
    base: EditBase = Field(description="The version this text is, to detect a change before it is replaced.")


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _latest(location: PiaLocation) -> int:
    """The newest stored revision of a history that verifies."""
    from .store import verify_history

    paths = resolve(location.pia, location.history)
    return verify_history(paths.history).latest


def working_copy(location: PiaLocation) -> WorkingCopy:
    """The working file's text and the version it is, for an edit form.

    Raises:
        InvalidInputError: No working file, or it cannot be read.
        VerificationError: The history does not verify.
    """
    paths = resolve(location.pia, location.history)
    text = read_text(paths.working)
    base = EditBase(revision=_latest(location), working_hash=_digest(_raw(paths.working)))
    return WorkingCopy(file=str(paths.working), text=text, base=base)


def _raw(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def upload_text(data: bytes, name: str, *, limit: int = UPLOAD_LIMIT) -> str:
    """The text of an uploaded PIA file, refused when too large or not UTF-8.

    Args:
        data: The bytes received (at most ``limit + 1`` need be read).
        name: The file's name as sent, for the message.
        limit: The largest size accepted, in bytes.

    Raises:
        InvalidInputError: Empty, too large, or not UTF-8 text.
    """
    shown = Path(name).name or "upload"
    if not data:
        raise InvalidInputError("the file is empty", file=shown)
    if len(data) > limit:
        raise InvalidInputError(f"larger than the {limit // 1024} KiB limit for a PIA file", file=shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text (byte {exc.start})", file=shown) from None


def _message(message: str) -> str:
    text = " ".join(message.split())
    if not text:
        raise InvalidInputError("message: a revision needs a message saying what changed")
    if len(text) > MESSAGE_LIMIT:
        raise InvalidInputError(f"message: longer than {MESSAGE_LIMIT} characters")
    return text


def _stale(opened: EditBase, now: EditBase) -> StaleRevisionError | None:
    if now.revision != opened.revision:
        return StaleRevisionError(
            f"the PIA changed since you opened it: revision {now.revision} is now the latest, you opened "
            f"revision {opened.revision}; nothing was stored"
        )
    if now.working_hash != opened.working_hash:
        return StaleRevisionError(
            "the PIA's working file changed since you opened it (edited outside this page); nothing was stored"
        )
    return None


def revise_text(
    location: PiaLocation, text: str, *, name: str, opened: EditBase, author: str, message: str
) -> RevisionResult:
    """Store ``text`` as the next revision of the PIA, as ``pia revise`` would after saving the working file.

    Args:
        location: The workspace's PIA.
        text: The PIA's new text (typed or uploaded); CRLF line ends are stored as LF.
        name: What to call the text in messages (an uploaded file's name, or the working file's).
        opened: The version the editing page was opened at.
        author: The signed-in user, recorded as the revision's author.
        message: What changed and why.

    Returns:
        The revision stored, or the latest one when the text is already stored there.

    Raises:
        InvalidInputError: The text is malformed or does not fit the PIA model (file, line and
            field named), its sign-offs differ from the latest revision's, or no message.
        StaleRevisionError: The PIA changed since ``opened``, or the text is based on an older
            revision. Nothing is written.
        VerificationError: The history does not verify. Nothing is written.
    """
    note = _message(message)
    text = text.replace("\r\n", "\n")  # a browser sends a textarea's lines ending CRLF
    document = parse_pia(text, name)
    with _WRITE_LOCK:
        current = working_copy(location)
        problem = _stale(opened, current.base)
        if problem is not None:
            raise problem
        latest = current.base.revision
        if document.based_on_revision != latest:
            raise StaleRevisionError(
                f"based_on_revision: the text is based on revision {document.based_on_revision}, but revision "
                f"{latest} is the latest; start from the latest revision",
                file=name,
            )
        working = Path(current.file)
        before = _raw(working)
        if _digest(before) != opened.working_hash:
            raise StaleRevisionError("the PIA's working file changed since you opened it; nothing was stored")
        atomic_write(working, text.encode("utf-8"))
        try:
            return revise(location.pia, author=author, message=note, history=location.history)
        except BaseException:
            # Nothing was stored unless the history moved on: put the working file back.
            try:
                stored = _latest(location) != latest
            except (InvalidInputError, VerificationError):
                stored = False
            if not stored:
                atomic_write(working, before)
            raise


def sign_off_latest(location: PiaLocation, *, by: str, role: str, revision: int) -> tuple[SignOff, RevisionInfo]:
    """Sign off the latest stored revision as the approver saw it.

    Args:
        location: The workspace's PIA.
        by: The signed-in user's name.
        role: Their role, in words.
        revision: The revision the page showed as the latest.

    Returns:
        The sign-off and the revision that records it.

    Raises:
        StaleRevisionError: Another revision was stored since the page was opened.
        InvalidInputError: Nothing is stored yet, or the working copy holds edits not stored
            (they would be signed off unseen).
        VerificationError: The history does not verify, or records none of the working copy's sign-offs.
    """
    with _WRITE_LOCK:
        report = pia_history(location.pia, history=location.history)
        if not report.verified:
            raise VerificationError(f"the history does not verify, so nothing can be signed off: {report.problem}")
        if report.latest != revision:
            raise StaleRevisionError(
                f"revision {report.latest} is now the latest, but you opened revision {revision}: "
                "review it before signing off; nothing was signed"
            )
        if report.latest == 0:
            raise InvalidInputError("nothing to sign off: no revision is stored yet")
        if not report.stored:
            raise InvalidInputError(
                f"the working copy has edits not stored as a revision ({report.working_state}): store them "
                "with Revise, and review them, before signing off; nothing was signed",
                file=report.file,
            )
        return sign_off(location.pia, by=by, role=role, history=location.history)


class HistoryRow(BaseModel):
    """One stored revision as the history page lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    info: RevisionInfo = Field(description="What the revision records.")
    adds_signoff: bool = Field(description="True when the revision is a sign-off.")


def history_rows(report: HistoryReport) -> list[HistoryRow]:
    """The report's revisions, newest first, each marked when it adds a sign-off."""
    rows = []
    before = 0
    for info in report.revisions:
        rows.append(HistoryRow(info=info, adds_signoff=info.signoffs > before))
        before = info.signoffs
    return rows[::-1]


def recorded_signoffs(location: PiaLocation, report: HistoryReport) -> list[SignOff]:
    """The sign-offs the working copy carries, oldest first, when the history verifies (else none: not trusted).

    Raises:
        InvalidInputError: The working copy cannot be read.
    """
    if not report.verified:
        return []
    return list(load_pia(resolve(location.pia, location.history).working).signoffs)


def value_text(value: object) -> str:
    """A value from a diff as a person reads it: text as it is, none, yes or no, anything else as JSON."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def report_format(fmt: str) -> str:
    """A report format named in an address, one of :data:`REPORT_FORMATS`.

    Raises:
        InvalidInputError: Any other.
    """
    if fmt not in REPORT_FORMATS:
        raise InvalidInputError(f"format: {fmt[:20]!r} is not offered (choose {', '.join(REPORT_FORMATS)})")
    return fmt


def report_name(pia_id: str, fmt: str) -> str:
    """The report's file name for download, e.g. ``macip-pia-report.pdf``."""
    stem = re.sub(r"[^a-z0-9]+", "-", pia_id.lower()).strip("-") or "pia"
    return f"{stem}-report.{report_format(fmt)}"


def version_spec(value: str, what: str) -> str:
    """A version named in a diff's address, checked before it reaches the store.

    Raises:
        InvalidInputError: Not a revision number, latest, working or signed.
    """
    spec = value.strip().lower()
    if not VERSION_SPEC.match(spec):
        raise InvalidInputError(
            f"{what}: {value[:40]!r} is not a version (a revision number, latest, working or signed)"
        )
    return spec


__all__ = [
    "MESSAGE_LIMIT",
    "REPORT_FORMATS",
    "SECTION_TITLES",
    "UPLOAD_LIMIT",
    "EditBase",
    "HistoryRow",
    "PiaLocation",
    "WorkingCopy",
    "upload_text",
    "value_text",
    "version_spec",
    "revise_text",
    "history_rows",
    "recorded_signoffs",
    "report_format",
    "report_name",
    "sign_off_latest",
    "working_copy",
]
