"""Policy tooling: compiling a tree, and running the Rego unit tests beside each policy."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .engine import EmbeddedEngine
from .errors import PolicyError
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
        """True when there is at least one test and none failed."""
        return self.failed == 0


def _package(ast: dict[str, Any]) -> str:
    # The AST's package path starts with the `data` var, then string terms.
    return ".".join(str(t["value"]) for t in ast["package"]["path"][1:])


def discover_tests(engine: EmbeddedEngine) -> list[tuple[str, str, str]]:
    """List ``(file, package, rule)`` for every test rule, using OPA's own parser.

    Args:
        engine: A loaded embedded engine (its parser reads the modules).

    Returns:
        Tests in file order, each rule once.
    """
    found: list[tuple[str, str, str]] = []
    for rel, source in engine.policy_set.modules.items():
        if not rel.endswith("_test.rego"):
            continue
        rows = engine.query("m := rego.parse_module(input.f, input.s)", {"f": rel, "s": source})
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
    return found


def _ref(package: str) -> str:
    return "data" + "".join(f"[{json.dumps(part)}]" for part in package.split("."))


def _package_documents(engine: EmbeddedEngine, packages: list[str]) -> dict[str, dict[str, Any]]:
    """Each test package's document, from as few compiles as the results allow.

    The engine compiles once per distinct query, so one query naming every
    package costs one compile where a query per rule costs one each. A
    package whose evaluation raises is left out: its rules run one by one so
    the failing test is named.
    """
    if not packages:
        return {}
    query = "; ".join(f"p{i} := {_ref(package)}" for i, package in enumerate(packages))
    try:
        rows = engine.query(query)
    except PolicyError:
        rows = []
    if rows:
        return {package: rows[0][f"p{i}"] for i, package in enumerate(packages)}
    documents = {}
    for package in packages:
        try:
            rows = engine.query(f"p := {_ref(package)}")
        except PolicyError:
            continue
        documents[package] = rows[0]["p"] if rows else {}
    return documents


def _run_one(engine: EmbeddedEngine, package: str, name: str) -> tuple[bool, str | None]:
    try:
        return engine.evaluate(f"{package}.{name}") is True, None
    except PolicyError as exc:
        return False, None if "is undefined" in exc.message else exc.one_line()


def run_policy_tests(policy_set: PolicySet) -> RegoTestReport:
    """Evaluate every ``test_*`` rule in every ``*_test`` package.

    A test passes only when its rule is ``true``; undefined (a failed
    assertion) and runtime errors both count as failures, as in ``opa test``.

    Args:
        policy_set: The policy tree, tests included.

    Returns:
        The report.

    Raises:
        PolicyLoadError: A module does not compile.
    """
    engine = EmbeddedEngine(policy_set)
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
    EmbeddedEngine(policy_set).close()
    return CheckReport(
        root=str(policy_set.root),
        modules=len(policy_set.modules),
        data_documents=len(policy_set.data),
        revision=policy_set.revision,
    )
