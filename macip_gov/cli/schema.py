"""``macip-gov schema``: print the JSON Schema of an input document.

One subcommand per schema in the registry, ``macip_gov.schemas.SCHEMAS``.
"""

from __future__ import annotations

import click

from ..schemas import SCHEMAS, schema_text


class _SchemaGroup(click.Group):
    """One subcommand per registered schema, made on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SCHEMAS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SCHEMAS:
            return None

        def show() -> None:
            click.echo(schema_text(cmd_name), nl=False)

        target = SCHEMAS[cmd_name]
        return click.Command(
            cmd_name,
            callback=show,
            help=f"Print the JSON Schema of {cmd_name.replace('-', ' ')} documents ({target}).\n\n"
            f"\b\nExample:\n    macip-gov schema {cmd_name} > {cmd_name}.schema.json",
            short_help=f"JSON Schema of {cmd_name.replace('-', ' ')} documents.",
        )


@click.group(cls=_SchemaGroup)
def schema() -> None:
    """Print the JSON Schema of an input document (JSON Schema 2020-12).

    \b
    Example:
        macip-gov schema disclosure-request
    """
