"""Every Rego unit test under policies/ passes, run through the same engine as decisions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import declared_rego_tests

from macip_gov.policytools import run_policy_tests
from macip_gov.resources import policies_dir


def test_every_rego_test_passes(policy_set):
    report = run_policy_tests(policy_set)
    failures = [f"{r.file}: {r.name} {r.error or ''}" for r in report.results if not r.passed]
    assert failures == []
    assert {(r.package, r.name) for r in report.results} == declared_rego_tests()
    assert (report.passed, report.failed) == (len(declared_rego_tests()), 0)


def _rego_files():
    return sorted(policies_dir().rglob("*.rego"))


@pytest.mark.parametrize("path", _rego_files(), ids=lambda p: str(p.relative_to(policies_dir())))
def test_package_matches_directory(path: Path):
    text = path.read_text()
    package = re.search(r"^package\s+(\S+)", text, re.M).group(1)
    rel_dir = path.parent.relative_to(policies_dir()).as_posix().replace("/", ".")
    expected = rel_dir + "_test" if path.name.endswith("_test.rego") else rel_dir
    assert package == expected


@pytest.mark.parametrize("path", _rego_files(), ids=lambda p: str(p.relative_to(policies_dir())))
def test_opa_1_syntax_only(path: Path):
    text = path.read_text()
    assert "import rego.v1" not in text
    assert "future.keywords" not in text
    assert not re.search(r'\$"', text), "string templates may be missing in the in-process engine"
    assert all(len(line.expandtabs(4)) <= 120 for line in text.splitlines())


@pytest.mark.parametrize(
    "path",
    [p for p in _rego_files() if not p.name.endswith("_test.rego")],
    ids=lambda p: str(p.relative_to(policies_dir())),
)
def test_policy_has_a_test_file_with_empty_input_case(path: Path):
    test_file = path.with_name(path.stem + "_test.rego")
    assert test_file.exists()
    assert "with input as {}" in test_file.read_text()


# --------------------------------------------------------------------------
# Result ids. Every deny, warn and refer rule declares its id once, as custom.id
# in its METADATA, and builds its results through lib.result with the rule's own
# annotations (rego.metadata.rule(), called in the rule's body). A rule that passes
# on another package's results names that rule in custom.forwards instead. OPA's
# parser gives the structure of each rule; the METADATA blocks are read from the
# source, paired with the parsed rules in order (the pairing is checked by name).

RESULT_RULES = {"deny", "warn", "refer"}
RESULT_LIB = "lib.result"
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# A line at column 0 that starts a rule (not a comment, package, import, or the
# closing bracket or `} else` of a rule already begun).
_RULE_START = re.compile(r"^(?!#|package\b|import\b|[\]})\s])(?:default\s+)?([a-z_][A-Za-z0-9_]*)")


def _policy_modules(policy_set) -> dict[str, str]:
    return {rel: src for rel, src in sorted(policy_set.modules.items()) if not rel.endswith("_test.rego")}


def _metadata_by_rule(source: str) -> list[tuple[str, dict | None]]:
    """Each top-level rule in source order: its name and the METADATA block directly above it (or None)."""
    lines = source.splitlines()
    rules: list[tuple[str, dict | None]] = []
    for i, line in enumerate(lines):
        m = _RULE_START.match(line)
        if not m:
            continue
        j = i
        while j > 0 and lines[j - 1].startswith("#"):
            j -= 1
        block = lines[j:i]
        meta = None
        if block and block[0].strip() == "# METADATA":
            body = [b[2:] if b.startswith("# ") else b[1:] for b in block[1:]]
            meta = yaml.safe_load("\n".join(body)) or {}
        rules.append((m.group(1), meta))
    return rules


def _nodes(value):
    """Every term (a dict with type and value) anywhere under value, outermost first."""
    if isinstance(value, dict):
        if "type" in value and "value" in value:
            yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


def _ref_path(term) -> list[str] | None:
    if term.get("type") != "ref":
        return None
    return [str(part["value"]) for part in term["value"]]


def _is_call(term, *path: str) -> bool:
    return term.get("type") == "call" and _ref_path(term["value"][0]) == list(path)


def _is_metadata_rule_call(term) -> bool:
    return _is_call(term, "rego", "metadata", "rule")


def _imports(ast) -> dict[str, str]:
    """Import alias -> dotted data path (without `data.`)."""
    out = {}
    for imp in ast.get("imports", []):
        path = _ref_path(imp["path"])
        if path and path[0] == "data":
            out[imp.get("alias") or path[-1]] = ".".join(path[1:])
    return out


def _call_target(term, imports: dict[str, str]) -> str | None:
    """The dotted name a call invokes: an imported package's function, or a bare (local) name."""
    path = _ref_path(term["value"][0])
    if not path:
        return None
    if path[0] in imports:
        return ".".join([imports[path[0]], *path[1:]])
    return ".".join(path)


