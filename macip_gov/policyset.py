"""A policy tree read from disk: Rego modules, data documents and their revision hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PolicyLoadError

DATA_FILES = ("data.json", "data.yaml", "data.yml")


@dataclass(frozen=True)
class PolicySet:
    """Everything an engine needs, read once.

    Attributes:
        root: The directory the tree was read from.
        modules: Rego source keyed by path relative to ``root`` (POSIX form).
        data: Data documents keyed by dotted path (directory ``a/b`` -> ``a.b``).
        data_files: The relative path of the file behind each data document.
        revision: SHA-256 over every policy and data file, in sorted order.
    """

    root: Path
    modules: dict[str, str]
    data: dict[str, Any]
    data_files: dict[str, str] = field(default_factory=dict)
    revision: str = ""

    def display_path(self, rel: str) -> str:
        """The path to show a user for a module or data file."""
        return str(self.root / rel)


def _read_data(path: Path, raw: bytes) -> Any:
    """Parse a data file as every input is parsed (size, depth, duplicate keys, aliases), as policy errors."""
    from .inputs import parse_json, parse_yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyLoadError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    if path.suffix == ".json":
        return parse_json(text, str(path), error=PolicyLoadError)
    return parse_yaml(text, str(path), error=PolicyLoadError)


def load_policy_set(root: Path | str) -> PolicySet:
    """Read every ``.rego`` file and every data file under ``root``.

    Args:
        root: The policy directory.

    Returns:
        The loaded policy set.

    Raises:
        PolicyLoadError: The directory is missing, empty, or a data file is malformed.
    """
    root = Path(root)
    if not root.is_dir():
        raise PolicyLoadError("policy directory not found", file=str(root))
    digest = hashlib.sha256()
    modules: dict[str, str] = {}
    data: dict[str, Any] = {}
    data_files: dict[str, str] = {}
    files = sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix == ".rego" or p.name in DATA_FILES))
    for path in files:
        rel = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        digest.update(rel.encode() + b"\0" + hashlib.sha256(raw).digest())
        if path.suffix == ".rego":
            try:
                modules[rel] = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise PolicyLoadError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
            continue
        dotted = ".".join(path.parent.relative_to(root).parts)
        if not dotted:
            raise PolicyLoadError("data files must sit in a package directory, not the policy root", file=str(path))
        if dotted in data:
            raise PolicyLoadError(f"second data file for data.{dotted} (also {data_files[dotted]})", file=str(path))
        value = _read_data(path, raw)
        if not isinstance(value, dict):
            raise PolicyLoadError("a data file must hold a mapping at the top", file=str(path))
        data[dotted] = value
        data_files[dotted] = rel
    if not modules:
        raise PolicyLoadError("no .rego files found", file=str(root))
    return PolicySet(root=root, modules=modules, data=data, data_files=data_files, revision=digest.hexdigest())
