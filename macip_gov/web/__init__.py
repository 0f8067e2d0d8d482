"""The review app (``macip-gov serve``): server-rendered pages over the library, for people who use no command line.

A thin layer: routes read forms, call the library and render a template. Nothing here decides
what the law allows; the policies do, through the same engine the command line uses. FastAPI,
Starlette and argon2 are imported only when the app is built, never by the command line at start.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    # `from macip_gov.web import create_app` without importing FastAPI before it is asked for.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
