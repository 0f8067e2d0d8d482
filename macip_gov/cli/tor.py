"""``macip-gov tor``: check Terms of Reference specs and generate their documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitCode
from ._options import Settings, echo_json, engine_options, json_option

if TYPE_CHECKING:
    from ..governance import TorCheck, Violation

pia_option = click.option(
    "--pia",
    "pia_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("pia"),
    show_default=True,
    help="PIA directory; the current PIA is the id in its macip.yaml.",
)


@click.group()
def tor() -> None:
    """Governance Terms of Reference: check specs and generate documents."""


def _line(kind: str, v: Violation) -> str:
    return f"  {kind} {v.id}: {v.msg}"


def _summary(report: TorCheck, pia_dir: Path) -> str:
    passed = sum(1 for b in report.bodies if b.passed)
    notes = [
        f"current PIA: {report.current_pia}"
        if report.current_pia
        else f"no current PIA in {pia_dir}"
    ]
    if report.references:
        notes.append(f"reporting lines resolved with {', '.join(report.references)}")
    return f"{passed} passed, {len(report.bodies) - passed} failed ({'; '.join(notes)})"


@tor.command(name="check")
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@pia_option
@engine_options
@json_option
def check_cmd(settings: Settings, specs: tuple[Path, ...], pia_dir: Path, as_json: bool) -> None:
    """Check one or more Terms of Reference SPECS against the governance rules.

    A working group must report to a governance group whose spec is known:
    check the two together, or name the governance group's spec in the
    working group's authority.reports_to.spec.

    Exit 0 when every spec passes, 1 when any has a violation, 3 when a spec
    is malformed.

    \b
    Example:
        macip-gov tor check examples/governance/*.yaml
    """
    from ..governance import check_tor

    report = check_tor(list(specs), engine=settings.engine(), pia_dir=pia_dir)
    if as_json:
        echo_json(report)
    else:
        for body in report.bodies:
            status = "PASS" if body.passed else "FAIL"
            kind = body.type.value.replace("_", " ")
            click.echo(f"{status} {body.file}: {body.name} ({kind}, version {body.version})")
            for v in body.violations:
                click.echo(_line("deny", v))
            for v in body.warnings:
                click.echo(_line("warn", v))
        for v in report.violations:
            click.echo(f"FAIL {v.id}: {v.msg}")
        click.echo(_summary(report, pia_dir))
    raise SystemExit(ExitCode.OK if report.passed else ExitCode.DENIED)


@tor.command(name="generate")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The document to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "docx"]),
    default=None,
    help="Output format (default: from the output file's suffix).",
)
@click.option("--draft", is_flag=True, help="Mark every page DRAFT and allow unmet rules.")
@pia_option
@engine_options
@json_option
def generate_cmd(
    settings: Settings,
    spec: Path,
    output: Path,
    fmt: str | None,
    draft: bool,
    pia_dir: Path,
    as_json: bool,
) -> None:
    """Write the Terms of Reference document for SPEC as Markdown, HTML or Word.

    A spec that breaks a governance rule is refused (exit 1) unless --draft,
    which marks every page DRAFT and lists the outstanding issues.

    \b
    Example:
        macip-gov tor generate examples/governance/macip-governance-group.yaml -o out/gg.docx
    """
    from ..governance import generate_tor

    result = generate_tor(
        spec, output, engine=settings.engine(), pia_dir=pia_dir, fmt=fmt, draft=draft
    )
    if as_json:
        echo_json(result)
        return
    notes = [result.name, f"version {result.version}", result.format]
    if result.draft:
        count = len(result.violations)
        notes.append(f"DRAFT, {count} issue{'s' if count != 1 else ''} outstanding")
    click.echo(f"wrote {result.path} ({', '.join(notes)})")
