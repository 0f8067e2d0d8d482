"""Policy tooling: compiling a tree, and running the Rego unit tests beside each policy."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .engine import DEFAULT_TIMEOUT, ENTRYPOINT, EmbeddedEngine
from .errors import ExitCode, PolicyError
from .policyset import PolicySet


class RegoTestResult(BaseModel):
    """The outcome of one ``test_*`` rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    package: str = Field(description="Dotted package of the test, e.g. oia.grounds_test.")
    name: str = Field(description="The test rule's name.")
    file: str = Field(description="Policy file, relative to the policy directory.")
    passed: bool = Field(description="True when the rule evaluated to true.")
    error: str | None = Field(default=None, description="Runtime error, when the test raised one.")


class RegoTestReport(BaseModel):
    """Every test in a policy tree, with tallies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    results: list[RegoTestResult] = Field(description="One entry per test, in file order.")
    passed: int = Field(description="How many tests passed.")
    failed: int = Field(description="How many tests failed or raised.")
    revision: str = Field(description="policy_revision of the tree that was tested.")

    @property
    def ok(self) -> bool:
        """True when no test failed."""
        return self.failed == 0

    @property
    def exit_code(self) -> ExitCode:
        """OK when every test passed, DENIED when any failed."""
        return ExitCode.OK if self.ok else ExitCode.DENIED

    def lines(self, *, verbose: bool = False) -> Iterator[str]:
        """Failing tests (every test when verbose), one ``PASS|FAIL file: data.pkg.rule`` line each, then the tally."""
        for r in self.results:
            if verbose or not r.passed:
                error = f" ({r.error})" if r.error else ""
                yield f"{'PASS' if r.passed else 'FAIL'} {r.file}: data.{r.package}.{r.name}{error}"
        yield f"{self.passed} passed, {self.failed} failed"


def _package(ast: dict[str, Any]) -> str:
    # The AST's package path starts with the `data` var, then string terms.
    return ".".join(str(t["value"]) for t in ast["package"]["path"][1:])


def discover_tests(engine: EmbeddedEngine) -> list[tuple[str, str, str]]:
    """List ``(file, package, rule)`` for every test rule, using OPA's own parser.

    The parsing runs on an engine holding no policies, whose query compiles in a moment
    (a query on ``engine`` would compile every module once more).

    Args:
        engine: A loaded embedded engine (its policy set's modules are read).

    Returns:
        Tests in file order, each rule once.
    """
    found: list[tuple[str, str, str]] = []
    parser = EmbeddedEngine(dataclasses.replace(engine.policy_set, modules={}, data={}), timeout=engine.timeout)
    try:
        for rel, source in engine.policy_set.modules.items():
            if not rel.endswith("_test.rego"):
                continue
            rows = parser.query("m := rego.parse_module(input.f, input.s)", {"f": rel, "s": source})
            ast = rows[0]["m"]
            package = _package(ast)
            if not package.endswith("_test"):
                continue
            seen: set[str] = set()
            for rule in ast.get("rules", []):
                name = rule["head"].get("name", "")
                is_function = bool(rule["head"].get("args"))
                if name.startswith("test_") and not is_function and name not in seen:
                    seen.add(name)
                    found.append((rel, package, name))
    finally:
        parser.close()
    return found


def _ref(package: str) -> str:
    return "data" + "".join(f"[{json.dumps(part)}]" for part in package.split("."))


def _package_documents(engine: EmbeddedEngine, packages: list[str]) -> dict[str, dict[str, Any]]:
    """Each test package's document, every test of a package in one evaluation.

    Evaluations share the query the engine compiled at load, so this compiles nothing
    more. A package whose evaluation raises is left out: its rules run one by one so the
    failing test is named.
    """
    documents = {}
    for package in packages:
        try:
            if ENTRYPOINT.match(package):
                value = engine.evaluate(package)
            else:  # a package name that is not dotted identifiers: a query of its own
                rows = engine.query(f"p := {_ref(package)}")
                value = rows[0]["p"] if rows else {}
        except PolicyError:
            continue
        documents[package] = value if isinstance(value, dict) else {}
    return documents


def _run_one(engine: EmbeddedEngine, package: str, name: str) -> tuple[bool, str | None]:
    try:
        return engine.evaluate(f"{package}.{name}") is True, None
    except PolicyError as exc:
        return False, None if "is undefined" in exc.message else exc.one_line()


def run_policy_tests(policy_set: PolicySet, *, timeout: float | None = DEFAULT_TIMEOUT) -> RegoTestReport:
    """Evaluate every ``test_*`` rule in every ``*_test`` package.

    A test passes only when its rule is ``true``; undefined (a failed
    assertion) and runtime errors both count as failures, as in ``opa test``.
    The policies compile once; each package's tests run in one evaluation.

    Args:
        policy_set: The policy tree, tests included.
        timeout: Seconds each evaluation (a package's tests together, or one test) may
            take; a test past it fails, and so does every test after it.

    Returns:
        The report.

    Raises:
        PolicyLoadError: A module does not compile.
    """
    engine = EmbeddedEngine(policy_set, timeout=timeout, tests=True)
    try:
        tests = discover_tests(engine)
        packages = list(dict.fromkeys(package for _, package, _ in tests))
        documents = _package_documents(engine, packages)
        results = []
        for rel, package, name in tests:
            document = documents.get(package)
            if document is not None:
                passed, error = document.get(name) is True, None
            else:
                passed, error = _run_one(engine, package, name)
            results.append(RegoTestResult(package=package, name=name, file=rel, passed=passed, error=error))
    finally:
        engine.close()
    passed_count = sum(r.passed for r in results)
    return RegoTestReport(
        results=results,
        passed=passed_count,
        failed=len(results) - passed_count,
        revision=policy_set.revision,
    )


class CheckReport(BaseModel):
    """A policy tree that compiled."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: str = Field(description="The policy directory.")
    modules: int = Field(description="Rego modules compiled.")
    data_documents: int = Field(description="Data documents loaded.")
    revision: str = Field(description="policy_revision: SHA-256 over policy and data files.")


def check_policies(policy_set: PolicySet) -> CheckReport:
    """Parse and compile every module with its data.

    Args:
        policy_set: The policy tree.

    Returns:
        A summary of what compiled.

    Raises:
        PolicyLoadError: A module does not parse or compile (file and line named).
    """
    EmbeddedEngine(policy_set, tests=True).close()
    return CheckReport(
        root=str(policy_set.root),
        modules=len(policy_set.modules),
        data_documents=len(policy_set.data),
        revision=policy_set.revision,
    )
