"""The release's output folder: refused when it is or holds an input, replaced only whole.

An existing output folder is written into only when it is empty, or, when the caller
asks to replace (``--replace``), when it is a previous release left as written: every
file listed in its ``release.json``, none changed since. Anything else is refused, and
a folder that is not empty is refused without ``--replace``, so a second release never
lands beside the first by accident. The release is written to a temporary folder beside
the output folder and moved into place once every artefact is written; the previous
release's files, and only those, are then removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidInputError

if TYPE_CHECKING:
    from ._release_check import Prepared

_ELSEWHERE = "write the release to a folder that holds no input"
_NEW_FOLDER = "write the release to a new or empty folder"
_REPLACE = "use --replace to replace the release written there"


def inputs(prepared: Prepared, templates_dir: Path | str | None) -> list[tuple[str, Path]]:
    """What the release reads, resolved, with how to name each in a message."""
    inputs = [("the manifest", prepared.path.resolve())]
    for doc in prepared.manifest.documents:
        original = prepared.originals.get(doc.key)
        if original is not None:
            inputs.append((f"document {prepared.numbers[doc.key]}'s original", original))
        pdf = prepared.pdf.get(doc.key)
        if pdf is not None:
            inputs.append((f"document {prepared.numbers[doc.key]}'s marks file", pdf.marks_path))
    if templates_dir is not None:
        inputs.append(("the templates folder", Path(templates_dir).resolve()))
    return inputs


def target_folder(out: Path, inputs: list[tuple[str, Path]]) -> Path:
    """The output folder resolved, refused when it is or holds an input.

    Raises:
        InvalidInputError: naming the input.
    """
    try:
        target = out.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInputError(f"the output folder cannot be resolved ({exc})", file=str(out)) from None
    for name, path in inputs:
        if path == target:
            raise InvalidInputError(f"the output folder is {name} ({path}); {_ELSEWHERE}", file=str(out))
        if path.is_relative_to(target):
            raise InvalidInputError(f"the output folder holds {name} ({path}); {_ELSEWHERE}", file=str(out))
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def previous_release(target: Path, out: Path, *, replace: bool = False) -> list[str] | None:
    """What replacing the output folder removes: None when it does not exist, else the files to remove.

    An empty folder is written into (nothing to remove). A folder that holds anything
    is refused unless ``replace``; with ``replace`` it must be a previous release: a
    ``release.json`` whose ``artefacts`` list every other file in it, each with the
    SHA-256 it was written with. The files returned are those, and ``release.json``.

    Raises:
        InvalidInputError: The folder is a file, is not empty (without ``replace``),
            holds something its ``release.json`` does not list, or was edited.
    """
    from ..inputs import parse_json

    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(out)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise InvalidInputError("exists and is not a folder", file=str(out))
    try:
        with os.scandir(target) as first:
            empty = next(first, None) is None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(out)) from None
    if empty:
        return []
    if not replace:
        raise InvalidInputError(f"the folder is not empty; {_NEW_FOLDER}, or {_REPLACE}", file=str(out))
    try:
        record_path = target / "release.json"
        if not stat.S_ISREG(record_path.lstat().st_mode):
            raise FileNotFoundError
        record = parse_json(record_path.read_text(encoding="utf-8"), str(record_path))
    except FileNotFoundError:
        raise InvalidInputError(
            f"the folder is not a previous release (it has no release.json), so --replace leaves it alone; "
            f"{_NEW_FOLDER}",
            file=str(out),
        ) from None
    except (OSError, ValueError, InvalidInputError):
        record = None  # unreadable, not JSON, or hostile (deep, repeated keys): not a release we wrote
    artefacts = record.get("artefacts") if isinstance(record, dict) else None
    if not isinstance(artefacts, dict) or not all(isinstance(v, str) for v in artefacts.values()):
        raise InvalidInputError(
            f"the folder's release.json is not the record of a release; {_NEW_FOLDER}", file=str(out)
        )
    folders = {parent.as_posix() for name in artefacts for parent in Path(name).parents} - {"."}
    pending = [target]
    removed = []
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            raise InvalidInputError(exc.strerror or str(exc), file=str(folder)) from None
        for entry in entries:
            name = Path(entry.path).relative_to(target).as_posix()
            if entry.is_dir(follow_symlinks=False) and name in folders:
                pending.append(Path(entry.path))
                continue
            listed = name == "release.json" or name in artefacts
            if not listed or not entry.is_file(follow_symlinks=False):
                raise InvalidInputError(
                    f"the folder holds {name}, which its release.json does not list; move it away or {_NEW_FOLDER}",
                    file=str(out),
                )
            if name != "release.json" and _sha256(Path(entry.path)) != artefacts[name]:
                raise InvalidInputError(
                    f"{name} was changed after the release was written; move it away or {_NEW_FOLDER}",
                    file=str(out),
                )
            removed.append(name)
    return sorted(removed)


def replaceable(target: Path, out: Path, *, replace: bool = False) -> bool:
    """Whether the output folder exists and may be written into (see :func:`previous_release`)."""
    return previous_release(target, out, replace=replace) is not None


def _remove_listed(folder: Path, names: list[str]) -> None:
    """Remove the files named (relative to ``folder``), then the folders they leave empty; nothing else."""
    for name in names:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    parents = {p for name in names for p in (folder / name).parents if p.is_relative_to(folder)}
    for path in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir()  # only when empty: anything that appeared meanwhile stays


def _fsync_folder(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def install(files: dict[str, bytes], target: Path, out: Path, *, replace: bool = False) -> None:
    """Write every file into a folder beside ``target``, then move it into place whole.

    An empty folder at ``target``, or with ``replace`` a previous release (see
    :func:`previous_release`), is moved aside; once the new release is in place the
    files the previous ``release.json`` listed are removed, and only those. On any
    failure the new folder is removed and ``target`` is as it was.
    """
    from ..files import atomic_write

    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.tmp-"))
    except OSError as exc:
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(out)) from None
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o777 & ~mask
        os.chmod(staging, mode)
        for name, payload in files.items():
            try:
                atomic_write(staging / name, payload)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, file=str(out / name)) from None
        for folder in {(staging / name).parent for name in files}:
            _fsync_folder(folder)
        _fsync_folder(staging)
        previous = previous_release(target, out, replace=replace)
        if previous is not None:
            aside = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.old-"))
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(aside, target)
                raise
            _remove_listed(aside, previous)
        else:
            os.rename(staging, target)
        _fsync_folder(parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(out)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
