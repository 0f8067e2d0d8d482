"""``macip-gov oia import``: a Word original in, audited, as marked-up Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import echo_json, json_option

# The kinds decided by --show/--omit (macip_gov.oia.word.CHOICE_KINDS, kept equal by a test);
# listed here so that `oia --help` does not import the Word reader.
KINDS = (
    "comments",
    "hidden-text",
    "headers-footers",
    "text-boxes",
    "images",
    "properties",
    "custom-xml",
    "embedded-objects",
    "fields",
    "other-parts",
)


@click.command(name="import")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The Markdown to write."
)
@click.option(
    "--tracked-changes",
    type=click.Choice(["accept", "reject"]),
    help="Accept or reject every tracked insertion, deletion, move and formatting change.",
)
@click.option(
    "--show",
    "show",
    multiple=True,
    type=click.Choice(KINDS),
    metavar="KIND",
    help="Show this kind as text marked {.hidden} for review (repeatable). oia redact refuses the "
    "Markdown until each such passage is made a mark or plain text.",
)
@click.option(
    "--omit", "omit", multiple=True, type=click.Choice(KINDS), metavar="KIND", help="Leave this kind out (repeatable)."
)
@click.option("--show-hidden", is_flag=True, help="Show every kind not omitted (tracked changes still need a choice).")
@json_option
def import_cmd(
    document: Path,
    output: Path,
    tracked_changes: str | None,
    show: tuple[str, ...],
    omit: tuple[str, ...],
    show_hidden: bool,
    as_json: bool,
) -> None:
    """Import a Word original (.docx) as marked-up Markdown for oia redact and oia release.

    Everything a reader of the page does not see is audited first: tracked
    changes, comments, hidden text, headers and footers, footnotes and
    endnotes, text boxes, images and their alt text, document properties,
    custom XML, embedded objects, field codes and any other part. While a kind
    found has no decision, nothing is written and the findings are listed,
    each with its part and place (exit 1). Decide with --tracked-changes
    accept|reject and --show KIND or --omit KIND (KIND: comments, hidden-text,
    headers-footers, text-boxes, images, properties, custom-xml,
    embedded-objects, fields, other-parts); --show-hidden shows every kind not
    omitted. Footnotes and endnotes are kept as numbered notes after the text.
    A comment whose text is a citation ("s 9(2)(a)", "withhold 6(c),
    9(2)(g)(i)") or "out of scope" becomes markup on the text it comments.
    Word's paragraph and list numbers are written as the numbers the reader
    saw. A file that is not a readable Word document exits 3.

    \b
    Example:
        macip-gov oia import briefing.docx -o briefing.md
        macip-gov oia import briefing.docx -o briefing.md --tracked-changes accept --omit properties --show hidden-text
    """
    from pydantic import ValidationError

    from ..oia.word import ImportChoices, import_file, import_text

    try:
        choices = ImportChoices(
            tracked_changes=tracked_changes,
            show=list(show),
            omit=list(omit),
            show_hidden=show_hidden,
        )
    except ValidationError as exc:
        raise click.UsageError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    report = import_file(document, output, choices)
    if as_json:
        echo_json(report)
    else:
        click.echo(import_text(report))
    raise SystemExit(report.exit_code)


__all__ = ["KINDS", "import_cmd"]
