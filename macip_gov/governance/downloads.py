"""Terms of Reference documents generated for download, kept in one folder of the workspace.

The review app checks the workspace's ToR specs and writes their documents with
:func:`~macip_gov.governance.generate.generate_tor` (the same rules and refusals
as ``tor generate``) into ``.macip/out/tor/`` under the workspace. Specs are named
by their file's stem and documents by their file name, never by a path: a name
is looked up among the files that are there, so nothing outside those two
folders can be read or written through them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from ..workspace import Workspace
from .check import check_tor
from .generate import GeneratedTor, generate_tor
from .models import TorCheck

if TYPE_CHECKING:
    from ..engine import PolicyEngine

OUTPUT_DIR = Path(".macip") / "out" / "tor"
"""Where generated documents go, relative to the workspace folder."""

FORMATS: dict[str, tuple[str, str]] = {
    "md": ("Markdown", "text/markdown; charset=utf-8"),
    "docx": ("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}
"""The formats offered for download: label and media type."""

_DOCUMENT = re.compile(r"^[a-z0-9][a-z0-9-]{0,100}\.(md|docx|pdf)$")
_SLUG = re.compile(r"[^a-z0-9]+")


class GeneratedFile(BaseModel):
    """A document in the output folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The file's name, e.g. macip-governance-group.pdf.")
    format: str = Field(description="md, docx or pdf.")
    size: int = Field(ge=0, description="Its size in bytes.")
    modified: datetime = Field(description="When it was written (UTC).")


def output_dir(workspace: Workspace) -> Path:
    """The folder generated documents are written to and served from."""
    return workspace.root / OUTPUT_DIR


def current_pia(workspace: Workspace) -> Path | str:
    """Where ``tor`` commands read the current PIA: the workspace's PostgreSQL history, else its PIA folder."""
    if isinstance(workspace.pia_history, str):
        return workspace.pia_history
    return workspace.pia.absolute()  # relative paths are relative to the folder the process runs in


def spec_files(workspace: Workspace) -> dict[str, Path]:
    """The workspace's ToR specs by name (the file's stem), in file-name order.

    Raises:
        InvalidInputError: No specs folder, or no specs in it.
    """
    return {path.stem: path for path in workspace.tor_spec_files()}


def spec_path(workspace: Workspace, name: str) -> Path:
    """The spec called ``name``.

    Raises:
        InvalidInputError: No spec has that name.
    """
    specs = spec_files(workspace)
    if name not in specs:
        raise InvalidInputError(f"spec: no Terms of Reference spec called {name!r} in the workspace")
    return specs[name]


def document_name(spec: str, fmt: str, *, draft: bool) -> str:
    """The file name of a spec's document: ``<spec>[-draft].<fmt>``, lower case.

    Raises:
        InvalidInputError: A format not offered for download.
    """
    if fmt not in FORMATS:
        raise InvalidInputError(f"format: {fmt!r} is not offered (choose {', '.join(FORMATS)})")
    stem = _SLUG.sub("-", spec.lower()).strip("-")[:90] or "tor"
    return f"{stem}{'-draft' if draft else ''}.{fmt}"


def check_specs(workspace: Workspace, engine: PolicyEngine) -> TorCheck:
    """Check every spec in the workspace, as ``tor check`` with no SPEC does.

    Raises:
        InvalidInputError: No specs, or a spec or the PIA is malformed.
        PolicyError: The engine failed.
    """
    return check_tor(list(spec_files(workspace).values()), engine=engine, pia_dir=current_pia(workspace))


def generate_download(workspace: Workspace, spec: str, fmt: str, *, draft: bool, engine: PolicyEngine) -> GeneratedTor:
    """Generate the document of the spec called ``spec`` into the output folder.

    Args:
        workspace: The workspace.
        spec: The spec's name (see :func:`spec_files`).
        fmt: ``md``, ``docx`` or ``pdf``.
        draft: Mark every page DRAFT and allow unmet rules (a draft has its own file name).
        engine: A loaded policy engine.

    Returns:
        What was written, or the violations it was refused for (nothing written then).

    Raises:
        InvalidInputError: Unknown spec or format, or a spec or the PIA is malformed.
        PolicyError: The engine failed.
    """
    path = spec_path(workspace, spec)
    target = output_dir(workspace) / document_name(spec, fmt, draft=draft)
    return generate_tor(path, target, engine=engine, pia_dir=current_pia(workspace), fmt=fmt, draft=draft)


def generated_files(workspace: Workspace) -> list[GeneratedFile]:
    """The documents in the output folder, by name (other files and links are left out)."""
    folder = output_dir(workspace)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not _DOCUMENT.match(path.name) or path.is_symlink() or not path.is_file():
            continue
        st = path.stat()
        found.append(
            GeneratedFile(
                name=path.name,
                format=path.suffix.lstrip("."),
                size=st.st_size,
                modified=datetime.fromtimestamp(st.st_mtime, UTC).replace(microsecond=0),
            )
        )
    return found


def download_path(workspace: Workspace, name: str) -> Path:
    """The generated document called ``name``, only if it is a document in the output folder.

    Raises:
        InvalidInputError: Not a document name, or no such document there.
    """
    if _DOCUMENT.match(name) is None:
        raise InvalidInputError(f"no generated document called {name!r}")
    folder = output_dir(workspace)
    path = folder / name
    if path.is_symlink() or not path.is_file() or path.resolve().parent != folder.resolve():
        raise InvalidInputError(f"no generated document called {name!r}")
    return path


__all__ = [
    "FORMATS",
    "OUTPUT_DIR",
    "GeneratedFile",
    "check_specs",
    "current_pia",
    "document_name",
    "download_path",
    "generate_download",
    "generated_files",
    "output_dir",
    "spec_files",
    "spec_path",
]
