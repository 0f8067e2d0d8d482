"""Options and state shared by every command (defined once, used as decorators)."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..engine import EngineSpec, PolicyEngine
    from ..workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_TIMEOUT = 10.0
"""The engine's default deadline (``engine.DEFAULT_TIMEOUT``, kept equal by a test).

Repeated here so that commands which never evaluate a policy, such as
``oia deadline``, do not import the engine module just to build their options.
"""


@dataclass
class Settings:
    """Per-invocation choices: which policies, which engine, its deadline and its server."""

    policies: Path | None = None
    engine_kind: str = "embedded"
    opa_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    opa_token: str | None = field(default=None, repr=False)
    opa_ca_bundle: Path | None = None
    allow_revision_mismatch: bool = False
    _engine: PolicyEngine | None = None

    def spec(self, *, tests: bool = False) -> EngineSpec:
        """How to build this invocation's engine (what batch workers receive), Go runtime settings included."""
        from ..engine import EngineSpec

        return EngineSpec(
            policies=str(self.policies) if self.policies else None,
            kind=self.engine_kind,
            opa_url=self.opa_url,
            timeout=self.timeout,
            opa_token=self.opa_token,
            opa_ca_bundle=str(self.opa_ca_bundle) if self.opa_ca_bundle else None,
            allow_revision_mismatch=self.allow_revision_mismatch,
            tests=tests,
        )

    def engine(self, *, tests: bool = False) -> PolicyEngine:
        """The engine for this invocation, loaded once (``tests``: compile the Rego unit tests too)."""
        if self._engine is None:
            self._engine = self.spec(tests=tests).load()
            if self._engine.revision != self._engine.policy_set.revision:
                click.echo(
                    f"Warning: deciding with the OPA server's policy revision {self._engine.revision[:12]}, "
                    f"not the local {self._engine.policy_set.revision[:12]} (--allow-revision-mismatch)",
                    err=True,
                )
        return self._engine

    def policy_set(self) -> Any:
        """The policy tree without an engine (for bundle and check)."""
        from ..policyset import load_policy_set
        from ..resources import policies_dir

        return load_policy_set(self.policies or policies_dir())


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(Settings)


