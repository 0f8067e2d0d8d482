"""The PIA report in Markdown, HTML or DOCX, with a 4x4 risk matrix.

The report is one Markdown document rendered from ``templates/pia_report.md.j2``.
Markdown and DOCX show the risk matrix as tables; HTML shows it as a coloured
grid built here, in which every value is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from ..engine import PolicyEngine
from ..render import md_cell, render_document
from .check import PiaValidation, validate_path
from .models import Pia
from .validation import CATEGORY_LABELS, IPP_TITLES, PURPOSE_LABELS

TEMPLATE = "pia_report.md.j2"

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely"}
CONSEQUENCE = {1: "Minor", 2: "Moderate", 3: "Major", 4: "Severe"}
COLOURS = {"low": "#9ed8a9", "medium": "#ffe28a", "high": "#f8ad6a", "extreme": "#e4676b"}

_MATRIX_CSS = """
.risk-matrices { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1rem 0; }
table.risk-matrix { width: auto; border-collapse: collapse; }
table.risk-matrix caption { font-weight: bold; text-align: left; padding-bottom: .3rem; }
table.risk-matrix th { font-weight: normal; font-size: .85rem; }
table.risk-matrix td { width: 6.5rem; height: 3.2rem; text-align: center; vertical-align: middle; }
table.risk-matrix td .rating { display: block; font-size: .75rem; text-transform: uppercase; opacity: .75; }
table.risk-matrix td .ids { display: block; font-weight: bold; }
"""


def placements(pia: Pia, which: str) -> dict[tuple[int, int], list[str]]:
    """Active risk ids by (likelihood, consequence), inherent or residual.

    Args:
        pia: The assessment.
        which: ``inherent`` or ``residual``.
    """
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in pia.risks:
        if not risk.active:
            continue
        if which == "inherent":
            key = (risk.likelihood, risk.consequence)
        else:
            key = (risk.residual_likelihood, risk.residual_consequence)
        cells.setdefault(key, []).append(risk.id)
    return cells


def matrix_markdown(pia: Pia, matrix: list[list[str]]) -> str:
    """Both matrices as Markdown tables (likelihood rows from 4 down, consequence columns)."""
    out = []
    for which in ("inherent", "residual"):
        cells = placements(pia, which)
        out.append(f"**{which.capitalize()} risk**\n")
        out.append("| Likelihood \\\\ Consequence | " + " | ".join(f"{c} {CONSEQUENCE[c]}" for c in range(1, 5)) + " |")
        out.append("| --- | --- | --- | --- | --- |")
        for lik in range(4, 0, -1):
            row = [f"{lik} {LIKELIHOOD[lik]}"]
            for con in range(1, 5):
                ids = ", ".join(cells.get((lik, con), []))
                rating = matrix[lik - 1][con - 1]
                row.append(md_cell(f"{rating}: {ids}" if ids else rating))
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n")


def matrix_html(pia: Pia, matrix: list[list[str]]) -> str:
    """Both matrices as coloured HTML grids; every value is escaped."""
    esc = html.escape
    parts = ['<div class="risk-matrices">']
    for which in ("inherent", "residual"):
        cells = placements(pia, which)
        parts.append(f'<table class="risk-matrix risk-matrix-{esc(which)}">')
        parts.append(f"<caption>{esc(which.capitalize())} risk</caption>")
        parts.append("<tr><th>Likelihood \\ Consequence</th>")
        parts.extend(f"<th>{esc(f'{c} {CONSEQUENCE[c]}')}</th>" for c in range(1, 5))
        parts.append("</tr>")
        for lik in range(4, 0, -1):
            parts.append(f"<tr><th>{esc(f'{lik} {LIKELIHOOD[lik]}')}</th>")
            for con in range(1, 5):
                rating = matrix[lik - 1][con - 1]
                colour = COLOURS.get(rating, "#ffffff")
                ids = ", ".join(cells.get((lik, con), []))
                parts.append(
                    f'<td class="rating-{esc(rating)}" style="background:{esc(colour)}">'
                    f'<span class="rating">{esc(rating)}</span><span class="ids">{esc(ids)}</span></td>'
                )
            parts.append("</tr>")
        parts.append("</table>")
    parts.append("</div>\n")
    return "\n".join(parts)


def report_context(pia: Pia, validation: PiaValidation, matrix: str) -> dict[str, Any]:
    """The values the report template reads."""
    return {
        "p": pia.model_dump(mode="json"),
        "agencies": {a.id: a.name for a in pia.project.agencies},
        "ipp_titles": {k.value: v for k, v in IPP_TITLES.items()},
        "category_labels": {k.value: v for k, v in CATEGORY_LABELS.items()},
        "purpose_labels": {k.value: v for k, v in PURPOSE_LABELS.items()},
        "ratings": {k: v.model_dump() for k, v in validation.ratings.items()},
        "matrix": matrix,
        "validation": validation.model_dump(mode="json"),
        "status": {
            "label": validation.signoff.label,
            "state": validation.signoff.state.value,
            "content_hash": validation.content_hash,
            "based_on": pia.based_on_revision,
        },
        "labels": {"likelihood": LIKELIHOOD, "consequence": CONSEQUENCE},
    }


def report_markdown(pia: Pia, validation: PiaValidation, *, templates_dir: Path | str | None = None) -> str:
    """The report as Markdown, with the matrices as tables."""
    from ..render import render_template

    context = report_context(pia, validation, matrix_markdown(pia, validation.rating_matrix))
    return render_template(TEMPLATE, context, templates_dir)


def render_report(
    pia: Pia,
    validation: PiaValidation,
    fmt: str,
    *,
    templates_dir: Path | str | None = None,
) -> bytes:
    """Render the report as ``md``, ``html``, ``docx`` or ``pdf`` (the HTML page on A4).

    The document is marked DRAFT unless the PIA is signed off and unchanged since.

    Raises:
        TemplateError: The template is missing or failed.
        InvalidInputError: Unknown format.
    """
    from ..render import html_page, markdown_parser, render_template

    draft = validation.signoff.state.value != "current"
    if fmt not in ("html", "pdf"):
        return render_document(
            report_markdown(pia, validation, templates_dir=templates_dir), fmt, title=pia.title, draft=draft
        )
    # The grid goes where the template puts the matrix: render around a marker that
    # no PIA text can contain (a fresh random token).
    marker = f"RISKMATRIX{secrets.token_hex(16)}"
    markdown = render_template(TEMPLATE, report_context(pia, validation, marker), templates_dir)
    before, _, after = markdown.partition(marker)
    parser = markdown_parser()
    body = parser.render(before) + matrix_html(pia, validation.rating_matrix) + parser.render(after)
    page = html_page(body, title=pia.title, draft=draft, extra_css=_MATRIX_CSS)
    if fmt == "pdf":
        from ..render_pdf import html_to_pdf

        return html_to_pdf(page)
    return page.encode("utf-8")


def render_path(
    path: Path | str,
    output: Path | str,
    engine: PolicyEngine,
    *,
    fmt: str | None = None,
    today: date,
    templates_dir: Path | str | None = None,
    history: Path | str | None = None,
) -> PiaValidation:
    """Validate the PIA at ``path`` (its history verified, as ``pia validate``) and write its report atomically.

    A history that does not verify, or a sign-off it does not record, is a violation
    in the report's rules check and the report is marked DRAFT.

    Args:
        path: PIA directory or file.
        output: Report file; the format comes from ``fmt`` or its suffix.
        engine: Loaded policy engine (gives the ratings and the rules check).
        fmt: ``md``, ``html``, ``docx`` or ``pdf``.
        today: Date for the rules check.
        templates_dir: Template directory (default: bundled templates).
        history: The history folder or ``postgresql://`` URL (default ``history/`` beside the PIA).

    Returns:
        The validation the report shows.
    """
    from ..files import atomic_write
    from ..render import format_for
    from .store import load_pia, resolve

    chosen = format_for(output, fmt)
    pia = load_pia(resolve(path).working)
    validation = validate_path(path, engine, today=today, history=history)
    atomic_write(output, render_report(pia, validation, chosen, templates_dir=templates_dir))
    return validation
