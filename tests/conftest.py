"""Shared fixtures: real engines, real files, a click runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from macip_gov.engine import EmbeddedEngine
from macip_gov.policyset import load_policy_set
from macip_gov.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def policy_set():
    """The bundled policy tree, read once."""
    return load_policy_set(policies_dir())


@pytest.fixture(scope="session")
def engine(policy_set):
    """One embedded OPA engine over the bundled policies for the whole session."""
    eng = EmbeddedEngine(policy_set)
    yield eng
    eng.close()


@pytest.fixture
def runner():
    """A click runner; stdout and stderr are kept apart (click >= 8.2)."""
    return CliRunner()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` and return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
