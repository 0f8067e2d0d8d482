"""``macip-gov pia``: validate, revise, history, diff, sign-off, render, export-flows."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

import click

from ._options import (
    WORKSPACE_PIA,
    Settings,
    echo_json,
    engine_options,
    history_location,
    json_option,
    pia_default,
    public_keys_option,
    workspace_history,
)

pia_path_argument = click.argument(
    "path", required=False, default=pia_default("pass the PIA folder as PATH"), type=click.Path(path_type=Path)
)
history_option = click.option(
    "--history",
    metavar="DIR|URL",
    callback=history_location,
    help="Where the revisions are kept: a folder or postgresql://USER@HOST/DB "
    "(default: the workspace's [pia] history, else history/ beside the PIA file).",
)


def _history(path: Path, history: Path | str | None) -> Path | str | None:
    """The history option, else the workspace's when PATH is the workspace's PIA, else None (beside the file)."""
    return history if history is not None else workspace_history(path)


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


@click.group()
def pia() -> None:
    """The Privacy Impact Assessment: validate, revise, diff, sign off, render."""


@pia.command(name="validate")
@pia_path_argument
@history_option
@engine_options
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date to check due dates against (default: today).",
)
@json_option
def validate_cmd(settings: Settings, path: Path, history: Path | str | None, today: object, as_json: bool) -> None:
    """Check the PIA at PATH (default: the workspace's PIA) against the PIA rules.

    Exit 0 when valid, 1 listing each violation with its rule id (a history
    beside the PIA that does not verify, or a sign-off it does not record, is a
    violation too), 3 when the file is malformed (file and line named).

    \b
    Example:
        macip-gov pia validate pia/
    """
    from ..pia.check import validate_path
    from ..pia.views import validation_text

    day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    result = validate_path(path, settings.engine(), today=day, history=_history(path, history))
    if as_json:
        echo_json(result)
    else:
        click.echo(validation_text(result))
    raise SystemExit(result.exit_code)


@pia.command(name="revise")
@pia_path_argument
@history_option
@click.option("-m", "--message", required=True, help="What changed and why.")
@click.option(
    "--author",
    envvar="MACIP_AUTHOR",
    default=_author,
    show_default="login name",
    help="Who is storing the revision.",
)
@json_option
def revise_cmd(path: Path, history: Path | str | None, message: str, author: str, as_json: bool) -> None:
    """Store the working PIA as the next immutable revision in history/.

    A working copy based on an older revision, or whose sign-offs differ from the
    latest revision's, is refused (exit 3); a history that does not verify is
    refused (exit 1). Nothing is written then.

    \b
    Example:
        macip-gov pia revise --message "Add the whānau support service flows"
    """
    from ..pia.store import revise
    from ..pia.views import revision_text

    result = revise(path, author=author, message=message, history=_history(path, history))
    if as_json:
        echo_json(result)
    else:
        click.echo(revision_text(result))


@pia.command(name="sign-off")
@pia_path_argument
@history_option
@click.option("--by", "by", required=True, help="Name of the person signing off.")
@click.option("--role", required=True, help="Their role.")
@click.option(
    "--key",
    "key_path",
    envvar="MACIP_SIGNOFF_KEY",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The approver's Ed25519 private key (or MACIP_SIGNOFF_KEY): sign the sign-off's revision with it.",
)
@json_option
def signoff_cmd(
    path: Path, history: Path | str | None, by: str, role: str, key_path: Path | None, as_json: bool
) -> None:
    """Approve the PIA as it is now; the approval is bound to its content hash.

    Any later change to the content shows as "changed since sign-off" and fails
    validation until it is signed off again. The sign-off is stored as a revision
    of its own in the chain; a history that does not verify is refused (exit 1).

    \b
    Example:
        macip-gov pia sign-off --by "Jo Bloggs" --role "Chair, MACIP Governance Group"
    """
    from ..pia.store import sign_off
    from ..pia.views import signoff_text

    key = None
    if key_path is not None:
        from ..signing import load_private_key

        key = load_private_key(key_path)  # read before anything is stored: a bad key stores nothing
    history = _history(path, history)
    record, rev = sign_off(path, by=by, role=role, history=history)
    checkpoint = None
    if key is not None:
        from ..pia.checkpoints import checkpoint_pia

        checkpoint = checkpoint_pia(path, key, history=history, signer=f"{record.by} ({record.role})")
    if as_json:
        signed = checkpoint.model_dump(mode="json") if checkpoint is not None else None
        echo_json({"signoff": record.model_dump(mode="json"), "revision": rev.model_dump(mode="json"),
                   "checkpoint": signed})  # fmt: skip
    else:
        if checkpoint is not None:
            click.echo(f"signed with {checkpoint.body.key_id} (checkpoint {checkpoint.body.number})")
        click.echo(signoff_text(record, rev))


@pia.command(name="checkpoint")
@pia_path_argument
@history_option
@click.option(
    "--key",
    "key_path",
    required=True,
    envvar="MACIP_CHECKPOINT_KEY",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The Ed25519 private key (or MACIP_CHECKPOINT_KEY); make one with `macip-gov disclosure log keygen`.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Also write it here (JSON).")
def checkpoint_cmd(path: Path, history: Path | str | None, key_path: Path, output: Path | None) -> None:
    """Sign the latest stored revision (its file's SHA-256) and store the checkpoint beside the history.

    The history is verified first; one that does not verify is not signed
    (exit 1). Prints the checkpoint as JSON: publish it where the history's
    writers cannot change it, and pass it to `pia history --checkpoint`.

    \b
    Example:
        macip-gov pia checkpoint --key ~/.macip/checkpoint.key
    """
    from ..files import DOCUMENT, atomic_write
    from ..pia.checkpoints import checkpoint_pia
    from ..signing import load_private_key

    checkpoint = checkpoint_pia(path, load_private_key(key_path), history=_history(path, history))
    text = checkpoint.model_dump_json()
    if output is not None:
        atomic_write(output, (text + "\n").encode("utf-8"), policy=DOCUMENT)
    click.echo(text)


@pia.command(name="history")
@pia_path_argument
@history_option
@public_keys_option
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint published elsewhere (JSON): it must be stored as published (repeatable).",
)
@json_option
def history_cmd(
    path: Path,
    history: Path | str | None,
    public_keys: tuple[Path, ...],
    checkpoint_files: tuple[Path, ...],
    as_json: bool,
) -> None:
    """List stored revisions, verify their chain, and compare the working copy with them.

    Exit 0 when the chain verifies; 1 naming the revision file and field where it
    breaks (a revision edited, removed or added by hand, a sign-off no revision
    records, a signed checkpoint the history contradicts). Prints the head (the
    newest revision file's SHA-256): note it to compare later. With
    --public-key, every checkpoint's signature must hold under one of the keys.

    \b
    Example:
        macip-gov pia history
    """
    from ..pia.history import pia_history
    from ..pia.views import history_text

    if checkpoint_files and not public_keys:
        raise click.UsageError("--checkpoint needs --public-key to check its signature")
    from ..pia.checkpoints import read_pia_checkpoint
    from ..signing import load_public_key

    keys = [load_public_key(p) for p in public_keys]
    published = [read_pia_checkpoint(p) for p in checkpoint_files]
    report = pia_history(path, history=_history(path, history), public_keys=keys, checkpoints=published)
    if as_json:
        echo_json(report)
    else:
        click.echo(history_text(report))
    raise SystemExit(report.exit_code)


@pia.command(name="checkout")
@click.argument(
    "path", required=False, default=pia_default("pass the PIA folder as PATH"), type=click.Path(path_type=Path)
)
@history_option
def checkout_cmd(path: Path, history: Path | str | None) -> None:
    """Write the latest stored revision as the working copy, to start from or to catch up with others.

    A working copy with edits that are not stored is never replaced (exit 3);
    a history that does not verify is refused (exit 1).

    \b
    Example:
        macip-gov pia checkout
    """
    from ..pia.store import checkout

    result = checkout(path, history=_history(path, history))
    rev = result.revision
    state = "wrote" if result.created else "unchanged:"
    click.echo(f"{state} the working copy is revision {rev.revision} ({rev.content_hash[:19]}) from {result.path}")


@pia.command(name="migrate")
@pia_path_argument
@history_option
@click.option(
    "--to",
    "target",
    metavar="URL|DIR",
    callback=history_location,
    help="Copy the history into this empty store (postgresql://USER@HOST/DB, or a new folder) and verify the copy.",
)
def migrate_cmd(path: Path, history: Path | str | None, target: Path | str | None) -> None:
    """Chain a history stored before revisions were chained (once, in place), or copy it to another store.

    Adds to each revision file the SHA-256 of the file before it and writes
    history/head.yaml; numbers, metadata and documents are kept. Every revision
    is checked first and nothing is written unless all pass (exit 3 otherwise).
    A history already chained is only verified.

    With --to, the history (chained and verified, every document and checkpoint
    checked) is copied byte for byte into an empty store in one transaction and
    the copy is verified to the same head; then point [pia] history in
    macip.toml at it. A target that is not empty is refused (exit 3).

    \b
    Example:
        macip-gov pia migrate pia/
        macip-gov pia migrate --to postgresql://pia@db.example.govt.nz/macip
    """
    from ..pia.store import copy_history, migrate_history, resolve
    from ..pia.views import copy_text, migration_text

    chain = migrate_history(resolve(path, _history(path, history)).history)
    if target is None:
        click.echo(migration_text(chain))
        return
    copy = copy_history(chain.store, target)
    click.echo(copy_text(chain, copy))


@pia.command(name="export-flows")
@pia_path_argument
@history_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON here (e.g. policies/pia/approved_flows/data.json) instead of stdout.",
)
def export_flows_cmd(path: Path, history: Path | str | None, output: Path | None) -> None:
    """Export the PIA's information flows as policy data, each marked signed_off.

    Disclosure decisions read this as data.pia.approved_flows: a disclosure that
    no signed-off flow covers is referred. The history must verify and record
    every sign-off the PIA carries; otherwise nothing is exported (exit 1).

    \b
    Example:
        macip-gov pia export-flows -o policies/pia/approved_flows/data.json
    """
    from ..pia.signoff import approved_flows_json, export_flows
    from ..pia.views import export_text

    flows = export_flows(path, output, history=_history(path, history))
    if output is None:
        click.echo(approved_flows_json(flows), nl=False)
    else:
        click.echo(export_text(output, flows))


@pia.command(name="diff")
@click.argument("old")
@click.argument("new", required=False, default="working")
@click.option(
    "--pia",
    "path",
    default=pia_default("pass --pia DIR"),
    show_default=WORKSPACE_PIA,
    type=click.Path(path_type=Path),
    help="PIA directory or file.",
)
@history_option
@json_option
def diff_cmd(old: str, new: str, path: Path, history: Path | str | None, as_json: bool) -> None:
    """Show what changed between two versions, field by field.

    OLD and NEW are revision numbers (3 or r3), latest, working (the default
    for NEW) or signed (the content last signed off). Lines start with + (added),
    - (removed) or ~ (changed).

    \b
    Example:
        macip-gov pia diff 1 latest
        macip-gov pia diff signed working --json
    """
    from ..pia.diff import diff_versions
    from ..pia.views import diff_text

    result = diff_versions(path, old, new, history=_history(path, history))
    if as_json:
        echo_json(result)
    else:
        click.echo(diff_text(result))


@pia.command(name="render")
@pia_path_argument
@history_option
@engine_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The report file to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "docx", "pdf"]),
    help="Output format (default: from the file suffix).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date for the rules check shown in the report (default: today).",
)
def render_cmd(
    settings: Settings, path: Path, history: Path | str | None, output: Path, fmt: str | None, today: object
) -> None:
    """Write the PIA report: every section, the flow table, the risk matrix, the action plan and sign-off.

    The report is marked DRAFT unless the PIA is signed off and unchanged since.

    \b
    Example:
        macip-gov pia render -o out/macip-pia.html
        macip-gov pia render pia/ -o out/macip-pia.docx
    """
    from ..pia.report import render_path
    from ..pia.views import render_text

    day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    result = render_path(path, output, settings.engine(), fmt=fmt, today=day, history=_history(path, history))
    click.echo(render_text(output, result))
