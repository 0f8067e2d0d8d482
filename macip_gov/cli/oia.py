"""``macip-gov oia``: grounds, the statutory clock, release checks and release packages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitCode
from ._options import Settings, echo_json, engine_options, json_option

if TYPE_CHECKING:
    from ..oia.release import CheckReport, Violation

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@click.group()
def oia() -> None:
    """Official Information Act releases: grounds, redaction, deadlines."""


@oia.command(name="ground")
@click.argument("text")
@engine_options
@json_option
def ground_cmd(settings: Settings, text: str, as_json: bool) -> None:
    """The OIA grounds a citation names, with family, description and public-interest test.

    TEXT is a citation as releases write it: "s.6(c) OIA", "section 9(2)(g)(i)
    of the OIA", "sections 9(2)(b), (ba), (i) & (j)". Exit 3 when it names no
    valid ground.

    \b
    Example:
        macip-gov oia ground "s.6(c) OIA, s.9(2)(g)(i) OIA"
    """
    from ..oia.citations import describe_citation

    lookup = describe_citation(text, settings.engine())
    if as_json:
        echo_json(lookup)
        return
    for g in lookup.grounds:
        test = "public-interest test (s 9(1)) applies" if g.public_interest_test else "no public-interest test"
        click.echo(f"section {g.id}  ({g.family}, {g.use}; {test})")
        click.echo(f"    {g.description}")
    for warning in lookup.warnings:
        click.echo(f"warning: {warning}")


@oia.command(name="deadline")
@click.argument("received", type=_DATE, metavar="RECEIVED")
@click.option(
    "--transferred", type=_DATE, metavar="DATE", help="Day the request was received on transfer (s 14), YYYY-MM-DD."
)
@click.option("--extended-by", type=int, metavar="N", help="Extension under s 15A, in working days.")
@click.option("--explain", is_flag=True, help="List every day not counted, and why.")
@json_option
def deadline_cmd(
    received: datetime, transferred: datetime | None, extended_by: int | None, explain: bool, as_json: bool
) -> None:
    """The statutory dates for a request received on RECEIVED (YYYY-MM-DD).

    The decision is due on the 20th working day after the day of receipt
    (s 15(1)); a transfer under s 14 must be made by the 10th. A transferred
    request's 20 days run from the day the transferee received it; --extended-by
    adds working days under s 15A. Working days follow the Act's definition:
    weekends, national public holidays named in it (Waitangi and Anzac Days
    Mondayised) and 25 December to 15 January are not counted.

    \b
    Example:
        macip-gov oia deadline 2022-11-28 --explain
    """
    from ..oia.deadlines import compute_deadline

    result = compute_deadline(_day(received), transferred=_day(transferred), extended_by=extended_by)  # type: ignore[arg-type]
    if as_json:
        click.echo(result.model_dump_json(exclude=None if explain else {"excluded"}))
        return
    click.echo(f"received:      {_long(result.received)} (day 0)")
    transfer_note = ""
    if result.transferred is not None:
        transfer_note = (
            f"; transferred {_long(result.transferred)}, "
            + ("in time" if result.transfer_in_time else "late")
        )
    click.echo(f"transfer by:   {_long(result.transfer_by)} (s 14: 10 working days{transfer_note})")
    start = "transfer" if result.transferred is not None else "receipt"
    click.echo(f"decision due:  {_long(result.due)} (s 15(1): 20 working days after {start})")
    if result.extended_due is not None:
        click.echo(f"extended to:   {_long(result.extended_due)} (s 15A: {result.extended_by} more working days)")
    if explain:
        click.echo(f"days not counted ({len(result.excluded)}):")
        for day in result.excluded:
            click.echo(f"  {day.date:%a} {day.date.isoformat()}  {day.reason}")


@oia.command(name="redact")
@click.argument("document", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="The release to write (.md, .html or .docx).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "docx"]),
    help="Output format (default: from the output's suffix).",
)
@click.option(
    "--style", metavar="TEMPLATE",
    help="Marker for withheld text (default: '{citations} [REDACTED]'); placeholders "
    "{citations} (s.6(c) OIA), {grounds} (6(c)), {sections} (section 6(c)).",
)
@engine_options
@json_option
def redact_cmd(
    settings: Settings, document: Path, output: Path, fmt: str | None, style: str | None, as_json: bool
) -> None:
    """Redact a marked-up Markdown DOCUMENT into a release (md, html or docx).

    Withheld text is marked [text]{.withhold ground="9(2)(a)"} or as a block
    between ::: {.withhold ground="6(c)"} and :::; text outside the request as
    .out-of-scope. Each becomes a marker such as s.9(2)(a) OIA [REDACTED]. The
    grounds policy checks every ground: an unknown or refusal ground exits 1,
    malformed markup exits 3, and nothing is written either way.

    \b
    Example:
        macip-gov oia redact briefing.md -o release/briefing.html
    """
    from ..oia.redact import DEFAULT_STYLE, redact_file

    report = redact_file(document, output, settings.engine, fmt=fmt, style=style or DEFAULT_STYLE)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        echo_json(report)
        return
    grounds = f" under {', '.join(report.grounds)}" if report.grounds else ""
    click.echo(
        f"wrote {report.output} ({report.format}): {report.withheld} withheld{grounds}; "
        f"{report.out_of_scope} out of scope"
    )


def _finding(v: Violation) -> str:
    where = [
        f"{label} {value}"
        for label, value in (("document", v.document), ("citation", v.citation), ("line", v.line))
        if value not in (None, "")
    ]
    suffix = f" [{', '.join(where)}]" if where else ""
    return f"{v.severity}: {v.message} ({v.id}){suffix}"


def _echo_check(report: CheckReport) -> None:
    for v in [*report.violations, *report.warnings]:
        click.echo(_finding(v))
    deadline = report.deadline
    click.echo(
        f"decision due {deadline.final_due.day} {deadline.final_due:%B %Y}, "
        f"made {deadline.decided.day} {deadline.decided:%B %Y}: {deadline.status}"
    )
    errors, warnings = len(report.violations), len(report.warnings)
    click.echo(f"{errors} violation{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


_ORIGINALS_ROOT = click.option(
    "--originals-root", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
    help="The folder every original must lie in (default: the manifest's folder).",
)


@oia.command(name="check")
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@_ORIGINALS_ROOT
@engine_options
@json_option
def check_cmd(settings: Settings, manifest: Path, originals_root: Path | None, as_json: bool) -> None:
    """Check a release MANIFEST against the release policies; write nothing.

    Reads the manifest and the marked-up originals it names, computes the
    statutory dates and reports every violation (exit 1) and warning (exit 0)
    with its rule id, document and citation. A title or other released text
    that contains withheld text is a violation. Every original must lie, after
    symlinks, in the manifest's folder (or --originals-root); anything else
    exits 3.

    \b
    Example:
        macip-gov oia check examples/macip-release/manifest.yaml
    """
    from ..oia.release import check_release

    report = check_release(manifest, settings.engine(), originals_root=originals_root)
    if as_json:
        echo_json(report)
    else:
        _echo_check(report)
    raise SystemExit(ExitCode.OK if report.ok else ExitCode.DENIED)


@oia.command(name="release")
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="Directory to write the release into.",
)
@click.option(
    "--style", metavar="TEMPLATE",
    help="Marker for withheld text (default: '{citations} [REDACTED]'); see `oia redact --help`.",
)
@_ORIGINALS_ROOT
@engine_options
@json_option
def release_cmd(
    settings: Settings, manifest: Path, output: Path, style: str | None, originals_root: Path | None, as_json: bool
) -> None:
    """Write the release for MANIFEST: redacted documents, schedule, decision letter, release.json.

    Documents, schedule and letter are written as Markdown, HTML and DOCX.
    Nothing is written when the release policies find a violation (exit 1).
    The release is built beside OUTPUT and moved into place whole; an existing
    OUTPUT must be empty or a previous release left as written, and is then
    replaced. OUTPUT may not be or hold the manifest or an original (exit 3).

    \b
    Example:
        macip-gov oia release examples/macip-release/manifest.yaml -o out/macip-release
    """
    from ..oia.release import build_release

    report = build_release(manifest, output, settings.engine(), style=style, originals_root=originals_root)
    if as_json:
        echo_json(report)
    else:
        if not report.written:
            _echo_check(report.check)
            click.echo("nothing written")
        else:
            for warning in report.check.warnings:
                click.echo(_finding(warning))
            for name in report.artefacts:
                click.echo(f"wrote {output / name}")
            click.echo(f"wrote {output / 'release.json'}")
    raise SystemExit(ExitCode.OK if report.written else ExitCode.DENIED)


__all__ = ["oia"]
