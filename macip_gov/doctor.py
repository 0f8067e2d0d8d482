"""Is this installation ready? The engine, the policies, the workspace's stores and the optional features.

Each check gives one line and, when something is wrong or missing, the command or change
that fixes it. Required checks decide the exit code (PDF output and Word import are required:
every release writes PDFs, and Word originals are read through pandoc); optional features
(a browser for the web tests) are reported as installed or not and never fail.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import shutil
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .errors import ExitCode, MacipError

if TYPE_CHECKING:
    from .engine import EngineSpec
    from .workspace import Workspace

OPA_ENGINE_REQUIREMENT = "opa-golib-python-bindings==0.4.4"
"""The OPA engine pinned as the Makefile and the README install it."""

ENGINE_FIX = f"pip install --no-deps --ignore-requires-python {OPA_ENGINE_REQUIREMENT}"
"""How to install the OPA engine on Python 3.11+ (its metadata asks for 3.14; the wheel runs on 3.11)."""

PROBE_ENTRYPOINT = "oia.grounds.decision"
PROBE_INPUT = {"grounds": ["6(c)"], "use": "withhold"}


class Status(str, Enum):
    """How a check came out."""

    OK = "ok"
    FAIL = "FAIL"
    MISSING = "missing"
    """An optional feature that is not installed."""


class Check(BaseModel):
    """One line of the report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="What was checked.")
    required: bool = Field(description="Whether a failure makes the installation unusable (exit 1).")
    status: Status = Field(description="ok, FAIL, or missing (an optional feature not installed).")
    detail: str = Field(description="What was found, on one line.")
    fix: str | None = Field(default=None, description="What to do about a failure or a missing feature.")

    def line(self) -> str:
        """The check as one line of text."""
        text = f"{self.status.value:<8}{self.name:<14}{self.detail}"
        if self.fix and self.status is not Status.OK:
            text += f"; fix: {self.fix}"
        return text


