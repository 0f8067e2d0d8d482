"""Where the bundled policies and templates are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries them under macip_gov/_bundled/ (see pyproject); a checkout
    # or an editable install finds them at the repository root.
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def policies_dir() -> Path:
    """The bundled ``policies/`` tree."""
    return _bundled("policies")


def templates_dir() -> Path:
    """The bundled ``templates/`` directory."""
    return _bundled("templates")
