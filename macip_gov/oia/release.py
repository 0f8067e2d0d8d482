"""OIA release packages: check a manifest against the release policy, then write the release.

:func:`check_release` reads the manifest and the marked-up originals it names,
computes the statutory dates, and asks the release policy (``oia.release.decision``)
for violations and warnings; it writes nothing. :func:`build_release` does the same
and, when the policy finds no violation, writes the redacted documents, the schedule
of documents and the decision letter (each as Markdown, HTML and DOCX) and
``release.json``, which records the grounds per document, the counts, the deadline,
the policy revision and the SHA-256 of every artefact.

Nothing is written unless everything rendered: documents, schedule and letter are
produced in memory first.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PolicyError
from .deadlines import compute_deadline, working_days_after
from .manifest import Document, DocumentDecision, Manifest, load_manifest

ENTRYPOINT = "oia.release.decision"
LETTER_TEMPLATE = "oia_letter.md.j2"
SCHEDULE_TEMPLATE = "oia_schedule.md.j2"
FORMATS = ("md", "html", "docx")

_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve"]


class Violation(BaseModel):
    """One finding of the release policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="The rule's stable id, e.g. oia.release.public_interest_missing.")
    severity: str = Field(description="error (blocks the release) or warning.")
    message: str = Field(description="What is wrong, in a sentence.")
    document: str | None = Field(default=None, description="The document's id, when the finding is about one.")
    number: int | None = Field(default=None, description="The document's number in the schedule.")
    citation: str | None = Field(default=None, description="The provision concerned, e.g. 9(2)(a).")
    line: int | None = Field(default=None, description="Line in the marked-up original, where known.")


class DeadlineStatus(BaseModel):
    """The request's statutory dates and whether the decision met them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    received: date = Field(description="Day the request was first received.")
    transferred: date | None = Field(default=None, description="Day it was received on transfer (s 14).")
    transfer_by: date = Field(description="s 14 limit for a transfer.")
    due: date = Field(description="s 15(1) due date.")
    extended_due: date | None = Field(default=None, description="s 15A extended due date.")
    final_due: date = Field(description="The binding due date.")
    decided: date = Field(description="Day of the decision.")
    working_days_late: int = Field(description="Working days after final_due the decision was made (0 if on time).")
    status: str = Field(description="'on time' or 'late'.")


class CheckReport(BaseModel):
    """What the release policy says about a manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    manifest: str = Field(description="The manifest checked.")
    ok: bool = Field(description="True when there is no violation (warnings allowed).")
    violations: list[Violation] = Field(description="Findings that block the release.")
    warnings: list[Violation] = Field(description="Findings to consider.")
    deadline: DeadlineStatus = Field(description="The statutory dates.")
    policy_revision: str = Field(description="Hash of the policy set that decided.")