class DoctorReport(BaseModel):
    """Every check, in the order run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    checks: list[Check] = Field(description="Every check, required ones first.")
    passed: bool = Field(description="True when every required check is ok.")

    @property
    def exit_code(self) -> ExitCode:
        """0 when every required check passed, else 1."""
        return ExitCode.OK if self.passed else ExitCode.DENIED

    def summary(self) -> str:
        """The closing line."""
        failed = sum(1 for c in self.checks if c.required and c.status is Status.FAIL)
        missing = sum(1 for c in self.checks if c.status is Status.MISSING)
        optional = f" ({missing} optional feature{'s' if missing != 1 else ''} not installed)" if missing else ""
        if failed:
            return f"{failed} required check{'s' if failed != 1 else ''} failed{optional}"
        return f"all required checks passed{optional}"


def _ok(name: str, detail: str, *, required: bool = True) -> Check:
    return Check(name=name, required=required, status=Status.OK, detail=detail)


def _fail(name: str, detail: str, fix: str) -> Check:
    return Check(name=name, required=True, status=Status.FAIL, detail=detail, fix=fix)


def _missing(name: str, detail: str, fix: str) -> Check:
    return Check(name=name, required=False, status=Status.MISSING, detail=detail, fix=fix)


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


# --------------------------------------------------------------------------- required


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    """Python 3.11 or later."""
    shown = ".".join(str(v) for v in version)
    if version >= (3, 11):
        return _ok("python", f"{shown} ({sys.executable})")
    return _fail("python", f"{shown} is too old: macip-gov needs 3.11 or later", "install Python 3.11+")


def check_engine(spec: EngineSpec) -> tuple[Check, Check]:
    """Load the engine as commands will and evaluate one decision.

    Returns:
        The engine line and the policy revision line.
    """
    if spec.kind == "embedded" and importlib.util.find_spec("opa_bindings") is None:
        return (
            _fail("engine", "OPA's engine (opa_bindings) is not installed", ENGINE_FIX),
            _fail("policies", "not loaded: no engine", "install the engine first"),
        )
    try:
        engine = spec.load()
    except MacipError as exc:
        fix = "correct the policy named (macip-gov policy check shows every error)"
        if spec.kind == "opa":
            fix = "check the OPA server's URL, token and certificates (--opa-url, MACIP_OPA_TOKEN, --opa-ca-bundle)"
        return (
            _fail("engine", f"does not load: {exc.one_line()}", fix),
            _fail("policies", "not loaded", fix),
        )
    try:
        answer = engine.evaluate(PROBE_ENTRYPOINT, PROBE_INPUT)
        if not isinstance(answer, dict):
            raise MacipError(f"{PROBE_ENTRYPOINT} answered {type(answer).__name__}, not a decision")
    except MacipError as exc:
        engine.close()
        return (
            _fail("engine", f"loads, but does not evaluate: {exc.one_line()}", "macip-gov policy test shows why"),
            _fail("policies", "not usable", "macip-gov policy test shows why"),
        )
    policy_set = engine.policy_set
    revision, local = str(engine.revision), str(policy_set.revision)
    engine.close()
    if spec.kind == "opa":
        where = f"OPA server {spec.opa_url}"
    else:
        bindings = _version(OPA_ENGINE_REQUIREMENT.partition("==")[0])
        where = f"OPA in-process ({OPA_ENGINE_REQUIREMENT.partition('==')[0]} {bindings or 'unknown version'})"
    engine_line = _ok("engine", f"{where}: loads and evaluates {PROBE_ENTRYPOINT}")
    source = "bundled" if spec.policies is None else "from --policies"
    counts = f"{len(policy_set.modules)} modules, {len(policy_set.data)} data documents"
    detail = f"revision {local[:12]} ({source}: {policy_set.root}; {counts})"
    if revision != local:
        detail += f"; the server decides with revision {revision[:12]} (--allow-revision-mismatch)"
    return engine_line, _ok("policies", detail)


def check_templates(folder: Path) -> Check:
    """The document templates shipped with the package."""
    names = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    if not names:
        return _fail("templates", f"none in {folder}", "reinstall macip-gov (its wheel carries them)")
    return _ok("templates", f"{len(names)} in {folder}")


def _writable_folder(path: Path) -> Path | None:
    """The nearest existing folder at or above ``path``, when this user may create files in it."""
    for folder in (path, *path.parents):
        if folder.exists():
            return folder if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK) else None
    return None


def check_pia(folder: Path, *, shared_history: bool = False) -> Check:
    """The PIA folder exists and is writable, and holds at most one PIA (its revisions elsewhere when shared)."""
    if not folder.is_dir():
        return _fail("pia", f"{folder}: folder not found", f"mkdir -p {folder}, or correct [pia] dir in macip.toml")
    if not os.access(folder, os.W_OK | os.X_OK):
        return _fail("pia", f"{folder}: not writable by this user", f"ask for write access to {folder}")
    files = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if len(files) > 1:
        return _fail("pia", f"{folder}: more than one PIA file ({', '.join(files)})", "keep one PIA per folder")
    if not files:
        return _ok("pia", f"{folder}: no PIA yet (write it as {folder / 'macip.yaml'})")
    if shared_history:
        return _ok("pia", f"{folder / files[0]} (revisions in the shared pia history)")
    history = folder / "history"
    revisions = len(list(history.glob("r*.yaml"))) if history.is_dir() else 0
    return _ok("pia", f"{folder / files[0]}, {revisions} stored revision{'s' if revisions != 1 else ''}")


def check_pia_history(url: str) -> Check:
    """A PIA history in PostgreSQL is reachable, and its chain verifies when anything is stored."""
    from .pia.store import check_history
    from .pia.store_pg import PostgresStore

    store = PostgresStore(url, timeout=10.0)
    fix = "check the server, the URL and the password (PGPASSWORD or ~/.pgpass)"
    try:
        if not store.tables_present():
            return _ok("pia history", f"{store.label}: reachable, no revision yet; the first `pia revise` creates it")
        chain = check_history(store)
    except MacipError as exc:
        return _fail("pia history", exc.one_line(), fix)
    if chain.problem is not None:
        return _fail("pia history", chain.problem.one_line(), "run `macip-gov pia history` and restore from a backup")
    count = chain.latest
    return _ok("pia history", f"{store.label}: {count} revision{'s' if count != 1 else ''}, chain verified")


def check_decision_log(target: str, scheme: str) -> Check:
    """The decision log opens and can be written, or can be created on first use."""
    from .disclosure.log import display_url, open_log

    shown = display_url(target)
    if scheme == "sqlite":
        path = Path(target)
        if not path.exists():
            if _writable_folder(path.parent) is None:
                return _fail(
                    "decision log",
                    f"{shown}: cannot be created here (no write access)",
                    f"ask for write access to {path.parent}, or point [decision_log] url elsewhere",
                )
            return _ok("decision log", f"{shown}: not created yet; the first logged decision creates it")
        if not (os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)):
            return _fail("decision log", f"{shown}: not writable by this user", f"ask for write access to {path}")
    try:
        with open_log(target, create=False) as log:
            rows = log.count()
    except MacipError as exc:
        fix = "check the server, the URL and the password (PGPASSWORD or ~/.pgpass)"
        if scheme == "sqlite":
            fix = "point [decision_log] url at a decision log, or move this file away"
        return _fail("decision log", exc.one_line(), fix)
    return _ok("decision log", f"{shown}: {rows} row{'s' if rows != 1 else ''}, writable")


def check_folder(name: str, folder: Path | None, key: str, count: Callable[[Path], str]) -> Check:
    """An optional folder the workspace names (ToR specs, OIA requests): present when named."""
    if folder is None:
        return _ok(name, f"not named in macip.toml ({key}; optional)")
    if not folder.is_dir():
        return _fail(name, f"{folder}: folder not found", f"mkdir -p {folder}, or correct {key} in macip.toml")
    return _ok(name, f"{folder}: {count(folder)}")


def _specs(folder: Path) -> str:
    n = sum(1 for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return f"{n} spec{'s' if n != 1 else ''}"


def _requests(folder: Path) -> str:
    n = sum(1 for p in folder.iterdir() if (p / "manifest.yaml").is_file())
    return f"{n} request{'s' if n != 1 else ''} (folders with manifest.yaml)"


# --------------------------------------------------------------------------- optional


def check_pdf() -> Check:
    """WeasyPrint and the system libraries it loads, for PDF output (every release writes PDFs)."""
    from .render_pdf import WEASYPRINT_VERSION, missing_library

    if importlib.util.find_spec("weasyprint") is None:
        return _fail("pdf output", "WeasyPrint not installed", f"pip install weasyprint=={WEASYPRINT_VERSION}")
    try:
        importlib.import_module("weasyprint")
    except OSError as exc:  # cffi cannot open a shared library WeasyPrint needs
        library, _, fix = missing_library(str(exc)).partition(": ")
        return _fail("pdf output", f"WeasyPrint installed but {library} does not load", fix)
    except Exception as exc:  # noqa: BLE001 - anything else WeasyPrint raises while loading
        first = " ".join(str(exc).split())[:160]
        return _fail(
            "pdf output",
            f"WeasyPrint does not load: {first}",
            f"pip install --force-reinstall weasyprint=={WEASYPRINT_VERSION}",
        )
    version = _version("weasyprint") or "?"
    tested = "" if version == WEASYPRINT_VERSION else f" (the layout is tested with {WEASYPRINT_VERSION})"
    return _ok("pdf output", f"WeasyPrint {version} with Pango{tested}")


def check_word_import() -> Check:
    """The pandoc program (from pypandoc-binary, a dependency), for reading Word originals (oia import)."""
    if importlib.util.find_spec("pypandoc") is None:
        return _fail("word import", "pypandoc-binary not installed", "pip install pypandoc-binary")
    try:
        pandoc = importlib.import_module("pypandoc").get_pandoc_version()
    except Exception as exc:  # noqa: BLE001 - pypandoc raises OSError when no pandoc is found
        fix = "pip install --force-reinstall pypandoc-binary"
        return _fail("word import", f"pypandoc finds no pandoc: {exc}", fix)
    return _ok("word import", f"pandoc {pandoc}")


def check_browser() -> Check:
    """Chromium and chromedriver, for the web app's browser tests."""
    browser = next(
        (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None
    )
    driver = shutil.which("chromedriver")
    if browser and driver:
        return _ok("browser", f"{browser}, {driver} (for the browser tests)", required=False)
    absent = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if not p)
    return _missing(
        "browser", f"{absent} not found (only the browser tests need them)", "apt-get install chromium chromium-driver"
    )


