"""Options and state shared by every command (defined once, used as decorators)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..engine import PolicyEngine

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """Per-invocation choices: which policies, which engine."""

    policies: Path | None = None
    engine_kind: str = "embedded"
    opa_url: str | None = None
    _engine: PolicyEngine | None = None

    def engine(self) -> PolicyEngine:
        """The engine for this invocation, loaded once."""
        if self._engine is None:
            from ..engine import load_engine

            self._engine = load_engine(self.policies, kind=self.engine_kind, opa_url=self.opa_url)
        return self._engine

    def policy_set(self) -> Any:
        """The policy tree without an engine (for bundle and check)."""
        from ..policyset import load_policy_set
        from ..resources import policies_dir

        return load_policy_set(self.policies or policies_dir())


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(Settings)


def engine_options(f: F) -> F:
    """Add ``--policies``, ``--engine`` and ``--opa-url`` and pass ``settings`` to the command."""

    @click.option(
        "--policies",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="MACIP_POLICIES",
        help="Policy directory (default: the policies shipped with macip-gov).",
    )
    @click.option(
        "--engine",
        "engine_kind",
        type=click.Choice(["embedded", "opa"]),
        envvar="MACIP_ENGINE",
        default="embedded",
        show_default=True,
        help="OPA in-process, or an OPA server.",
    )
    @click.option("--opa-url", envvar="MACIP_OPA_URL", help="OPA server URL, for --engine opa.")
    @click.pass_context
    @functools.wraps(f)
    def wrapper(
        ctx: click.Context, *args: Any, policies: Path | None, engine_kind: str, opa_url: str | None,
        **kwargs: Any,
    ) -> Any:
        settings = _settings(ctx)
        settings.policies, settings.engine_kind, settings.opa_url = policies, engine_kind, opa_url
        return ctx.invoke(f, *args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")


def echo_json(value: Any) -> None:
    """Print a model or plain value as one line of JSON."""
    if hasattr(value, "model_dump_json"):
        click.echo(value.model_dump_json())
    else:
        click.echo(json.dumps(value, sort_keys=True, default=str))
