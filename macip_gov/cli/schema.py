"""``macip-gov schema``: print the JSON Schema of an input document.

Each schema is one line in ``SCHEMAS``: a name and ``"module:Model"`` (a pydantic
model, or a function returning a schema), imported only when that schema is asked for.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import click

SCHEMAS: dict[str, str] = {
    "disclosure-request": "macip_gov.disclosure.models:DisclosureRequest",
    "oia-manifest": "macip_gov.oia.manifest:Manifest",
    "pia": "macip_gov.pia.models:Pia",
    "tor-spec": "macip_gov.governance.models:TorSpec",
}
"""Schema name -> ``module:Model``."""

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema registered under ``name``, with its ``$schema`` dialect.

    Raises:
        KeyError: No such schema.
    """
    module, _, attr = SCHEMAS[name].partition(":")
    target = getattr(importlib.import_module(module), attr)
    schema: dict[str, Any] = target.model_json_schema() if hasattr(target, "model_json_schema") else target()
    schema.setdefault("$schema", DIALECT)
    return schema


def schema_text(name: str) -> str:
    """The schema as committed under ``schemas/``: two-space indented JSON and a newline."""
    return json.dumps(schema_of(name), indent=2, ensure_ascii=False) + "\n"


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
