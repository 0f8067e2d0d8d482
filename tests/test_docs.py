"""Documentation that tests itself: commands documented, Rego rules annotated."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from macip_gov.cli import _GROUPS, cli
from macip_gov.resources import policies_dir

ROOT = Path(__file__).resolve().parent.parent


def _commands(group: click.Group, ctx: click.Context, prefix: str):
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None:
            continue
        path = f"{prefix} {name}".strip()
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, ctx, path)


def _all_commands():
    ctx = click.Context(cli)
    return list(_commands(cli, ctx, ""))


def _docs_text() -> str:
    parts = [(ROOT / "README.md").read_text()]
    parts += [p.read_text() for p in sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(parts)


@pytest.mark.parametrize(("path", "cmd"), _all_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_and_is_documented(path, cmd):
    assert (cmd.help or "").strip(), f"{path} has no help text"
    if not isinstance(cmd, click.Group):
        assert f"macip-gov {path}" in _docs_text(), f"`macip-gov {path}` is not in the README or docs/"


def test_group_table_matches_modules():
    ctx = click.Context(cli)
    for name in _GROUPS:
        assert cli.get_command(ctx, name) is not None, name


# ------------------------------------------------------------------ Rego METADATA

_RULE = re.compile(r"^(?:default\s+)?([a-z_][A-Za-z0-9_]*)\b")
_KEYWORDS = {"package", "import", "default"}


def _blocks(text: str):
    """Yield (metadata dict, the line the block annotates)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "# METADATA":
            j = i + 1
            body = []
            while j < len(lines) and lines[j].startswith("#"):
                body.append(lines[j][2:] if lines[j].startswith("# ") else lines[j][1:])
                j += 1
            target = lines[j] if j < len(lines) else ""
            yield yaml.safe_load("\n".join(body)) or {}, target
            i = j
        else:
            i += 1


def _policy_files():
    return [p for p in sorted(policies_dir().rglob("*.rego")) if not p.name.endswith("_test.rego")]


@pytest.mark.parametrize("path", _policy_files(), ids=lambda p: str(p.relative_to(policies_dir())))
def test_public_rego_rules_have_metadata(path: Path):
    text = path.read_text()
    annotated: dict[str, list[dict]] = {}
    package_meta = None
    for meta, target in _blocks(text):
        if target.startswith("package "):
            package_meta = meta
            continue
        m = _RULE.match(target)
        assert m, f"METADATA must sit directly above a rule: {target!r}"
        annotated.setdefault(m.group(1), []).append(meta)
    assert package_meta and package_meta.get("title") and package_meta.get("description"), "package METADATA"
    for meta_list in annotated.values():
        for meta in meta_list:
            assert meta.get("title") and meta.get("description")

    definitions: dict[str, int] = {}
    for line in text.splitlines():
        m = _RULE.match(line)
        if m and not line.startswith(("package", "import")) and not m.group(1).startswith("_"):
            if line.startswith("default"):
                continue
            definitions[m.group(1)] = definitions.get(m.group(1), 0) + 1
    # A function such as lib.result's violation() builds results; it is not a rule that returns them.
    functions = {m.group(1) for line in text.splitlines() if (m := _RULE.match(line)) and line[m.end() :][:1] == "("}
    for name, count in definitions.items():
        assert name in annotated, f"public rule {name} has no METADATA"
        if name in {"deny", "warn", "violation"} and name not in functions:
            assert len(annotated[name]) == count, f"every {name} rule needs its own METADATA"
            for meta in annotated[name]:
                custom = meta.get("custom") or {}
                # A rule that passes on another package's results names that rule (forwards), not an id.
                assert {"severity", "authority"} <= set(custom), f"{name}: custom severity/authority"
                assert {"id", "forwards"} & set(custom), f"{name}: custom id (or forwards)"
