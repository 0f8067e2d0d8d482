"""Plain-text views of decisions, explanations and the decision log, for a terminal and a privacy officer."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

from .models import Decision, DisclosureRequest, Explanation, Explanations

if TYPE_CHECKING:
    from .batch import Checked
    from .log import LogRecord, VerifyReport
    from .run import CheckSummary

WIDTH = 100

_STATUS = {"holds": "holds", "does_not_hold": "does not hold", "not_engaged": "not engaged", "uncertain": "uncertain"}


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )  # fmt: skip


def _block(label: str, items: list[str]) -> list[str]:
    pad = " " * 14
    lines = []
    for i, item in enumerate(items):
        first = f"  {label + ':':<12}" if i == 0 else pad
        lines.append(_wrap(item, pad, first))
    return lines


def outcome_label(outcome: str) -> str:
    """``allow_with_conditions`` -> ``ALLOW WITH CONDITIONS``."""
    return outcome.replace("_", " ").upper()


def decision_lines(decision: Decision) -> list[str]:
    """The body of a decision: both verdicts, basis, conditions, reasons and PIA flow, one item per line."""
    legal, programme = decision.legal, decision.programme
    verdict = legal.verdict.value + (" (urgent)" if decision.urgent else "")
    if legal.missing:
        verdict += f"; supply: {', '.join(legal.missing)}"
    covered = "covered" if programme.covered else "not covered"
    lines = _block("Legal", [verdict])
    lines += _block("Programme", [f"{covered}; route {programme.route or 'none'}; row {decision.row}"])
    lines += _block("Basis", decision.legal_basis or ["none"])
    if decision.conditions:
        lines += _block("Conditions", [f"{c.text} [{c.authority}]" for c in decision.conditions])
    lines += _block("Reasons", decision.reasons or ["none given"])
    lines += _block("PIA flow", [decision.pia_flow or "none"])
    return lines


def render_decision(decision: Decision, request: DisclosureRequest | None = None) -> str:
    """A decision for the terminal: id, outcome and route, then basis, conditions and reasons."""
    route = f"  {request.from_agency} -> {request.to_agency}" if request is not None else ""
    return "\n".join([f"{decision.id}  {outcome_label(decision.outcome.value)}{route}", *decision_lines(decision)])


def render_explanation(explanation: Explanation) -> str:
    """A decision with its reasoning, readable by a privacy officer."""
    r, d, row = explanation.request, explanation.decision, explanation.row
    subject = r.subject
    where = "an overseas recipient" if r.overseas else "within New Zealand"
    lines = [
        f"Disclosure {r.id}: {r.from_agency} -> {r.to_agency}",
        _wrap(f"Information: {', '.join(c.value for c in r.categories)}", "    ", "  "),
        f"  Purpose:     {r.purpose.value} (programme tier {r.risk_level.value}), {where}",
        f"  Person:      age {subject.age}, {'a' if subject.macip_participant else 'not a'} MACIP participant, "
        f"consent {subject.consent.value}",
    ]
    if r.threat is not None:
        t = r.threat
        can_act = {True: "can act", False: "cannot act", None: "can act: not stated"}[t.recipient_can_act]
        factors = ", ".join(f"{name} {v.value if v else 'not stated'}" for name, v in (
            ("likelihood", t.likelihood), ("severity", t.severity), ("imminence", t.imminence)
        ))  # fmt: skip
        lines.append(_wrap(f"Threat:      to {t.to.value}; {factors}; recipient {can_act}", "               ", "  "))
    if r.claimed_basis:
        lines.append(_wrap(f"Claimed:     {'; '.join(r.claimed_basis)}", "               ", "  "))
    when = ", ".join(f"{k} {json.dumps(v) if isinstance(v, bool) else v}" for k, v in sorted(row.when.items())) or "any"
    lines += [
        "",
        f"Decision: {outcome_label(d.outcome.value)}",
        f"  Verdicts:   legal {d.legal.verdict.value}; programme {'covered' if d.programme.covered else 'not covered'}"
        f"; {'urgent' if d.urgent else 'not urgent'}",
        _wrap(
            f"Outcome table row {row.id} ({when}): {row.outcome.value}; {row.why}", "              ", "  Row:        "
        ),
    ]
    if d.legal.missing:
        lines += _block("Supply", d.legal.missing)
    lines += [*decision_lines(d), "", "How it was decided"]
    for number, regime in enumerate(explanation.regimes, start=1):
        verdict = "applies" if regime.applies else "does not apply"
        lines.append("")
        lines.append(_wrap(f"{number}. {regime.regime}: {verdict}; {_sentence(regime.why)}", "   ", ""))
        for f in regime.considered:
            lines.append(f"   [{_STATUS[f.status]}] {f.provision}")
            if f.title:
                lines.append(_wrap(f.title, "      "))
            lines.append(_wrap(f"Here: {_sentence(f.why)}", "      "))
            if f.fact:
                lines.append(_wrap(f"Deciding fact: {f.fact}", "      "))
    programme = [v for v in d.violations if not v.id.startswith(("privacy.", "sharing.decision."))]
    lines += ["", "Programme checks (sharing matrix, proportionality, PIA flows)"]
    if programme:
        lines += [_wrap(f"[{v.effect}] {v.msg}", "      ", "   ") for v in programme]
    elif d.programme.covered:
        lines.append(f"   covered: PIA flow {d.pia_flow}, route {d.programme.route}")
    else:
        lines.append("   not covered (the outcome table does not need the programme's review for this row)")
    return "\n".join(lines)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    return text if text.endswith((".", "?", "!")) else text + "."


def checked_text(checked: Checked) -> str:
    """A decided request as :func:`render_decision` shows it, followed by a blank line."""
    decision = Decision.model_validate_json(checked.entry.decision_json)
    request = DisclosureRequest.model_validate_json(checked.entry.request_json)
    return render_decision(decision, request) + "\n"


def summary_text(summary: CheckSummary) -> str:
    """``3 requests: 1 allow, 2 deny``, then the invalid requests and where the decisions were logged."""
    from .batch import summarise

    text = summarise(summary.outcomes)
    if summary.invalid:
        text += f"; {summary.invalid} invalid (not decided)"
    if not summary.logged:
        text += "; not logged"
    elif summary.rows is not None:
        text += f"; logged to {summary.log} (rows {summary.rows[0]}-{summary.rows[1]})"
    return text


def explanations_text(report: Explanations) -> str:
    """Every explanation, a blank line between two."""
    return "\n\n".join(render_explanation(e) for e in report.explanations)


def log_row_line(record: LogRecord) -> str:
    """One logged decision on a line: sequence, time, user, request and outcome."""
    return f"{record.seq:>6}  {record.recorded_at}  {record.user:<12} {record.request_id:<24} {record.outcome}"


def log_record_text(record: LogRecord) -> str:
    """One logged decision in full: the row, its hashes, the request and the decision as JSON."""
    return "\n".join([
        f"Row {record.seq}, recorded {record.recorded_at} by {record.user}",
        f"Request {record.request_id}: {record.outcome} (policy revision {record.policy_revision[:12]})",
        f"Hash {record.hash}",
        f"Previous {record.prev_hash}",
        "Request:",
        json.dumps(record.request, indent=2, sort_keys=True, ensure_ascii=False),
        "Decision:",
        json.dumps(record.decision, indent=2, sort_keys=True, ensure_ascii=False),
    ])  # fmt: skip


def verify_text(report: VerifyReport) -> str:
    """Whether the chain is intact and its head, or the first row that fails and why."""
    if report.ok:
        head = f"head {report.head} (row {report.rows})" if report.head else "empty"
        signed = ""
        if report.checkpoints:
            how = "signatures hold" if report.signed else "signatures not checked: pass --public-key"
            signed = f"\n{report.checkpoints} checkpoints in the chain ({how})"
        return f"ok: {report.rows} rows, chain intact; {head}{signed}"
    if report.bad_checkpoint is not None:
        return f"FAILED at checkpoint {report.bad_checkpoint}: {report.problem}"
    return f"FAILED at row {report.first_bad_row}: {report.problem}\n{report.rows} rows intact before it"


__all__ = [
    "checked_text",
    "decision_lines",
    "explanations_text",
    "log_record_text",
    "log_row_line",
    "outcome_label",
    "render_decision",
    "render_explanation",
    "summary_text",
    "verify_text",
]
