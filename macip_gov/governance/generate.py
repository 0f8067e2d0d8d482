"""Generating a Terms of Reference document (Markdown, HTML or Word) from a checked spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode
from ..render import format_for, render_template, write_document
from .check import LoadedSpec, TorDecision, current_pia_id, evaluate_specs, load_specs
from .models import Violation

if TYPE_CHECKING:
    from ..engine import PolicyEngine

TEMPLATE = "tor.md.j2"


class GeneratedTor(BaseModel):
    """What :func:`generate_tor` wrote, or why it refused to write."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec: str = Field(description="The spec file.")
    path: str = Field(description="The document to write (left as it was when refused).")
    format: str = Field(description="md, html, docx or pdf.")
    body: str = Field(description="The body's id.")
    name: str = Field(description="The body's name.")
    version: str = Field(description="The version of the Terms of Reference.")
    draft: bool = Field(description="True when every page is marked DRAFT.")
    written: bool = Field(description="False when the spec has violations and no draft was asked for.")
    violations: list[Violation] = Field(description="Violations: those a draft still carries, or why it was refused.")
    warnings: list[Violation] = Field(description="Warnings from the check.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when the document was written, DENIED when the spec was refused."""
        return ExitCode.OK if self.written else ExitCode.DENIED


def document_title(name: str) -> str:
    """The title of a body's Terms of Reference document."""
    return f"{name}: Terms of Reference"


def tor_context(loaded: LoadedSpec, decision: TorDecision, *, draft: bool) -> dict[str, Any]:
    """The template's values for one spec: the spec as JSON data plus names from the policy.

    Args:
        loaded: The spec.
        decision: The check of the spec, with agency and body-type names.
        draft: Whether the document is a draft (drafts list outstanding violations).

    Returns:
        Template context.
    """
    spec = loaded.spec
    body = next(b for b in decision.check.bodies if b.body == spec.id)
    return {
        "spec": spec.model_dump(mode="json"),
        "body_type": decision.body_types.get(spec.type.value, spec.type.value),
        "agencies": decision.agencies,
        "programme": decision.programme,
        "voting_members": sum(1 for m in spec.members if m.voting),
        "draft": draft,
        "issues": [v.model_dump(mode="json") for v in body.violations] if draft else [],
    }


def render_tor_markdown(
    loaded: LoadedSpec,
    decision: TorDecision,
    *,
    draft: bool = False,
    templates_dir: Path | str | None = None,
) -> str:
    """Render a spec's Terms of Reference as Markdown.

    Args:
        loaded: The spec.
        decision: Its check.
        draft: Whether the document is a draft.
        templates_dir: Template directory; the bundled templates by default.

    Returns:
        The Markdown document (without the DRAFT banner, which the writer adds).

    Raises:
        TemplateError: The template is missing or failed.
    """
    return render_template(TEMPLATE, tor_context(loaded, decision, draft=draft), templates_dir)


def generate_tor(
    spec_path: Path | str,
    output: Path | str,
    *,
    engine: PolicyEngine,
    pia_dir: Path | str | None,
    fmt: str | None = None,
    draft: bool = False,
    templates_dir: Path | str | None = None,
) -> GeneratedTor:
    """Check a spec and write its Terms of Reference document.

    A spec with violations is refused (nothing is written, ``written`` is False)
    unless ``draft`` is set, in which case every page is marked DRAFT and the
    outstanding violations are listed.

    Args:
        spec_path: The spec file (a working group's governance group is read
            from ``authority.reports_to.spec``).
        output: The document to write.
        engine: A loaded policy engine.
        pia_dir: Directory holding the programme's ``macip.yaml`` PIA.
        fmt: ``md``, ``html`` or ``docx``; from the output's suffix when None.
        draft: Mark DRAFT and allow violations.
        templates_dir: Template directory; the bundled templates by default.

    Returns:
        What was written, or the violations it was refused for.

    Raises:
        InvalidInputError: The spec or PIA is invalid, or the format unknown.
        PolicyError: The engine failed.
        TemplateError: The template failed.
    """
    chosen = format_for(output, fmt)
    specs = load_specs([spec_path])
    loaded = specs.checked[0]
    decision = evaluate_specs(engine, specs, current_pia_id(pia_dir))
    body = decision.check.bodies[0]
    problems = body.violations + decision.check.violations
    refused = bool(problems) and not draft
    path = Path(output)
    if not refused:
        markdown = render_tor_markdown(loaded, decision, draft=draft, templates_dir=templates_dir)
        path = write_document(markdown, output, chosen, title=document_title(loaded.spec.name), draft=draft)
    return GeneratedTor(
        spec=loaded.file,
        path=str(path),
        format=chosen,
        body=body.body,
        name=body.name,
        version=body.version,
        draft=draft,
        written=not refused,
        violations=problems,
        warnings=body.warnings,
    )