class ReleaseReport(BaseModel):
    """The outcome of building a release."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: CheckReport = Field(description="The policy check the release passed (or failed).")
    written: bool = Field(description="Whether the release was written.")
    directory: str = Field(description="The output directory.")
    artefacts: dict[str, str] = Field(
        default_factory=dict, description="Each file written (relative path) and its SHA-256."
    )


class _Prepared:
    """A manifest with its originals parsed and its policy input built."""

    def __init__(self, path: Path, manifest: Manifest, marked: dict[str, Any], grounds_order: list[str]):
        self.path = path
        self.manifest = manifest
        self.marked = marked
        self.grounds_order = grounds_order
        self.numbers = {doc.key: i for i, doc in enumerate(manifest.documents, start=1)}


def _statute_order(order: list[str]) -> Any:
    index = {g: i for i, g in enumerate(order)}
    return lambda g: (index.get(g, len(index)), g)


def _prepare(path: Path | str, engine: Any) -> _Prepared:
    from .markup import parse_markup

    path = Path(path)
    manifest = load_manifest(path)
    base = path.parent
    marked: dict[str, Any] = {}
    from ..inputs import read_text

    for doc in manifest.documents:
        if doc.path is not None and doc.decision.releases_text:
            source = base / doc.path
            marked[doc.key] = parse_markup(read_text(source), str(source))
    data = engine.policy_set.data.get("oia.grounds", {})
    order = list(data.get("grounds", {})) if isinstance(data, dict) else []
    return _Prepared(path, manifest, marked, order)


def _doc_grounds(prepared: _Prepared, doc: Document) -> list[str]:
    """Every ground a document relies on, in statute order."""
    found = set(doc.grounds)
    marked = prepared.marked.get(doc.key)
    if marked is not None:
        for span in marked.spans:
            if span.kind == "withhold":
                found.update(span.grounds)
    return sorted(found, key=_statute_order(prepared.grounds_order))


def _used_grounds(prepared: _Prepared) -> list[str]:
    found: set[str] = set()
    for doc in prepared.manifest.documents:
        found.update(_doc_grounds(prepared, doc))
    return sorted(found, key=_statute_order(prepared.grounds_order))


def _letter_grounds(prepared: _Prepared) -> list[str]:
    chosen = prepared.manifest.letter.grounds
    return list(chosen) if chosen is not None else _used_grounds(prepared)


def _deadline(manifest: Manifest) -> tuple[DeadlineStatus, bool | None]:
    request = manifest.request
    dates = compute_deadline(
        request.received,
        transferred=request.transferred,
        extended_by=request.extension.working_days if request.extension else None,
    )
    late = working_days_after(dates.final_due, request.decided)
    status = DeadlineStatus(
        received=dates.received,
        transferred=dates.transferred,
        transfer_by=dates.transfer_by,
        due=dates.due,
        extended_due=dates.extended_due,
        final_due=dates.final_due,
        decided=request.decided,
        working_days_late=late,
        status="late" if late > 0 else "on time",
    )
    return status, dates.transfer_in_time


def policy_input(prepared: _Prepared) -> dict[str, Any]:
    """The release as the policy sees it (JSON data)."""
    manifest = prepared.manifest
    status, transfer_in_time = _deadline(manifest)
    documents = []
    for doc in manifest.documents:
        marked = prepared.marked.get(doc.key)
        spans = []
        if marked is not None:
            spans = [
                {"kind": span.kind, "grounds": list(span.grounds), "line": span.line, "nested": False}
                for span in marked.spans
            ] + [
                {"kind": span.kind, "grounds": list(span.grounds), "line": span.line, "nested": True}
                for span in marked.nested
            ]
        pi = doc.public_interest
        documents.append({
            "number": prepared.numbers[doc.key],
            "id": doc.key,
            "title": doc.title,
            "decision": doc.decision.value,
            "grounds": list(doc.grounds),
            "public_interest": {
                "all": isinstance(pi, str) and bool(pi.strip()),
                "grounds": sorted(g for g, text in pi.items() if text.strip()) if isinstance(pi, dict) else [],
            },
            "spans": spans,
        })
    extension = manifest.request.extension
    statements = manifest.letter.statements
    return {
        "request": {
            "id": manifest.request.id,
            "extension": None if extension is None else {
                "ground": extension.ground,
                "working_days": extension.working_days,
                "notified": extension.notified.isoformat() if extension.notified else None,
            },
        },
        "documents": documents,
        "letter": {
            "grounds": _letter_grounds(prepared),
            "statements": {name: statements.present(name) for name in ("public_interest", "excerpts", "ombudsman")},
        },
        "deadline": {
            **status.model_dump(mode="json"),
            "transfer_in_time": transfer_in_time,
        },
    }


def _violations(results: Any, severity: str) -> list[Violation]:
    if not isinstance(results, list):
        raise PolicyError(f"{ENTRYPOINT} returned {severity} results that are not a set")
    out = []
    for item in results:
        try:
            details = item.get("details") or {}
            out.append(Violation(
                id=item["id"], severity=severity, message=item["msg"],
                document=details.get("document"), number=details.get("number"),
                citation=details.get("citation"), line=details.get("line") or None,
            ))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise PolicyError(f"{ENTRYPOINT} returned a malformed finding ({exc})") from None
    return sorted(out, key=lambda v: (v.number or 0, v.line or 0, v.id, v.citation or "", v.message))


def _check(prepared: _Prepared, engine: Any) -> CheckReport:
    document = policy_input(prepared)
    result = engine.evaluate(ENTRYPOINT, document)
    if not isinstance(result, dict) or "deny" not in result or "warn" not in result:
        raise PolicyError(f"{ENTRYPOINT} did not return deny and warn")
    violations = _violations(result["deny"], "error")
    warnings = _violations(result["warn"], "warning")
    status = DeadlineStatus.model_validate(
        {k: v for k, v in document["deadline"].items() if k in DeadlineStatus.model_fields}
    )
    return CheckReport(
        manifest=str(prepared.path), ok=not violations, violations=violations, warnings=warnings,
        deadline=status, policy_revision=engine.revision,
    )


def check_release(manifest: Path | str, engine: Any) -> CheckReport:
    """Run the release policy over a manifest and its marked-up originals; write nothing.

    Args:
        manifest: The manifest file (YAML or JSON).
        engine: A loaded policy engine.

    Returns:
        The violations, warnings and deadline status.

    Raises:
        InvalidInputError: The manifest or an original is unreadable or malformed.
        PolicyError: The policy failed; never reported as a pass.
    """
    return _check(_prepare(manifest, engine), engine)


# --------------------------------------------------------------------------- rendering


def _sections(ids: list[str]) -> str:
    """'section 6(c)', 'sections 6(c) and 9(2)(a)', 'sections 6(c), 9(2)(a) and 9(2)(g)(i)'."""
    if not ids:
        return ""
    if len(ids) == 1:
        return f"section {ids[0]}"
    return f"sections {', '.join(ids[:-1])} and {ids[-1]}"


def _count_words(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _statement(value: bool | str) -> str | None:
    if value is True:
        return "standard"
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _attachment_note(doc: Document, grounds: list[str]) -> str:
    if doc.note:
        return doc.note
    if doc.decision is DocumentDecision.WITHHELD_IN_FULL:
        return f"{doc.title} attached to it has been withheld in full under {_sections(grounds)} of the OIA"
    if doc.decision is DocumentDecision.REFUSED:
        return f"the request for {doc.title} attached to it is refused under {_sections(grounds)} of the OIA"
    return f"{doc.title} attached to it is also enclosed"


def _context(prepared: _Prepared, engine: Any, redacted: dict[str, Any]) -> dict[str, Any]:
    manifest = prepared.manifest
    request = manifest.request
    grounds_data = engine.policy_set.data["oia.grounds"]["grounds"]
    labels = {k: v["label"] for k, v in engine.policy_set.data["oia.release"]["decisions"].items()}
    attachments: dict[str, list[Document]] = {}
    for doc in manifest.documents:
        if doc.attached_to:
            attachments.setdefault(doc.attached_to, []).append(doc)

    def entry(doc: Document) -> dict[str, Any]:
        grounds = _doc_grounds(prepared, doc)
        red = redacted.get(doc.key)
        return {
            "number": prepared.numbers[doc.key],
            "id": doc.key,
            "title": doc.title,
            "date": doc.date,
            "reference": doc.reference,
            "decision": doc.decision.value,
            "decision_label": labels.get(doc.decision.value, doc.decision.value),
            "grounds": grounds,
            "sections": _sections(grounds),
            "note": doc.note,
            "attachment_notes": [_attachment_note(a, _doc_grounds(prepared, a)) for a in attachments.get(doc.key, [])],
            "withheld": red.withheld if red is not None else 0,
        }

    top = [doc for doc in manifest.documents if not doc.attached_to]
    enclosed = [entry(d) for d in top if d.decision in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART)]
    withheld = [entry(d) for d in top if d.decision is DocumentDecision.WITHHELD_IN_FULL]
    refused = [entry(d) for d in top if d.decision is DocumentDecision.REFUSED]
    excerpts = [entry(d) for d in manifest.documents if d.decision is DocumentDecision.EXCERPTS]
    letter_grounds = _letter_grounds(prepared)
    explanations = manifest.letter.explanations
    excerpt_grounds: set[str] = set()
    for d in manifest.documents:
        if d.decision is DocumentDecision.EXCERPTS:
            excerpt_grounds.update(_doc_grounds(prepared, d))
    withholding = [g for g in letter_grounds if g in grounds_data]
    s9 = any(grounds_data[g].get("public_interest_test") for g in withholding)
    statements = manifest.letter.statements
    return {
        "request": {
            "id": request.id,
            "requester": request.requester,
            "contact": request.contact,
            "agency": request.agency,
            "subject": request.subject,
            "sought": request.sought,
            "received": request.received,
            "transferred": request.transferred,
            "transferred_from": request.transferred_from,
            "decided": request.decided,
            "extension": None if request.extension is None else {
                "working_days": request.extension.working_days,
                "ground": request.extension.ground,
                "reason": request.extension.reason,
            },
        },
        "decision_maker": {"name": request.decision_maker.name, "title": request.decision_maker.title},
        "letterhead": manifest.letter.letterhead,
        "salutation": manifest.letter.salutation or f"Dear {request.requester}",
        "enclosed": enclosed,
        "enclosed_count": _count_words(len(enclosed)),
        "withheld": withheld,
        "refused": refused,
        "excerpts": excerpts,
        "excerpts_count": _count_words(len(excerpts)),
        "excerpt_sections": _sections(sorted(excerpt_grounds, key=_statute_order(prepared.grounds_order))),
        "grounds": [
            {
                "id": g,
                "description": grounds_data.get(g, {}).get("description", ""),
                "explanation": explanations.get(g),
            }
            for g in withholding
        ],
        "s9_used": s9,
        "statements": {
            "public_interest": _statement(statements.public_interest) if s9 else None,
            "excerpts": _statement(statements.excerpts) if excerpts else None,
            "ombudsman": _statement(statements.ombudsman),
        },
        "closing": manifest.letter.closing,
        "sign_off": manifest.letter.sign_off,
        "schedule": [entry(d) for d in manifest.documents],
    }


def _excerpts_markdown(context: dict[str, Any], redacted: dict[str, Any]) -> str:
    from ..render import md_escape, nzdate

    parts = [f"# Excerpts relating to {md_escape(context['request']['subject'])}\n"]
    for item in context["excerpts"]:
        ref = f"{md_escape(item['reference'])} " if item["reference"] else ""
        parts.append(f"## Excerpt from {ref}{md_escape(item['title'])} (dated {nzdate(item['date'])})\n")
        parts.append(redacted[item["id"]].markdown.rstrip("\n") + "\n")
    return "\n".join(parts)


def _render_all(markdown: str, title: str) -> dict[str, bytes]:
    from ..render import render_document

    return {fmt: render_document(markdown, fmt, title=title) for fmt in FORMATS}


def build_release(
    manifest: Path | str, out_dir: Path | str, engine: Any, *, style: str | None = None,
    templates_dir: Path | str | None = None,
) -> ReleaseReport:
    """Check a manifest and, if the policy finds no violation, write the release.

    Args:
        manifest: The manifest file.
        out_dir: Directory to write into (created if needed).
        engine: A loaded policy engine.
        style: Redaction marker template (the redaction module's default when None).
        templates_dir: Where the letter and schedule templates are; the bundled ones by default.

    Returns:
        The check, and the artefacts written with their SHA-256 (none when the check failed).

    Raises:
        InvalidInputError: The manifest or an original is unreadable or malformed.
        PolicyError: The policy engine failed.
        TemplateError: A template is missing or failed.
    """
    from ..render import atomic_write, render_template
    from .redact import redact_document

    prepared = _prepare(manifest, engine)
    report = _check(prepared, engine)
    out = Path(out_dir)
    if not report.ok:
        return ReleaseReport(check=report, written=False, directory=str(out))

    redacted: dict[str, Any] = {}
    for doc in prepared.manifest.documents:
        marked = prepared.marked.get(doc.key)
        if marked is not None:
            redacted[doc.key] = (
                redact_document(marked, engine) if style is None else redact_document(marked, engine, style=style)
            )
    context = _context(prepared, engine, redacted)

    files: dict[str, bytes] = {}
    for doc in prepared.manifest.documents:
        if doc.decision in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART):
            stem = f"documents/{prepared.numbers[doc.key]:02d}-{doc.key}"
            for fmt, payload in _render_all(redacted[doc.key].markdown, doc.title).items():
                files[f"{stem}.{fmt}"] = payload
    if context["excerpts"]:
        title = f"Excerpts relating to {prepared.manifest.request.subject}"
        for fmt, payload in _render_all(_excerpts_markdown(context, redacted), title).items():
            files[f"documents/excerpts.{fmt}"] = payload
    schedule_md = render_template(SCHEDULE_TEMPLATE, context, templates_dir)
    for fmt, payload in _render_all(schedule_md, f"Schedule of documents: {prepared.manifest.request.id}").items():
        files[f"schedule.{fmt}"] = payload
    letter_md = render_template(LETTER_TEMPLATE, context, templates_dir)
    for fmt, payload in _render_all(letter_md, f"Decision on OIA request {prepared.manifest.request.id}").items():
        files[f"letter.{fmt}"] = payload

    artefacts = {name: hashlib.sha256(payload).hexdigest() for name, payload in sorted(files.items())}
    record = _release_record(prepared, context, report, redacted, artefacts)
    for name, payload in files.items():
        atomic_write(out / name, payload)
    atomic_write(out / "release.json", (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return ReleaseReport(check=report, written=True, directory=str(out), artefacts=artefacts)


def _release_record(
    prepared: _Prepared, context: dict[str, Any], report: CheckReport, redacted: dict[str, Any],
    artefacts: dict[str, str],
) -> dict[str, Any]:
    manifest = prepared.manifest
    counts: dict[str, int] = {d.value: 0 for d in DocumentDecision}
    documents = []
    for doc in manifest.documents:
        counts[doc.decision.value] += 1
        red = redacted.get(doc.key)
        stem = f"documents/{prepared.numbers[doc.key]:02d}-{doc.key}."
        own = [name for name in artefacts if name.startswith(stem)]
        if doc.decision is DocumentDecision.EXCERPTS:
            own = [name for name in artefacts if name.startswith("documents/excerpts.")]
        documents.append({
            "number": prepared.numbers[doc.key],
            "id": doc.key,
            "title": doc.title,
            "date": doc.date.isoformat(),
            "decision": doc.decision.value,
            "grounds": _doc_grounds(prepared, doc),
            "passages_withheld": red.withheld if red is not None else 0,
            "passages_out_of_scope": red.out_of_scope if red is not None else 0,
            "public_interest_recorded": bool(doc.public_interest),
            "attached_to": doc.attached_to,
            "artefacts": sorted(own),
        })
    return {
        "request": {
            "id": manifest.request.id,
            "requester": manifest.request.requester,
            "agency": manifest.request.agency,
            "decided": manifest.request.decided.isoformat(),
        },
        "documents": documents,
        "grounds": _used_grounds(prepared),
        "letter_grounds": [g["id"] for g in context["grounds"]],
        "counts": {
            "documents": len(manifest.documents),
            **counts,
            "passages_withheld": sum(d["passages_withheld"] for d in documents),
            "passages_out_of_scope": sum(d["passages_out_of_scope"] for d in documents),
        },
        "deadline": report.deadline.model_dump(mode="json"),
        "warnings": [w.model_dump(mode="json") for w in report.warnings],
        "policy_revision": report.policy_revision,
        "artefacts": artefacts,
    }


__all__ = [
    "CheckReport",
    "DeadlineStatus",
    "ReleaseReport",
    "Violation",
    "build_release",
    "check_release",
    "policy_input",
]
