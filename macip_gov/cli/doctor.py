"""``macip-gov doctor``: check the engine, the policies, the workspace's stores and the optional features."""

from __future__ import annotations

import click

from ._options import Settings, current_workspace, echo_json, engine_options, json_option


@click.command(name="doctor")
@engine_options
@json_option
def doctor(settings: Settings, as_json: bool) -> None:
    """Check that macip-gov is ready to use here, one line per check with its fix.

    Required: Python 3.11+, OPA's engine (it loads the policies and evaluates
    one decision), the policy revision, the templates, and the workspace found
    from this folder (macip.toml, or MACIP_WORKSPACE) with its stores: the PIA
    folder, the decision log (reachable and writable, or creatable), the ToR
    specs and OIA requests folders it names, PDF output (WeasyPrint and the
    Pango library it loads; the fix names the Debian package) and Word import
    (pypandoc-binary). Optional, reported and never failing: a browser for the
    web tests (chromium, chromedriver).

    Exit 0 when every required check passes, 1 otherwise. The engine options
    check the engine commands would use (e.g. --engine opa --opa-url URL).

    \b
    Example:
        macip-gov doctor
    """
    from ..doctor import diagnose
    from ..errors import InvalidInputError
    from ..resources import templates_dir
    from ..workspace import Workspace

    workspace: Workspace | None = None
    problem: InvalidInputError | None = None
    try:
        workspace = current_workspace("set MACIP_WORKSPACE")
    except InvalidInputError as exc:
        problem = exc
    report = diagnose(settings.spec(), workspace=workspace, workspace_problem=problem, templates=templates_dir())
    if as_json:
        echo_json(report)
    else:
        for check in report.checks:
            click.echo(check.line())
        click.echo(report.summary())
    raise SystemExit(report.exit_code)
