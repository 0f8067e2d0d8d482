"""Approval of a release: who approved which release, and when; stale once the release changes.

A decision maker (an approver) approves the release as it was written: the record
holds the SHA-256 of its ``release.json``, which lists and hashes every artefact. The
record is ``approval.json`` in the request's folder, beside the release folder and never
inside it (the release folder is published whole, and ``release.json`` lists all it holds).

An approval is current only while the release folder is still the release it approved:
``release.json`` has the hash recorded, and every file in the folder is one it lists,
unchanged. A release written again (new marks, a new letter) or edited by hand makes the
approval stale; the record is kept, so the page can say who approved what, and it is
replaced by the next approval.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InvalidInputError

APPROVAL_FILE = "approval.json"
"""The approval record's name, in the request's folder."""
RELEASE_RECORD = "release.json"
"""The release's own record, whose hash an approval holds."""


class Approval(BaseModel):
    """One approval of a release."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    request: str = Field(min_length=1, description="The request's id (the manifest's request.id).")
    approved_by: str = Field(min_length=1, description="The signed-in user who approved the release.")
    approved_at: datetime = Field(description="When, in UTC.")
    release_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the approved release's release.json."
    )


class ApprovalState(BaseModel):
    """Whether a request's release is approved as it now stands."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    approval: Approval | None = Field(description="The recorded approval, current or not; None when there is none.")
    current: bool = Field(description="True when the approval is of the release as it now stands.")
    reason: str = Field(description="Why the approval is not current (empty when it is).")
    sources_changed: list[str] = Field(
        default_factory=list,
        description="The request's files (manifest, originals, marks) changed since the release was written.",
    )


def sources_changed(request_dir: Path, release_dir: Path) -> list[str]:
    """The request's own files changed since its release was written, by path in the request folder.

    The release is what gets published, but it is made from the manifest and the marked
    originals: one changed since (a mark added, a decision changed) means the release no
    longer says what the officers decided. The release folder, its review copy and the
    approval record are not sources. Empty when no release has been written.
    """
    record = release_dir / RELEASE_RECORD
    try:
        written = record.stat().st_mtime_ns
    except OSError:
        return []
    return [
        path.relative_to(request_dir).as_posix()
        for path in source_files(request_dir, release_dir)
        if path.stat().st_mtime_ns > written
    ]


def source_files(request_dir: Path, release_dir: Path) -> list[Path]:
    """The files a release is made from, sorted.

    Everything in the request's folder but the release, its review copies (``*.review``)
    and the approval record.
    """
    release = release_dir.resolve()
    found = []
    for path in sorted(request_dir.rglob("*")):
        relative = path.relative_to(request_dir)
        if relative.parts[0] == APPROVAL_FILE or relative.parts[0].endswith(".review"):
            continue
        if path.resolve().is_relative_to(release) or not path.is_file():
            continue
        found.append(path)
    return found


def release_digest(release_dir: Path) -> str:
    """The SHA-256 of ``release.json``, once the folder is checked to be the release as written.

    Args:
        release_dir: The release folder.

    Returns:
        The hex digest of ``release.json``'s bytes.

    Raises:
        InvalidInputError: There is no release there, or the folder holds a file its
            ``release.json`` does not list, or a listed file is missing or was changed.
    """
    from .release_zip import release_files

    return release_files(release_dir)[RELEASE_RECORD]


def read_approval(request_dir: Path) -> Approval | None:
    """The approval recorded in a request's folder, or None.

    Raises:
        InvalidInputError: The record is unreadable or not an approval record.
    """
    path = request_dir / APPROVAL_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read the approval record ({exc})", file=str(path)) from None
    try:
        return Approval.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "record"
        raise InvalidInputError(f"not an approval record: {field}: {first['msg']}", file=str(path)) from None


def approve(request_dir: Path, release_dir: Path, *, request: str, by: str, at: datetime) -> Approval:
    """Record that ``by`` approved the release in ``release_dir`` as it now stands.

    Args:
        request_dir: The request's folder; the record is written there, atomically.
        release_dir: The release folder (checked to be a release as written).
        request: The request's id.
        by: Who approves (the signed-in user).
        at: When (converted to UTC).

    Returns:
        The approval written.

    Raises:
        InvalidInputError: No release, an edited release, an empty name, or the record
            cannot be written.
    """
    from ..files import atomic_write

    if at.tzinfo is None:
        raise InvalidInputError("the approval time must carry its time zone")
    changed = sources_changed(request_dir, release_dir)
    if changed:
        raise InvalidInputError(
            f"{', '.join(changed)} changed after the release was written: write the release again, "
            "then approve what it now says"
        )
    try:
        record = Approval(
            request=request, approved_by=by, approved_at=at.astimezone(UTC), release_sha256=release_digest(release_dir)
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInputError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    payload = json.dumps(record.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    atomic_write(request_dir / APPROVAL_FILE, payload.encode("utf-8"))
    return record


def approval_state(request_dir: Path, release_dir: Path) -> ApprovalState:
    """Whether the release in ``release_dir`` is approved as it now stands.

    Raises:
        InvalidInputError: The approval record is unreadable or malformed.
    """
    approval = read_approval(request_dir)
    changed = sources_changed(request_dir, release_dir)
    if approval is None:
        return ApprovalState(
            approval=None, current=False, reason="the release has not been approved", sources_changed=changed
        )
    try:
        digest = release_digest(release_dir)
    except InvalidInputError as exc:
        return ApprovalState(approval=approval, current=False, reason=f"the release is not as approved: {exc.message}")
    if digest != approval.release_sha256:
        return ApprovalState(
            approval=approval,
            current=False,
            reason="the release was written again after it was approved",
            sources_changed=changed,
        )
    return ApprovalState(approval=approval, current=True, reason="", sources_changed=changed)


__all__ = [
    "APPROVAL_FILE",
    "RELEASE_RECORD",
    "Approval",
    "ApprovalState",
    "approval_state",
    "approve",
    "read_approval",
    "release_digest",
    "source_files",
    "sources_changed",
]