# --------------------------------------------------------------------------- all


def diagnose(
    spec: EngineSpec,
    *,
    workspace: Workspace | None,
    workspace_problem: MacipError | None,
    templates: Path,
) -> DoctorReport:
    """Run every check.

    Args:
        spec: How commands build their engine (:class:`~macip_gov.engine.EngineSpec`).
        workspace: The workspace found (:class:`~macip_gov.workspace.Workspace`), or None.
        workspace_problem: Why there is none (not found, or a malformed ``macip.toml``).
        templates: The document templates folder.

    Returns:
        The report; it passes when every required check is ok.
    """
    checks = [check_python(), *check_engine(spec), check_templates(templates)]
    if workspace is not None:
        checks.append(_ok("workspace", f"{workspace.file} (root {workspace.root})"))
        checks.append(check_pia(workspace.pia, shared_history=isinstance(workspace.pia_history, str)))
        if isinstance(workspace.pia_history, str):
            checks.append(check_pia_history(workspace.pia_history))
        checks.append(check_decision_log(workspace.decision_log.target(), workspace.decision_log.scheme))
        checks.append(check_folder("tor specs", workspace.tor_specs, "[tor] specs", _specs))
        checks.append(check_folder("oia requests", workspace.oia_requests, "[oia] requests", _requests))
    else:
        problem = workspace_problem.one_line() if workspace_problem else "no workspace"
        fix = (
            "correct macip.toml"
            if workspace_problem and workspace_problem.file
            else "run `macip-gov init`, or set MACIP_WORKSPACE to the team's workspace"
        )
        checks.append(_fail("workspace", problem.split(";")[0], fix))
    checks += [check_pdf(), check_word_import(), check_browser()]
    passed = all(c.status is Status.OK for c in checks if c.required)
    return DoctorReport(checks=checks, passed=passed)
