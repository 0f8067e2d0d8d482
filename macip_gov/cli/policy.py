"""``macip-gov policy``: test, check, eval and bundle."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._options import F, Settings, echo_json, engine_options, json_option


@click.group()
def policy() -> None:
    """Test, check, evaluate and bundle the Rego policies."""


def _policy_dir_options(f: F) -> F:
    return engine_options(f)


@policy.command(name="test")
@_policy_dir_options
@click.option("-v", "--verbose", is_flag=True, help="List every test, not only failures.")
@json_option
def test_cmd(settings: Settings, verbose: bool, as_json: bool) -> None:
    """Run every test_* rule in every *_test package.

    Exit 0 when all pass, 1 when any fails, 4 when a policy does not compile.

    \b
    Example:
        macip-gov policy test -v
    """
    from ..policytools import run_policy_tests

    report = run_policy_tests(settings.policy_set(), timeout=settings.timeout)
    if as_json:
        echo_json(report)
    else:
        for line in report.lines(verbose=verbose):
            click.echo(line)
    raise SystemExit(report.exit_code)


@policy.command(name="check")
@_policy_dir_options
@json_option
def check_cmd(settings: Settings, as_json: bool) -> None:
    """Parse and compile every policy; report errors with file and line.

    \b
    Example:
        macip-gov policy check --policies policies/
    """
    from ..policytools import check_policies

    report = check_policies(settings.policy_set())
    if as_json:
        echo_json(report)
    else:
        click.echo(
            f"ok: {report.modules} modules, {report.data_documents} data documents compiled "
            f"(revision {report.revision[:12]})"
        )


@policy.command(name="eval")
@click.argument("entrypoint")
@_policy_dir_options
@click.option(
    "--input",
    "input_path",
    type=click.Path(allow_dash=True, dir_okay=False, path_type=Path),
    help="Input document, JSON or YAML ('-' for stdin).",
)
@json_option
def eval_cmd(settings: Settings, entrypoint: str, input_path: Path | None, as_json: bool) -> None:
    """Evaluate a dotted ENTRYPOINT (e.g. oia.grounds.decision), like `opa eval`.

    An undefined result is an error (exit 4), never an empty answer.

    \b
    Example:
        echo '{"grounds": ["6(c)"]}' | macip-gov policy eval oia.grounds.decision --input -
    """
    from ..inputs import load_document

    document = load_document(input_path) if input_path is not None else None
    engine = settings.engine(tests=True)  # like `opa eval`: the test packages can be evaluated too
    result = engine.evaluate(entrypoint, document)
    if as_json:
        click.echo(json.dumps({"result": result, "policy_revision": engine.revision}, sort_keys=True))
    else:
        click.echo(json.dumps(result, indent=2, sort_keys=True))


@policy.command(name="bundle")
@_policy_dir_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .tar.gz bundle to write.",
)
@json_option
def bundle_cmd(settings: Settings, output: Path, as_json: bool) -> None:
    """Write an OPA bundle that `opa run --server --bundle FILE` serves unchanged.

    \b
    Example:
        macip-gov policy bundle -o dist/macip-policies.tar.gz
    """
    from ..bundle import write_bundle
    from ..policytools import check_policies

    policy_set = settings.policy_set()
    check_policies(policy_set)  # never ship a bundle that does not compile
    manifest = write_bundle(policy_set, output)
    if as_json:
        echo_json({"path": str(output), "manifest": manifest})
    else:
        click.echo(f"wrote {output} (revision {str(manifest['revision'])[:12]}, roots {', '.join(manifest['roots'])})")  # type: ignore[arg-type]
