"""Shared fixtures: real engines, real files, a click runner."""

from __future__ import annotations

import re
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


def make_workspace(root: Path) -> Path:
    """Make ``root`` a workspace with the default layout (PIA in pia/, log in .macip/decisions.db)."""
    (root / "macip.toml").write_text("", encoding="utf-8")
    return root


def declared_rego_tests() -> set[tuple[str, str]]:
    """Every ``test_*`` rule written in the tree, read from the source text (independent of the runner)."""
    found: set[tuple[str, str]] = set()
    for path in policies_dir().rglob("*_test.rego"):
        text = path.read_text(encoding="utf-8")
        package = re.search(r"^package\s+(\S+)", text, re.M)[1]
        found |= {(package, name) for name in re.findall(r"^(test_\w+)(?![\w(])", text, re.M)}
    return found


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session, in a temporary folder (tests/pg_cluster.py), stopped afterwards."""
    from pg_cluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql; `make test` does")
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(postgres):
    """A URL to a schema of its own on the session's PostgreSQL server (tables made there are the test's)."""
    import uuid

    import psycopg

    schema = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return postgres.url(schema=schema)


# --------------------------------------------------------------------------
# Every template in templates/ must be rendered by at least one test. The real
# render_template is wrapped (it still renders) to note which templates ran;
# a full run of the suite fails if any template never did.
import macip_gov.render as _render  # noqa: E402

_RENDERED: set[str] = set()
_real_render_template = _render.render_template


def _recording_render_template(name, context, templates_dir=None):
    _RENDERED.add(name)
    return _real_render_template(name, context, templates_dir)


_render.render_template = _recording_render_template


def pytest_sessionfinish(session, exitstatus):
    full_run = (
        not session.config.option.keyword
        and not session.config.option.markexpr
        and (session.config.args in (["tests"], [str(ROOT / "tests")], []))
    )
    if not full_run or exitstatus != 0:
        return
    templates = {p.name for p in (ROOT / "templates").glob("*.j2")}
    missing = sorted(templates - _RENDERED)
    if missing:
        session.config.get_terminal_writer().line(f"templates never rendered by a test: {missing}", red=True)
        session.exitstatus = 1
