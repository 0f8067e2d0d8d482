"""``python -m macip_gov``."""

from .cli._launch import main

main()
