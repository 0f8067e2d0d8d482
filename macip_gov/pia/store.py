"""The PIA on disk: a working copy plus immutable, numbered revisions.

A PIA directory holds one working file (``macip.yaml``) and ``history/``, in which
``r0001.yaml``, ``r0002.yaml``... each record one stored revision: its number, its
parent, the content hash, author, time, message and the whole document. Revision
files are created, never rewritten: a new one is written to a temporary file,
flushed to disk, then hard-linked into place, which fails if the number is taken,
so of two writers working from the same base exactly one wins and the other is
refused (:class:`StaleRevisionError`) without touching anything. The working file
is replaced by rename, so a process killed at any point leaves either the old or
the new file, never a torn one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InvalidInputError, StaleRevisionError
from ..inputs import parse_document, read_text, validation_error
from .models import Pia, SignOff

HISTORY_DIR = "history"
_REVISION_FILE = re.compile(r"^r(\d{4,})\.yaml$")
_BASE_LINE = re.compile(r"^based_on_revision:[ \t]*\d+[ \t]*$", re.M)
_SIGNOFFS_LINE = re.compile(r"^signoffs:[ \t]*(\[\])?[ \t]*$", re.M)

# Called with (temporary file, destination) after the temporary file is complete
# and flushed, just before it is moved into place. Tests set it in a child process
# to stop there and kill the process.
_before_commit: Callable[[Path, Path], None] | None = None


class RevisionInfo(BaseModel):
    """What is recorded about one stored revision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int = Field(ge=1, description="Revision number, from 1.")
    parent: int | None = Field(description="The revision it was based on (None for the first).")
    content_hash: str = Field(description="Content hash of the document (sign-offs excluded).")
    author: str = Field(min_length=1, description="Who stored it.")
    created_at: datetime = Field(description="When it was stored (UTC).")
    message: str = Field(min_length=1, description="What changed and why.")
    signoffs: int = Field(ge=0, description="How many sign-offs the document carries.")


class Revision(RevisionInfo):
    """A stored revision with its document."""

    document: Pia = Field(description="The PIA as stored.")


class RevisionResult(BaseModel):
    """The outcome of storing the working copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    created: bool = Field(description="False when the working copy was already stored.")
    revision: RevisionInfo = Field(description="The revision that now holds the working copy.")
    path: str = Field(description="The revision file.")


@dataclass(frozen=True)
class PiaPaths:
    """Where a PIA's working file and history live."""

    working: Path
    history: Path


def resolve(path: Path | str, history: Path | str | None = None) -> PiaPaths:
    """Find the working file and history directory for ``path``.

    Args:
        path: A PIA directory (holding exactly one ``*.yaml`` file) or the working file.
        history: The history directory; default ``history/`` beside the working file.

    Raises:
        InvalidInputError: No working file, or more than one.
    """
    p = Path(path)
    if p.is_dir():
        candidates = sorted(c for c in p.iterdir() if c.suffix in (".yaml", ".yml") and c.is_file())
        if not candidates:
            raise InvalidInputError("no PIA (*.yaml) in this directory", file=str(p))
        if len(candidates) > 1:
            names = ", ".join(c.name for c in candidates)
            raise InvalidInputError(f"more than one PIA file ({names}); name one", file=str(p))
        p = candidates[0]
    elif not p.exists():
        raise InvalidInputError("file not found", file=str(p))
    return PiaPaths(working=p, history=Path(history) if history is not None else p.parent / HISTORY_DIR)


def parse_pia(text: str, name: str) -> Pia:
    """Parse and validate PIA text.

    Raises:
        InvalidInputError: Malformed YAML (with line) or a field that does not fit (with field and line).
    """
    data = parse_document(text, name)
    if not isinstance(data, dict):
        raise InvalidInputError("a PIA must be a mapping at the top level", file=name, location="1")
    try:
        return Pia.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, name, text=text) from None


def load_pia(path: Path | str) -> Pia:
    """Read and validate a PIA file or directory's working file."""
    working = resolve(path).working
    return parse_pia(read_text(working), str(working))


# -- atomic file writes ------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix.

    The bytes go to a temporary file in the same directory, which is flushed and
    fsynced, then renamed over ``path`` (or, with ``exclusive``, hard-linked to it,
    which fails if ``path`` exists).

    Raises:
        FileExistsError: ``exclusive`` and ``path`` already exists; nothing was changed.
        OSError: The directory is not writable.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o644)
            os.fsync(handle.fileno())
        if _before_commit is not None:
            _before_commit(tmp, path)
        if exclusive:
            os.link(tmp, path)
            tmp.unlink()
        else:
            os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


# -- revisions -----------------------------------------------------------------


def revision_path(history: Path, number: int) -> Path:
    """The file of revision ``number``."""
    return history / f"r{number:04d}.yaml"


