"""``macip-gov disclosure``: check and explain disclosures; read and verify the decision log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import Settings, echo_json, engine_options, json_option

if TYPE_CHECKING:
    from ..disclosure.log import DecisionLog

DEFAULT_LOG = Path(".macip") / "decisions.db"
"""The decision log, relative to the directory the command runs in."""

file_argument = click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))

log_path_option = click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_LOG,
    show_default=True,
    help="The decision log (SQLite).",
)


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _open_log(path: Path) -> DecisionLog:
    from ..disclosure.log import DecisionLog

    return DecisionLog(path, create=False)


@click.group()
def disclosure() -> None:
    """Check a proposed disclosure of personal information; the decision log."""


@disclosure.command(name="check")
@file_argument
@engine_options
@json_option
@click.option(
    "--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), help=f"Decision log [default: {DEFAULT_LOG}]."
)
@click.option("--no-log", is_flag=True, help="Do not record the decisions.")
@click.option("--keep-going", is_flag=True, help="Report invalid requests and decide the rest (still exit 3).")
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    help="Worker processes (default: every core for 2,000 requests or more, else 1).",
)
def check_cmd(
    settings: Settings,
    file: Path,
    as_json: bool,
    log_path: Path | None,
    no_log: bool,
    keep_going: bool,
    processes: int | None,
) -> None:
    """Decide whether each disclosure request in FILE may go ahead.

    FILE ('-' for stdin) holds one request (JSON or YAML) or JSON Lines, one
    request per line. Every decision is appended to the decision log unless
    --no-log is given. An invalid request stops the batch before anything is
    decided (exit 3, naming the line); with --keep-going invalid lines are
    reported on stderr, the rest are decided and logged, and the exit code is
    still 3.

    Exit 0 when every request is allowed (with or without conditions), 1 when
    any is referred or denied, 3 for invalid input, 4 for a policy or engine
    failure: an evaluation that takes longer than --timeout, or an answer that
    is not a well-formed, consistent decision, decides nothing.

    \b
    Example:
        macip-gov disclosure check examples/disclosures/requests.jsonl --no-log
    """
    from ..disclosure.report import checked_text, summary_text
    from ..disclosure.run import check_and_log
    from ..inputs import read_text

    if log_path is not None and no_log:
        raise click.UsageError("--log and --no-log cannot be used together")
    with check_and_log(
        read_text(file),
        str(file),
        spec=settings.spec(),
        engine=settings.engine,
        log=None if no_log else (log_path or DEFAULT_LOG),
        user=_user(),
        keep_going=keep_going,
        processes=processes,
    ) as run:
        for error in run.errors:
            click.echo(f"Error: {error.one_line()}", err=True)
        show_bar = run.total > 1 and sys.stderr.isatty()
        bar = click.progressbar(length=run.total, file=sys.stderr, label="checking") if show_bar else None
        try:
            for chunk in run:
                for checked in chunk:
                    click.echo(checked.entry.decision_json if as_json else checked_text(checked))
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.render_finish()
    summary = run.summary
    if not as_json:
        click.echo(summary_text(summary))
    raise SystemExit(summary.exit_code)


@disclosure.command(name="explain")
@file_argument
@engine_options
@json_option
def explain_cmd(settings: Settings, file: Path, as_json: bool) -> None:
    """Explain the decision on each request in FILE, provision by provision.

    Shows the decision, then every body of law considered (Privacy Act IPP 11
    and 12, the Health Information Privacy Code, the Oranga Tamariki Act, the
    Family Violence Act), whether it governs the request, and for each
    provision whether it holds and why; then the programme's own checks.
    Explanations are not logged: record a decision with `disclosure check`.

    Exit codes as for `disclosure check`.

    \b
    Example:
        macip-gov disclosure explain examples/disclosures/health-serious-threat.yaml
    """
    from ..disclosure.report import explanations_text
    from ..disclosure.run import explain_requests
    from ..inputs import read_text

    report = explain_requests(read_text(file), str(file), settings.engine)
    if as_json:
        for explanation in report.explanations:
            echo_json(explanation)
    elif report.explanations:
        click.echo(explanations_text(report))
    raise SystemExit(report.exit_code)


@disclosure.group(name="log")
def log_group() -> None:
    """Read, export and verify the decision log."""


@log_group.command(name="list")
@log_path_option
@click.option(
    "--last", type=click.IntRange(min=0), default=20, show_default=True, help="Show the last N rows (0: all)."
)
@json_option
def log_list_cmd(log_path: Path, last: int, as_json: bool) -> None:
    """List logged decisions: sequence, time, user, request and outcome.

    \b
    Example:
        macip-gov disclosure log list --last 5
    """
    from ..disclosure.report import log_row_line

    with _open_log(log_path) as log:
        for r in log.records(last=last or None):
            if as_json:
                echo_json(r.model_dump(include={"seq", "recorded_at", "user", "request_id", "outcome", "hash"}))
            else:
                click.echo(log_row_line(r))


@log_group.command(name="show")
@click.argument("key", metavar="ID")
@log_path_option
@json_option
def log_show_cmd(key: str, log_path: Path, as_json: bool) -> None:
    """Show one logged decision: ID is its sequence number or a request id (latest row).

    \b
    Example:
        macip-gov disclosure log show 1
    """
    from ..disclosure.report import log_record_text

    with _open_log(log_path) as log:
        record = log.get(key)
    if as_json:
        echo_json(record)
    else:
        click.echo(log_record_text(record))


@log_group.command(name="export")
@log_path_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def log_export_cmd(log_path: Path, fmt: str, output: Path | None) -> None:
    """Export every logged decision as CSV or JSON Lines.

    \b
    Example:
        macip-gov disclosure log export --format csv -o decisions.csv
    """
    with _open_log(log_path) as log:
        lines = log.export(fmt)  # type: ignore[arg-type]
        if output is None:
            for line in lines:
                click.echo(line, nl=False)
        else:
            with output.open("w", encoding="utf-8", newline="") as fh:
                fh.writelines(lines)


@log_group.command(name="verify")
@log_path_option
@click.option("--anchor", metavar="SEQ:HASH", help="A row's hash noted earlier; the row must still have it.")
@json_option
def log_verify_cmd(log_path: Path, anchor: str | None, as_json: bool) -> None:
    """Check the hash chain; exit 1 naming the first row edited, removed or reordered.

    Prints the head (the last row's hash): note it, and pass it later as
    --anchor SEQ:HASH to detect a log rewritten from that row on.

    \b
    Example:
        macip-gov disclosure log verify
    """
    pinned = None
    if anchor is not None:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise click.BadParameter("expected SEQ:HASH (a row number and a 64-character hash)", param_hint="--anchor")
        pinned = (int(seq), digest)
    from ..disclosure.report import verify_text

    with _open_log(log_path) as log:
        report = log.verify(anchor=pinned)
    if as_json:
        echo_json(report)
    else:
        click.echo(verify_text(report))
    raise SystemExit(report.exit_code)
