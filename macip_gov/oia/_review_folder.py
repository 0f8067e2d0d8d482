"""The review copy of a release: written beside the release folder, never inside it.

``oia release --review -o DIR`` writes the decision maker's review copies (the
released text with every withheld passage shown and highlighted, REVIEW COPY – NOT
FOR RELEASE on every page) to ``DIR.review``, a sibling of ``DIR``. Not a ``review/``
folder inside ``DIR``: the release folder is what gets published, zipped or copied
to a web site whole, and ``release.json`` lists and hashes everything in it, so a
review copy inside it would be published with it by anyone who publishes "the
release folder". Beside it, the two never mix: the release folder holds only
release artefacts, and nothing in the review folder is listed, counted or hashed
as released.

The review folder holds ``review.json`` (the files it holds, by name) and a notice.
An existing review folder is replaced only when it holds nothing its ``review.json``
does not list; anything else is refused, so a folder someone reused is never
emptied.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidInputError

if TYPE_CHECKING:
    from ._release_check import Prepared

RECORD = "review.json"
NOTICE = "REVIEW-COPY-NOT-FOR-RELEASE.txt"
_NOTICE_TEXT = (
    "REVIEW COPY \u2013 NOT FOR RELEASE\n\n"
    "These files show every withheld passage of the release beside this folder, highlighted\n"
    "with its grounds, for the decision maker to approve. They are not part of the release:\n"
    "never publish, send or attach them.\n"
)


def review_folder(out: Path) -> Path:
    """Where the review copies of a release written to ``out`` go: ``out`` with ``.review`` added."""
    return out.with_name(out.name + ".review")


def _listed(target: Path) -> set[str] | None:
    """The names an existing review folder's record lists (None when it is not a review folder we wrote)."""
    try:
        record = json.loads((target / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) and record.get("review_copy") is True else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def check_review_folder(target: Path, *, replace: bool) -> bool:
    """Whether ``target`` exists; refused unless it is empty or (with ``replace``) a review folder as written.

    Raises:
        InvalidInputError: It is a file, holds something else, or holds review copies without ``replace``.
    """
    try:
        info = target.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        raise InvalidInputError("exists and is not a folder; move it away", file=str(target))
    listed = _listed(target)
    found = {p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir() or p.is_symlink()}
    if not found:
        return True
    if not replace and listed is not None:
        raise InvalidInputError("the review folder holds an earlier review copy; use --replace", file=str(target))
    allowed = (listed or set()) | {RECORD, NOTICE}
    extra = sorted(found - allowed) if listed is not None else sorted(found)
    if extra:
        raise InvalidInputError(
            f"the review folder holds {extra[0]}, which is not a review copy written here; move it away",
            file=str(target),
        )
    return True


def review_files(prepared: Prepared) -> dict[str, bytes]:
    """The review copy, in every format, of each document whose text is released (in part or as excerpts).

    The PDF is headed REVIEW COPY – NOT FOR RELEASE on every page.

    A document withheld in full, refused or neither confirmed nor denied has no review copy:
    only what goes to the requester is reviewed here.
    """
    from ..render import render_document
    from .redact import review_markdown

    files: dict[str, bytes] = {}
    for doc in prepared.manifest.documents:
        marked = prepared.marked.get(doc.key)
        if marked is None or not doc.decision.releases_text or doc.key in prepared.pdf:
            continue  # a PDF original's marks are reviewed against the original itself (redact-pdf)
        stem = f"{prepared.numbers[doc.key]:02d}-{doc.key}.review-copy"
        markdown = review_markdown(marked)
        for fmt in ("md", "html", "docx", "pdf"):
            files[f"{stem}.{fmt}"] = render_document(markdown, fmt, title=doc.shown_title, review=True)
    return files


def write_review(files: dict[str, bytes], target: Path) -> list[str]:
    """Write the review copies into ``target`` whole (staged beside it, then moved into place).

    Args:
        files: Relative path -> bytes of each review copy.
        target: The review folder (see :func:`review_folder`).

    Returns:
        The names written, the record and notice included.

    Raises:
        InvalidInputError: The folder holds something else, or cannot be written.
    """
    from ..files import atomic_write

    exists = check_review_folder(target, replace=True)
    names = sorted(files)
    everything = {
        **files,
        NOTICE: _NOTICE_TEXT.encode("utf-8"),
        RECORD: (json.dumps({"review_copy": True, "not_for_release": True, "files": names}, indent=2) + "\n").encode(),
    }
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.tmp-"))
    except OSError as exc:
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(target)) from None
    try:
        for name, payload in everything.items():
            atomic_write(staging / name, payload)
        if exists:
            aside = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.old-"))
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(aside, target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(target)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(everything)


__all__ = ["NOTICE", "RECORD", "check_review_folder", "review_files", "review_folder", "write_review"]