def revision_numbers(history: Path) -> list[int]:
    """Stored revision numbers, ascending (temporary and other files are ignored)."""
    if not history.is_dir():
        return []
    found = (_REVISION_FILE.match(p.name) for p in history.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def latest_number(history: Path) -> int:
    """The newest revision number, or 0 when nothing is stored."""
    numbers = revision_numbers(history)
    return numbers[-1] if numbers else 0


def load_revision(history: Path, number: int) -> Revision:
    """Read one stored revision and check that its content hash still matches.

    Raises:
        InvalidInputError: Missing, malformed, or altered since it was stored.
    """
    path = revision_path(history, number)
    if not path.exists():
        stored = revision_numbers(history)
        have = f"r{stored[0]}..r{stored[-1]}" if stored else "none"
        raise InvalidInputError(f"no revision {number} (stored: {have})", file=str(path))
    text = read_text(path)
    data = parse_document(text, str(path))
    try:
        record = Revision.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, str(path), text=text) from None
    if record.revision != number:
        raise InvalidInputError(f"file holds revision {record.revision}, not {number}", file=str(path))
    actual = record.document.content_hash()
    if actual != record.content_hash:
        raise InvalidInputError(
            f"revision {number} has been altered: content hash is {actual}, recorded {record.content_hash}",
            file=str(path),
        )
    return record


def list_revisions(history: Path) -> list[RevisionInfo]:
    """Every stored revision's record (without documents), oldest first."""
    out = []
    for n in revision_numbers(history):
        rev = load_revision(history, n)
        out.append(RevisionInfo.model_validate(rev.model_dump(exclude={"document"})))
    return out


def _serialise(revision: Revision) -> bytes:
    import yaml

    record = revision.model_dump(mode="json")
    record["document"] = revision.document.model_dump(mode="json", exclude={"based_on_revision"})
    header = (
        f"# Stored revision {revision.revision} of {revision.document.id}. Immutable: never edit;\n"
        "# store a new revision with `macip-gov pia revise` instead.\n"
    )
    body = str(yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100))
    return (header + body).encode("utf-8")


def _same_document(a: Pia, b: Pia) -> bool:
    return a.model_dump(mode="json", exclude={"based_on_revision"}) == b.model_dump(
        mode="json", exclude={"based_on_revision"}
    )


def _with_base(text: str, number: int) -> str:
    """The working text with ``based_on_revision`` set, keeping comments and layout."""
    line = f"based_on_revision: {number}"
    if _BASE_LINE.search(text):
        return _BASE_LINE.sub(line, text, count=1)
    return text + ("" if text.endswith("\n") else "\n") + line + "\n"


def _with_signoff(text: str, signoff: SignOff) -> str:
    """The working text with one more entry in ``signoffs``, keeping comments and layout."""
    import yaml

    item = yaml.safe_dump([signoff.model_dump(mode="json")], sort_keys=False, allow_unicode=True)
    item = "".join("  " + ln for ln in item.splitlines(keepends=True))
    match = _SIGNOFFS_LINE.search(text)
    if match is None:
        return text + ("" if text.endswith("\n") else "\n") + "signoffs:\n" + item
    if match.group(1):  # `signoffs: []`
        return text[: match.start()] + "signoffs:\n" + item.rstrip("\n") + text[match.end() :]
    # Insert after the last line of the existing block (before the next top-level key).
    rest = text[match.end() :]
    next_key = re.search(r"^(?![ \t#-]|$)", rest[1:], re.M)
    cut = match.end() + (next_key.start() + 1 if next_key else len(rest))
    head = text[:cut]
    if not head.endswith("\n"):
        head += "\n"
    return head + item + text[cut:]


def _check_base(working: Pia, latest: int) -> None:
    if working.based_on_revision != latest:
        raise StaleRevisionError(
            f"the working copy is based on revision {working.based_on_revision}, but revision {latest} "
            "is the latest; bring in its changes and set based_on_revision to "
            f"{latest} before storing"
        )


def _rewrite_working(paths: PiaPaths, text: str, expect: Pia) -> None:
    """Replace the working file with ``text`` after checking it parses to ``expect``."""
    name = str(paths.working)
    if parse_pia(text, name) != expect:  # pragma: no cover - guards the text edits above
        raise InvalidInputError("could not update the working file without changing its content", file=name)
    atomic_write(paths.working, text.encode("utf-8"))


def _store(
    paths: PiaPaths, document: Pia, *, base: int, author: str, message: str, now: datetime
) -> RevisionInfo:
    # The number follows the base the caller checked, never a fresh look at the
    # history: a writer that finds its number taken was stale and is refused.
    latest = base
    number = latest + 1
    revision = Revision(
        revision=number,
        parent=latest or None,
        content_hash=document.content_hash(),
        author=author,
        created_at=now,
        message=message,
        signoffs=len(document.signoffs),
        document=document.model_copy(update={"based_on_revision": 0}),
    )
    target = revision_path(paths.history, number)
    try:
        atomic_write(target, _serialise(revision), exclusive=True)
    except FileExistsError:
        raise StaleRevisionError(
            f"revision {number} was stored by another writer meanwhile; nothing was written",
            file=str(target),
        ) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot write the revision: {exc.strerror or exc}", file=str(target)) from None
    return RevisionInfo.model_validate(revision.model_dump(exclude={"document"}))


