"""``macip-gov tor``: check Terms of Reference specs and generate their documents."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import (
    WORKSPACE_PIA,
    Settings,
    current_pia_default,
    current_workspace,
    echo_json,
    engine_options,
    history_location,
    json_option,
)

pia_option = click.option(
    "--pia",
    "pia_dir",
    metavar="DIR|URL",
    callback=history_location,
    default=current_pia_default("pass --pia DIR"),
    show_default=WORKSPACE_PIA,
    help="PIA directory, whose macip.yaml names the current PIA; or a team's PIA history "
    "(postgresql://USER@HOST/DB), whose latest revision is the current PIA.",
)


@click.group()
def tor() -> None:
    """Governance Terms of Reference: check specs and generate documents."""


@tor.command(name="check")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@pia_option
@engine_options
@json_option
def check_cmd(settings: Settings, specs: tuple[Path, ...], pia_dir: Path | str, as_json: bool) -> None:
    """Check one or more Terms of Reference SPECS against the governance rules.

    With no SPECS, every spec in the workspace's ToR folder ([tor] specs) is checked.

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
    from ..governance.report import check_text

    if not specs:
        specs = tuple(current_workspace("name the SPEC files").tor_spec_files())
    report = check_tor(list(specs), engine=settings.engine(), pia_dir=pia_dir)
    if as_json:
        echo_json(report)
    else:
        click.echo(check_text(report, pia_dir))
    raise SystemExit(report.exit_code)


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
    type=click.Choice(["md", "html", "docx", "pdf"]),
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
    pia_dir: Path | str,
    as_json: bool,
) -> None:
    """Write the Terms of Reference document for SPEC as Markdown, HTML, Word or PDF.

    A spec that breaks a governance rule is refused (exit 1, nothing written)
    unless --draft, which marks every page DRAFT and lists the outstanding issues.

    \b
    Example:
        macip-gov tor generate examples/governance/macip-governance-group.yaml -o out/gg.docx
    """
    from ..governance import generate_tor
    from ..governance.report import generated_text

    result = generate_tor(spec, output, engine=settings.engine(), pia_dir=pia_dir, fmt=fmt, draft=draft)
    if as_json:
        echo_json(result)
    elif result.written:
        click.echo(generated_text(result))
    else:
        # A refusal reads as errors do: on stderr, after "Error: ".
        click.echo(f"Error: {generated_text(result)}", err=True)
    raise SystemExit(result.exit_code)
