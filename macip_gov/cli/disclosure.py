"""``macip-gov disclosure``: check and explain disclosures; read and verify the decision log."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import (
    WORKSPACE_LOG,
    Settings,
    current_workspace,
    decision_log_default,
    decision_log_path,
    echo_json,
    engine_options,
    json_option,
    public_keys_option,
)

if TYPE_CHECKING:
    from ..disclosure.log import ChainedLog

LOG_ENV = "MACIP_DECISION_LOG"
"""Environment variable naming the decision log (a path, sqlite:///PATH or postgresql://…); the option wins."""

file_argument = click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))

log_path_option = click.option(
    "--log",
    "log_path",
    metavar="URL",
    envvar=LOG_ENV,
    default=decision_log_default("pass --log FILE"),
    show_default=WORKSPACE_LOG,
    help=f"The decision log: a path, sqlite:///PATH or postgresql://USER@HOST/DB (or {LOG_ENV}).",
)


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _workspace_log() -> str:
    return str(decision_log_path(current_workspace("pass --log FILE, or --no-log")))


def _open_log(url: str) -> ChainedLog:
    from ..disclosure.log import open_log

    return open_log(url, create=False)


@click.group()
def disclosure() -> None:
    """Check a proposed disclosure of personal information; the decision log."""


@disclosure.command(name="check")
@file_argument
@engine_options
@json_option
@click.option(
    "--log",
    "log_path",
    metavar="URL",
    help=f"Decision log: a path, sqlite:///PATH or postgresql://… [default: {LOG_ENV}, else {WORKSPACE_LOG}].",
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
    log_path: str | None,
    no_log: bool,
    keep_going: bool,
    processes: int | None,
) -> None:
    """Decide whether each disclosure request in FILE may go ahead.

    FILE ('-' for stdin) holds one request (JSON or YAML) or JSON Lines, one
    request per line; a request states the facts the law turns on (consent,
    threat, relates_to_child, statutory_request, ...: see `macip-gov schema
    disclosure-request`). Each decision gives the legal verdict (required,
    permitted, prohibited or uncertain, with its basis), whether the programme
    covers it (an approved PIA flow and matrix route), whether it is urgent,
    and the outcome from the outcome table. Every decision is appended to the
    decision log unless --no-log is given. An invalid request stops the batch before anything is
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
        log=None if no_log else (log_path or os.environ.get(LOG_ENV) or _workspace_log()),
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

    Shows the decision with its two verdicts (legal and programme), whether it
    is urgent, and the outcome-table row that applied; then every body of law
    considered (Privacy Act IPP 11 and 12, the Health Information Privacy Code,
    the Oranga Tamariki Act, the Family Violence Act), whether it governs the
    request, and for each provision whether it holds, why, and the fact that
    decided it (for an uncertain verdict, the facts to supply); then the
    programme's own checks. Explanations are not logged: record a decision
    with `disclosure check`.

    Exit codes as for `disclosure check`.

    \b
    Example:
        macip-gov disclosure explain examples/disclosures/22-health-threat-outside-flows.yaml
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
def log_list_cmd(log_path: str, last: int, as_json: bool) -> None:
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
def log_show_cmd(key: str, log_path: str, as_json: bool) -> None:
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
def log_export_cmd(log_path: str, fmt: str, output: Path | None) -> None:
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
@public_keys_option
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint published elsewhere (JSON): it must be signed, stored in the log and in the chain (repeatable).",
)
@json_option
def log_verify_cmd(
    log_path: str, anchor: str | None, public_keys: tuple[Path, ...], checkpoint_files: tuple[Path, ...], as_json: bool
) -> None:
    """Check the hash chain and the signed checkpoints; exit 1 naming the first row or checkpoint that fails.

    Prints the head (the last row's hash): note it, and pass it later as
    --anchor SEQ:HASH to detect a log rewritten from that row on. With
    --public-key, every checkpoint in the log must carry a signature that holds
    under one of the keys, and the chain must still pass through the row and
    hash each one signed: a chain recomputed by someone without the private key
    fails, naming the first checkpoint it contradicts.

    \b
    Example:
        macip-gov disclosure log verify
        macip-gov disclosure log verify --public-key checkpoint.key.pub --checkpoint cp-0003.json
    """
    pinned = None
    if anchor is not None:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise click.BadParameter("expected SEQ:HASH (a row number and a 64-character hash)", param_hint="--anchor")
        pinned = (int(seq), digest)
    if checkpoint_files and not public_keys:
        raise click.UsageError("--checkpoint needs --public-key to check its signature")
    from ..disclosure.log import read_checkpoint
    from ..disclosure.report import verify_text
    from ..signing import load_public_key

    keys = [load_public_key(p) for p in public_keys]
    published = [read_checkpoint(p) for p in checkpoint_files]
    with _open_log(log_path) as log:
        report = log.verify(anchor=pinned, public_keys=keys, checkpoints=published)
    if as_json:
        echo_json(report)
    else:
        click.echo(verify_text(report))
    raise SystemExit(report.exit_code)


@log_group.command(name="keygen")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The private key file to write (mode 0600); the public key goes to FILE.pub.",
)
def log_keygen_cmd(output: Path) -> None:
    """Write a new Ed25519 key for signing checkpoints (never overwriting a key).

    Keep the private key off the machines that can write the log; give the
    public key (FILE.pub) to whoever verifies.

    \b
    Example:
        macip-gov disclosure log keygen -o ~/.macip/checkpoint.key
    """
    from ..signing import generate_key

    public, key_id = generate_key(output)
    click.echo(f"wrote {output} (private, mode 0600) and {public} (public); key id {key_id}")


@log_group.command(name="checkpoint")
@log_path_option
@click.option(
    "--key",
    "key_path",
    required=True,
    envvar="MACIP_CHECKPOINT_KEY",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Ed25519 private key (or MACIP_CHECKPOINT_KEY).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the signed checkpoint (JSON) here, for publication.",
)
def log_checkpoint_cmd(log_path: str, key_path: Path, output: Path | None) -> None:
    """Sign the log's head (row count, hash, time) and append the signed checkpoint to the log.

    The whole log is verified first; a log that does not verify is not signed
    (exit 1). The checkpoint is printed as one JSON document: publish it
    somewhere the log's writers cannot change (an email to the governance
    group, a ticket) and pass it to `log verify --checkpoint`.

    \b
    Example:
        macip-gov disclosure log checkpoint --key ~/.macip/checkpoint.key -o cp.json
    """
    from ..disclosure.log import write_checkpoint
    from ..signing import load_private_key

    key = load_private_key(key_path)
    with _open_log(log_path) as log:
        checkpoint = log.checkpoint(key)
    if output is not None:
        write_checkpoint(checkpoint, output)
    click.echo(checkpoint.model_dump_json())


@log_group.command(name="migrate")
@click.option("--from", "source", required=True, metavar="URL", help="The log to copy (it must verify).")
@click.option("--to", "target", required=True, metavar="URL", help="An empty log to copy it into (created if missing).")
@json_option
def log_migrate_cmd(source: str, target: str, as_json: bool) -> None:
    """Copy a decision log, rows and checkpoints as stored, into an empty one; then verify the copy.

    The source must verify; the copy is one transaction, so a copy that fails
    leaves the destination empty. Exit 0 when the copy verifies, 1 otherwise.

    \b
    Example:
        macip-gov disclosure log migrate --from sqlite:///.macip/decisions.db --to postgresql://macip@db/macip
    """
    from ..disclosure.log import migrate_log
    from ..disclosure.report import verify_text

    report = migrate_log(source, target)
    if as_json:
        echo_json(report)
    else:
        click.echo(f"copied {report.rows} rows and {report.checkpoints} checkpoints to {report.path}")
        click.echo(verify_text(report))
    raise SystemExit(report.exit_code)
