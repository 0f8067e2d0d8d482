"""``macip-gov init``: make a folder a workspace (its ``macip.toml`` and folders)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="init")
@click.argument("folder", required=False, default=Path("."), type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Make FOLDER (default: the current folder) a workspace: write macip.toml and its folders.

    The starter macip.toml names the PIA folder (pia/), the decision log
    (.macip/decisions.db), the Terms of Reference specs (tor/) and the OIA
    requests (oia/); edit it to point elsewhere. Every command run in FOLDER or
    below takes its defaults from it (MACIP_WORKSPACE names it from anywhere).
    An existing macip.toml is never overwritten (exit 3).

    \b
    Example:
        macip-gov init privacy-office
    """
    from ..workspace import FILENAME, find_workspace, init_workspace

    outer = find_workspace(folder.absolute().parent) if folder.absolute().parent != folder.absolute() else None
    result = init_workspace(folder)
    click.echo(f"wrote {result.file}")
    if result.created:
        click.echo("created " + ", ".join(f"{p}/" for p in result.created))
    if outer is not None:
        click.echo(f"note: {folder} was inside the workspace of {outer}; commands here now use its own {FILENAME}")
    click.echo(f"next: put the PIA in {folder / 'pia'} (one YAML file), then run `macip-gov doctor`")
