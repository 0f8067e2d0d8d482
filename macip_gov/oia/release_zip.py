"""A written release as one zip file, and single files of it, for download.

Only what the release's ``release.json`` lists goes out: each artefact is read, its
SHA-256 checked against the record, and only then added. A release folder that holds
anything else, or a file changed since it was written, is refused whole, so a file
dropped into the folder by hand (a review copy, a note) can never ride along.
The zip is the same bytes for the same release: entries in name order, each dated
1 January 1980 (zip's first day) with the same mode.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from ..errors import InvalidInputError

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def release_files(release_dir: Path) -> dict[str, str]:
    """Every file of a written release, by relative name, with its SHA-256 (``release.json`` included).

    Raises:
        InvalidInputError: No release there, or the folder holds a file its record does
            not list, or a listed file is missing or was changed.
    """
    from ..inputs import parse_json
    from ._release_folder import previous_release

    target = release_dir.resolve()
    found = previous_release(target, release_dir, replace=True)
    if not found:
        raise InvalidInputError("no release has been written here", file=str(release_dir))
    record_path = target / "release.json"
    record = parse_json(record_path.read_text(encoding="utf-8"), str(record_path))
    artefacts = record["artefacts"] if isinstance(record, dict) else {}
    missing = sorted(set(artefacts) - set(found))
    if missing:
        raise InvalidInputError(f"the release lists {missing[0]}, which is not there", file=str(release_dir))
    listed = dict(artefacts)
    listed["release.json"] = hashlib.sha256(record_path.read_bytes()).hexdigest()
    return dict(sorted(listed.items()))


def _read_checked(target: Path, name: str, digest: str, shown: Path) -> bytes:
    path = (target / name).resolve()
    if not path.is_relative_to(target):
        raise InvalidInputError(f"{name} is outside the release folder", file=str(shown))
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise InvalidInputError(f"{name} was changed after the release was written", file=str(shown))
    return data


def release_file(release_dir: Path, name: str) -> bytes:
    """One file of a written release, by its name in ``release.json`` (e.g. ``release.pdf``).

    Raises:
        InvalidInputError: The release is not as written, or it lists no such file.
    """
    files = release_files(release_dir)
    if name not in files:
        raise InvalidInputError(f"the release has no file {name!r}", file=str(release_dir))
    return _read_checked(release_dir.resolve(), name, files[name], release_dir)


def release_zip(release_dir: Path, prefix: str) -> bytes:
    """The release as a zip: every file its ``release.json`` lists, and the record, under ``prefix/``.

    Args:
        release_dir: The release folder, as :func:`macip_gov.oia.release.build_release` wrote it.
        prefix: The folder name inside the zip (letters, digits, ``.``, ``_``, ``-``).

    Returns:
        The zip file's bytes.

    Raises:
        InvalidInputError: The release is not as written, or the prefix is not a plain name.
    """
    if not _PREFIX.fullmatch(prefix) or prefix in (".", ".."):
        raise InvalidInputError(f"the zip's folder name {prefix!r} is not a plain name")
    target = release_dir.resolve()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, digest in release_files(release_dir).items():
            info = zipfile.ZipInfo(f"{prefix}/{name}", date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, _read_checked(target, name, digest, release_dir))
    return out.getvalue()


__all__ = ["release_file", "release_files", "release_zip"]
