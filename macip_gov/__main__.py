"""``python -m macip_gov``."""

from .cli import cli

cli()