def _sync(paths: PiaPaths) -> tuple[str, Pia, int, RevisionInfo | None]:
    """Read the working copy and reconcile it with the latest revision.

    Returns ``(text, working, latest, stored)`` where ``stored`` is the latest
    revision's record when the working copy is already stored in it. A working
    copy left behind by a process stopped between storing a revision and
    rewriting the working file (same document but an old base, or missing the
    sign-off just stored) is brought up to date here.
    """
    text = read_text(paths.working)
    working = parse_pia(text, str(paths.working))
    latest = latest_number(paths.history)
    if not latest:
        return text, working, 0, None
    newest = load_revision(paths.history, latest)
    info = RevisionInfo.model_validate(newest.model_dump(exclude={"document"}))
    if _same_document(newest.document, working):
        if working.based_on_revision != latest:
            text = _with_base(text, latest)
            working = working.model_copy(update={"based_on_revision": latest})
            _rewrite_working(paths, text, working)
        return text, working, latest, info
    signoffs = newest.document.signoffs
    unsigned = newest.document.model_copy(update={"signoffs": signoffs[:-1]})
    if signoffs and working.based_on_revision == latest - 1 and _same_document(unsigned, working):
        text = _with_base(_with_signoff(text, signoffs[-1]), latest)
        working = working.model_copy(update={"signoffs": list(signoffs), "based_on_revision": latest})
        _rewrite_working(paths, text, working)
        return text, working, latest, info
    return text, working, latest, None


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


def revise(
    path: Path | str,
    *,
    author: str,
    message: str,
    history: Path | str | None = None,
    now: datetime | None = None,
) -> RevisionResult:
    """Store the working copy as the next immutable revision.

    Args:
        path: PIA directory or working file.
        author: Who is storing it.
        message: What changed and why.
        history: History directory (default ``history/`` beside the working file).
        now: The time to record (default: now, UTC).

    Returns:
        The new revision, or the latest one when the working copy was already stored.

    Raises:
        InvalidInputError: The working copy does not parse or validate.
        StaleRevisionError: The working copy is based on an older revision, or another
            writer stored the same revision number first. Nothing is written.
    """
    if not message.strip():
        raise InvalidInputError("a revision needs a message saying what changed")
    paths = resolve(path, history)
    text, working, latest, stored = _sync(paths)
    if stored is not None:
        return RevisionResult(created=False, revision=stored, path=str(revision_path(paths.history, latest)))
    _check_base(working, latest)
    info = _store(paths, working, base=latest, author=author, message=message.strip(), now=_now(now))
    _rewrite_working(
        paths, _with_base(text, info.revision), working.model_copy(update={"based_on_revision": info.revision})
    )
    return RevisionResult(created=True, revision=info, path=str(revision_path(paths.history, info.revision)))


def sign_off(
    path: Path | str,
    *,
    by: str,
    role: str,
    history: Path | str | None = None,
    now: datetime | None = None,
) -> tuple[SignOff, RevisionInfo]:
    """Approve the working copy: record who, when and the content hash, as a new revision.

    The working copy must be up to date with the latest revision (its edits, if
    any, are stored in the same revision as the sign-off).

    Returns:
        The sign-off and the revision that records it.

    Raises:
        InvalidInputError: The working copy does not validate, or ``by``/``role`` is empty.
        StaleRevisionError: The working copy is based on an older revision.
    """
    if not by.strip() or not role.strip():
        raise InvalidInputError("a sign-off needs a name (--by) and a role (--role)")
    paths = resolve(path, history)
    text, working, latest, stored = _sync(paths)
    last = working.latest_signoff
    if (
        stored is not None
        and last is not None
        and (last.by, last.role, last.content_hash) == (by.strip(), role.strip(), working.content_hash())
    ):
        return last, stored  # this sign-off is already recorded
    _check_base(working, latest)
    moment = _now(now)
    record = SignOff(
        by=by.strip(), role=role.strip(), at=moment, content_hash=working.content_hash(), revision=latest + 1
    )
    signed = working.model_copy(update={"signoffs": [*working.signoffs, record]})
    signed = Pia.model_validate(signed.model_dump(mode="json"))
    new_text = _with_signoff(text, record)
    # The revision is stored first; if the process dies before the working file is
    # rewritten, the next command finds the sign-off in the latest revision and
    # brings the working file up to date (_sync).
    message = f"Signed off by {by.strip()} ({role.strip()})"
    info = _store(paths, signed, base=latest, author=by.strip(), message=message, now=moment)
    _rewrite_working(
        paths, _with_base(new_text, info.revision), signed.model_copy(update={"based_on_revision": info.revision})
    )
    return record, info


def restore_text(revision: Revision) -> str:
    """The YAML text of a stored revision, as a working file based on it."""
    import yaml

    data: dict[str, Any] = revision.document.model_dump(mode="json")
    data["based_on_revision"] = revision.revision
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