def _violation_calls(term, imports):
    return [t for t in _nodes(term) if t.get("type") == "call" and _call_target(t, imports) == "lib.result.violation"]


def _builders(ast, imports) -> set[str]:
    """Local functions whose value is lib.result.violation(<their first parameter>, ...)."""
    found = set()
    for rule in ast.get("rules", []):
        head = rule["head"]
        args, value = head.get("args"), head.get("value")
        if not args or not value or value.get("type") != "call":
            continue
        if _call_target(value, imports) == "lib.result.violation" and value["value"][1] == args[0]:
            found.add(head["name"])
    return found


def _forwarded(rule, imports) -> str | None:
    """For `r contains v if some v in pkg.r`: the dotted rule whose results are passed on."""
    key = rule["head"].get("key")
    for expr in rule.get("body", []):
        terms = expr.get("terms")
        if not isinstance(terms, dict):
            continue
        for symbol in terms.get("symbols", []):
            if _is_call(symbol, "internal", "member_2") and symbol["value"][1] == key:
                path = _ref_path(symbol["value"][2])
                if path and path[0] in imports:
                    return ".".join([imports[path[0]], *path[1:]])
    return None


@pytest.fixture(scope="module")
def parsed(engine, policy_set):
    """Each policy module (tests left out): its OPA AST, and its rules' METADATA by position."""
    out = {}
    for rel, source in _policy_modules(policy_set).items():
        ast = engine.query("m := rego.parse_module(input.f, input.s)", {"f": rel, "s": source})[0]["m"]
        out[rel] = (ast, _metadata_by_rule(source))
    return out


def _result_rules(parsed):
    """(file, package, rule AST, METADATA, imports, local builders) for every deny, warn and refer rule."""
    for rel, (ast, metas) in parsed.items():
        names = [r["head"]["name"] for r in ast.get("rules", [])]
        assert names == [name for name, _ in metas], f"{rel}: rules read from the source do not pair with the AST"
        imports = _imports(ast)
        builders = _builders(ast, imports)
        package = ".".join(str(t["value"]) for t in ast["package"]["path"][1:])
        for rule, (_, meta) in zip(ast.get("rules", []), metas, strict=True):
            if rule["head"]["name"] in RESULT_RULES:
                yield rel, package, rule, meta, imports, builders


def test_every_result_rule_declares_its_id_or_what_it_forwards(parsed):
    problems = []
    rules = list(_result_rules(parsed))
    assert len(rules) >= 80
    for rel, _, rule, meta, imports, _ in rules:
        name = rule["head"]["name"]
        custom = (meta or {}).get("custom") or {}
        forwarded = _forwarded(rule, imports)
        if meta is None:
            problems.append(f"{rel}: a {name} rule has no METADATA")
        elif forwarded:
            if custom.get("forwards") != forwarded or "id" in custom:
                problems.append(f"{rel}: {name} passes on {forwarded}: custom.forwards must name it, with no id")
            if forwarded.rsplit(".", 1)[-1] not in RESULT_RULES:
                problems.append(f"{rel}: {name} passes on {forwarded}, which is not a deny, warn or refer rule")
        elif not isinstance(custom.get("id"), str) or not _ID.match(custom["id"]):
            problems.append(f"{rel}: {name} ({meta.get('title')}) has no dotted custom.id")
    assert problems == []