def engine_options(f: F) -> F:
    """Add the engine options (policies, engine, deadline, OPA server) and pass ``settings`` to the command."""

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
    @click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True, max=86400),
        envvar="MACIP_TIMEOUT",
        default=DEFAULT_TIMEOUT,
        show_default=True,
        metavar="SECONDS",
        help="Deadline for each evaluation, or each request to an OPA server (or MACIP_TIMEOUT); exceeding it exits 4.",
    )
    @click.option("--opa-url", envvar="MACIP_OPA_URL", help="OPA server URL, for --engine opa.")
    @click.option(
        "--opa-token",
        envvar="MACIP_OPA_TOKEN",
        metavar="TOKEN",
        help="Bearer token for the OPA server (prefer MACIP_OPA_TOKEN: a command line is visible to others).",
    )
    @click.option(
        "--opa-ca-bundle",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="MACIP_OPA_CA_BUNDLE",
        metavar="FILE",
        help="PEM certificate authorities to trust for an https OPA server (default: the system's).",
    )
    @click.option(
        "--allow-revision-mismatch",
        is_flag=True,
        help="Decide even when the OPA server's policy revision is not the local one (it is logged).",
    )
    @functools.wraps(f)
    @click.pass_context
    def wrapper(
        ctx: click.Context,
        /,
        *args: Any,
        policies: Path | None,
        engine_kind: str,
        timeout: float,
        opa_url: str | None,
        opa_token: str | None,
        opa_ca_bundle: Path | None,
        allow_revision_mismatch: bool,
        **kwargs: Any,
    ) -> Any:
        settings = _settings(ctx)
        settings.policies, settings.engine_kind, settings.opa_url = policies, engine_kind, opa_url
        settings.timeout, settings.opa_token, settings.opa_ca_bundle = timeout, opa_token or None, opa_ca_bundle
        settings.allow_revision_mismatch = allow_revision_mismatch
        return ctx.invoke(f, *args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


# -- the workspace (macip.toml) -------------------------------------------------------------

_WORKSPACE_KEY = "macip_gov.workspace"


def current_workspace(fix: str) -> Workspace:
    """The workspace governing the folder this command runs in, read once per invocation.

    Args:
        fix: What else the user may do when there is none, e.g. ``"pass --log FILE"``.

    Raises:
        NoWorkspaceError: No ``macip.toml`` here or above, and no ``MACIP_WORKSPACE`` (exit 3).
        InvalidInputError: The workspace file is malformed (exit 3).
    """
    from ..errors import InvalidInputError
    from ..workspace import ENV_VAR, open_workspace

    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx is not None else {}
    if _WORKSPACE_KEY not in meta:
        try:
            here = Path.cwd()
        except OSError as exc:
            raise InvalidInputError(f"the current folder cannot be read: {exc.strerror}") from None
        meta[_WORKSPACE_KEY] = open_workspace(here, os.environ.get(ENV_VAR), fix=fix)
    workspace: Workspace = meta[_WORKSPACE_KEY]
    return workspace


class WorkspaceDefault:
    """A click default read from the workspace, only when the option or argument is not given."""

    def __init__(self, pick: Callable[[Workspace], Any], fix: str):
        self.pick, self.fix = pick, fix

    def __call__(self) -> Any:
        ctx = click.get_current_context(silent=True)
        if ctx is not None and ctx.resilient_parsing:
            return None  # shell completion: no workspace needed
        return self.pick(current_workspace(self.fix))


WORKSPACE_PIA = "the workspace's [pia] dir"
"""How help shows a PIA default taken from the workspace."""

WORKSPACE_LOG = "the workspace's [decision_log] url"
"""How help shows a decision-log default taken from the workspace."""


def pia_default(fix: str) -> WorkspaceDefault:
    """The workspace's PIA folder as a default; ``fix`` names the option to pass instead."""
    return WorkspaceDefault(lambda w: w.pia, fix)


def current_pia_default(fix: str) -> WorkspaceDefault:
    """Where tor commands read the current PIA: the workspace's PostgreSQL history if it has one, else its folder."""

    def pick(w: Workspace) -> Path | str:
        return w.pia_history if isinstance(w.pia_history, str) else w.pia

    return WorkspaceDefault(pick, fix)


def history_location(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | str | None:
    """Click callback: a PIA history on the command line, a folder or a ``postgresql://`` URL (kept as written).

    A URL stays text, since a path would fold its ``//``; anything else is a folder.
    """
    if value is None:
        return None
    scheme, sep, _ = value.partition("://")
    if not sep:
        return Path(value)
    if scheme in ("postgresql", "postgres"):
        return value
    raise click.BadParameter(f"{scheme}:// is not a kind of PIA history: use a folder or postgresql://USER@HOST/DB")


def workspace_history(path: Path | str) -> Path | str | None:
    """The workspace's ``[pia] history`` when ``path`` is the workspace's PIA (its folder or file), else None.

    A PIA named on the command line outside the workspace keeps the history beside it.
    """
    from ..workspace import NoWorkspaceError

    try:
        workspace = current_workspace("pass --history")
    except NoWorkspaceError:
        return None
    if workspace.pia_history is None:
        return None
    given, folder = os.path.abspath(path), os.path.abspath(workspace.pia)
    return workspace.pia_history if folder in (given, os.path.dirname(given)) else None


def decision_log_path(workspace: Workspace) -> str:
    """The workspace's decision log as the log is opened with: the SQLite file, or the server's URL."""
    return workspace.decision_log.target()


def decision_log_default(fix: str) -> WorkspaceDefault:
    """The workspace's decision log as a default; ``fix`` names the option to pass instead."""
    return WorkspaceDefault(decision_log_path, fix)


def oia_request(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Click callback: a MANIFEST that is no file but names an OIA request of the workspace becomes its manifest.

    Anything else is passed on as given, so a missing file is still reported as one.
    """
    if value is None or ctx.resilient_parsing or value.exists() or len(value.parts) != 1:
        return value
    from ..errors import InvalidInputError
    from ..workspace import NoWorkspaceError

    try:
        workspace = current_workspace("name the manifest file")
    except NoWorkspaceError:
        return value
    if workspace.oia_requests is None:
        return value
    try:
        return workspace.oia_request(str(value))
    except InvalidInputError:
        return value


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")

public_keys_option = click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check every checkpoint's signature with these keys (repeatable); at least one checkpoint must exist.",
)


def echo_json(value: Any) -> None:
    """Print a model or plain value as one line of JSON."""
    if hasattr(value, "model_dump_json"):
        click.echo(value.model_dump_json())
    else:
        click.echo(json.dumps(value, sort_keys=True, default=str))