def test_every_result_is_built_from_the_rules_own_metadata(parsed):
    problems = []
    for rel, _, rule, meta, imports, builders in _result_rules(parsed):
        if _forwarded(rule, imports):
            continue
        where = f"{rel}: {rule['head']['name']} ({(meta or {}).get('title')})"
        if imports.get("result") != RESULT_LIB:
            problems.append(f"{rel}: results are built through `import data.lib.result`")
            continue
        key = rule["head"].get("key")
        if sum(_is_metadata_rule_call(t) for t in _nodes(rule)) != 1:
            problems.append(f"{where}: calls rego.metadata.rule() once, in its own body")
        built = [
            expr
            for expr in rule.get("body", [])
            if isinstance(expr.get("terms"), list)
            and len(expr["terms"]) == 3
            and _ref_path(expr["terms"][0]) == ["assign"]
            and expr["terms"][1] == key
            and expr["terms"][2].get("type") == "call"
            and _call_target(expr["terms"][2], imports) in {"lib.result.violation", *builders}
            and _is_metadata_rule_call(expr["terms"][2]["value"][1])
        ]
        if len(built) != 1:
            problems.append(
                f"{where}: its result is `v := result.violation(rego.metadata.rule(), msg, details)` "
                "(or a local function that passes the annotations on to result.violation)"
            )
    assert problems == []


def test_results_are_built_only_through_lib_result(parsed):
    """Nothing outside lib.result writes a result object, or passes result.violation other annotations."""
    problems = []
    for rel, (ast, _) in parsed.items():
        if ast["package"]["path"][1:] == [{"type": "string", "value": v} for v in RESULT_LIB.split(".")]:
            continue
        imports = _imports(ast)
        builders = _builders(ast, imports)
        for rule in ast.get("rules", []):
            head = rule["head"]
            for term in _nodes(rule):
                if term["type"] == "object" and any(k["value"] == "msg" for k, _ in term["value"]):
                    problems.append(f"{rel}: {head['name']} writes a result object by hand")
            for call in _violation_calls(rule, imports):
                meta = call["value"][1]
                from_builder = head["name"] in builders and meta == head["args"][0]
                if not (_is_metadata_rule_call(meta) or from_builder):
                    problems.append(f"{rel}: {head['name']} passes result.violation something other than its METADATA")
    assert problems == []


def test_result_ids_are_written_once_and_belong_to_one_package(parsed):
    declared: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
    for rel, package, _, meta, _, _ in _result_rules(parsed):
        custom = (meta or {}).get("custom") or {}
        if "id" in custom:
            declared.setdefault(custom["id"], []).append(
                (rel, package, custom.get("severity"), " ".join(str(custom.get("authority")).split()))
            )
    assert len(declared) >= 70
    problems = []
    for rule_id, uses in declared.items():
        if len({package for _, package, _, _ in uses}) != 1:
            problems.append(f"{rule_id} is declared in more than one package: {sorted({u[1] for u in uses})}")
        # Several definitions may share an id when they are one rule written in parts.
        if len({(severity, authority) for _, _, severity, authority in uses}) != 1:
            problems.append(f"{rule_id}: the rules that share it differ in severity or authority")
    for rel, (ast, _) in parsed.items():
        written = {t["value"] for t in _nodes(ast["rules"]) if t["type"] == "string"} & set(declared)
        problems += [f"{rel}: the id {rule_id} is written in a rule, not only in its METADATA" for rule_id in written]
    assert problems == []
