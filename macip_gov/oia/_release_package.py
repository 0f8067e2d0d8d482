"""Building a release: checked, redacted, rendered, recorded and written whole."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, PolicyError
from ..results import Violation
from ._release_check import CheckReport, Prepared, check, doc_grounds, prepare, used_grounds
from ._release_folder import inputs, install, replaceable, target_folder
from ._review_folder import check_review_folder, review_files, review_folder, write_review
from .letter import LETTER_TEMPLATE, SCHEDULE_TEMPLATE, LetterContext, Wording, excerpts_markdown, letter_context
from .manifest import DocumentDecision

if TYPE_CHECKING:
    from ..render_pdf import LaidOut

FORMATS = ("md", "html", "docx", "pdf")

PDF_VERIFICATION_RULE = "oia.release.pdf_verification_failed"
"""A PDF original whose redaction did not pass the verification: nothing is written."""

RELEASE_PDF = "release.pdf"
"""The whole release in one PDF, in the order agencies publish it: letter, schedule, documents."""


class ReleaseReport(BaseModel):
    """The outcome of building a release."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: CheckReport = Field(description="The policy check the release passed (or failed).")
    written: bool = Field(description="Whether the release was written.")
    directory: str = Field(description="The output directory.")
    artefacts: dict[str, str] = Field(
        default_factory=dict, description="Each file written (relative path) and its SHA-256."
    )
    review_directory: str = Field(
        default="", description="Where the review copies went (NOT FOR RELEASE; never an artefact), if asked for."
    )

    @property
    def exit_code(self) -> ExitCode:
        """OK when the release was written, DENIED when the policy blocked it."""
        return ExitCode.OK if self.written else ExitCode.DENIED


def _render_all(
    markdown: str, title: str, boxed: str | None = None, *, created: date | None = None
) -> tuple[dict[str, bytes], LaidOut]:
    """Every format of one document, and its PDF pages (for ``release.pdf``).

    With ``boxed`` (markers tagged) HTML, DOCX and PDF draw redaction boxes; the PDF
    is the HTML page laid out, dated ``created``.
    """
    from ..render import render_document
    from ..render_pdf import layout, write_pdf

    files = {
        fmt: render_document(markdown, fmt, title=title)
        if boxed is None or fmt == "md"
        else render_document(boxed, fmt, title=title, redactions=True)
        for fmt in ("md", "html", "docx")
    }
    pages = layout(files["html"].decode("utf-8"))
    files["pdf"] = write_pdf([pages], created=created)
    return files, pages


def build_release(
    manifest: Path | str,
    out_dir: Path | str,
    engine: Any,
    *,
    style: str | None = None,
    templates_dir: Path | str | None = None,
    originals_root: Path | str | None = None,
    replace: bool = False,
    review: bool = False,
) -> ReleaseReport:
    """Check a manifest and, if the policy finds no violation, write the release.

    The release is written to a temporary folder beside ``out_dir`` and moved into
    place only once every artefact is written. An existing ``out_dir`` must be empty;
    with ``replace`` it may instead be a previous release left as written, whose
    files (those its ``release.json`` lists) are replaced.

    Args:
        manifest: The manifest file.
        out_dir: Folder to write the release as (created if needed); it may not be or
            hold an input.
        engine: A loaded policy engine.
        style: Redaction marker template (the redaction module's default when None).
        templates_dir: Where the letter and schedule templates are; the bundled ones by default.
        originals_root: The folder every original must lie in; the manifest's folder by default.
        replace: Replace a previous release at ``out_dir`` (``--replace``).
        review: Also write the decision maker's review copies to ``out_dir`` + ``.review``
            (beside the release, never in it; see :mod:`._review_folder`).

    Returns:
        The check, and the artefacts written with their SHA-256 (none when the check failed).

    Raises:
        InvalidInputError: The manifest or an original is unreadable or malformed, an
            original is outside the originals root, the output folder is or holds an
            input, is not empty (without ``replace``) or not a previous release as
            written (with it), or cannot be written.
        PolicyError: The policy engine failed.
        TemplateError: A template is missing or failed.
    """
    from ..render import render_template
    from .redact import redact_document

    prepared = prepare(manifest, engine, originals_root)
    out = Path(out_dir)
    target = target_folder(out, inputs(prepared, templates_dir))
    replaceable(target, out, replace=replace)
    review_target = target_folder(review_folder(out), inputs(prepared, templates_dir)) if review else None
    if review_target is not None:
        check_review_folder(review_target, replace=replace)
    report, decision = check(prepared, engine)
    if not report.ok:
        return ReleaseReport(check=report, written=False, directory=str(out))
    wording = Wording(decision)

    redacted: dict[str, Any] = {}
    pdf_originals: dict[str, bytes] = {}
    for doc in prepared.manifest.documents:
        marked = prepared.marked.get(doc.key)
        if doc.key in prepared.pdf:
            outcome = _redact_pdf_original(prepared, doc.key, engine, report)
            if isinstance(outcome, CheckReport):
                return ReleaseReport(check=outcome, written=False, directory=str(out))
            redacted[doc.key], pdf_originals[doc.key] = outcome
        elif marked is not None:
            result = redact_document(marked, engine) if style is None else redact_document(marked, engine, style=style)
            if result.refused:
                # The release policy passed these grounds; the grounds policy must agree, or nothing is written.
                raise PolicyError(f"{doc.key}: the grounds policy refused what the release policy accepted")
            redacted[doc.key] = result
    context = letter_context(prepared, wording, redacted, report.deadline)

    request = prepared.manifest.request
    files: dict[str, bytes] = {}
    documents: list[LaidOut | bytes] = []  # release.pdf: excerpts first, then the documents by number, as published
    for doc in sorted(prepared.manifest.documents, key=lambda d: prepared.numbers.get(d.key, 0)):
        if doc.decision in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART):
            stem = f"documents/{prepared.numbers[doc.key]:02d}-{doc.key}"
            if doc.key in pdf_originals:
                # A PDF original is released as the redacted PDF only: its text is an image's and
                # an invisible layer's, with no Markdown to render the other formats from.
                files[f"{stem}.pdf"] = pdf_originals[doc.key]
                documents.append(pdf_originals[doc.key])
                continue
            red = redacted[doc.key]
            rendered, pages = _render_all(red.markdown, doc.shown_title, red.boxed, created=request.decided)
            files.update({f"{stem}.{fmt}": payload for fmt, payload in rendered.items()})
            documents.append(pages)
    if context.excerpts:
        title = f"Excerpts relating to {request.subject}"
        boxes = {key: red.model_copy(update={"markdown": red.boxed}) for key, red in redacted.items()}
        excerpts = excerpts_markdown(context, redacted)
        rendered, pages = _render_all(excerpts, title, excerpts_markdown(context, boxes), created=request.decided)
        files.update({f"documents/excerpts.{fmt}": payload for fmt, payload in rendered.items()})
        documents.insert(0, pages)
    schedule_md = render_template(SCHEDULE_TEMPLATE, context.template_values(), templates_dir)
    rendered, schedule = _render_all(schedule_md, f"Schedule of documents: {request.id}", created=request.decided)
    files.update({f"schedule.{fmt}": payload for fmt, payload in rendered.items()})
    letter_md = render_template(LETTER_TEMPLATE, context.template_values(), templates_dir)
    rendered, letter = _render_all(letter_md, f"Decision on OIA request {request.id}", created=request.decided)
    files.update({f"letter.{fmt}": payload for fmt, payload in rendered.items()})
    files[RELEASE_PDF] = _release_pdf([letter, schedule, *documents], request.id, request.decided)

    artefacts = {name: hashlib.sha256(payload).hexdigest() for name, payload in sorted(files.items())}
    record = _release_record(prepared, context, report, redacted, artefacts)
    files["release.json"] = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")
    install(files, target, out, replace=replace)
    if review_target is not None:
        write_review(review_files(prepared), review_target)
    return ReleaseReport(
        check=report,
        written=True,
        directory=str(out),
        artefacts=artefacts,
        review_directory=str(review_folder(out)) if review_target is not None else "",
    )


def _redact_pdf_original(
    prepared: Prepared, key: str, engine: Any, report: CheckReport
) -> tuple[Any, bytes] | CheckReport:
    """A PDF original redacted by its marks: what the letter counts, and the redacted PDF.

    Returns:
        The counts and the PDF; or, when the verification finds withheld text or a removed
        kind of object in the redacted PDF, the check report refusing the release.

    Raises:
        InvalidInputError: A mark cannot be applied (see :func:`.pdf_redact.redact_pdf`).
        PolicyError: The grounds policy refused what the release policy accepted.
    """
    from .pdf_redact import redact_pdf
    from .redact import RedactedDocument, check_grounds

    original = prepared.pdf[key]
    marked = prepared.marked[key]
    grounds = check_grounds(marked, engine)
    if grounds.violations:
        raise PolicyError(f"{key}: the grounds policy refused what the release policy accepted")
    result = redact_pdf(original.data, original.marks, name=original.name)
    if result.problems:
        doc = next(d for d in prepared.manifest.documents if d.key == key)
        refusal = Violation(
            id=PDF_VERIFICATION_RULE,
            msg=f"the redacted PDF of {original.name} failed verification: " + "; ".join(result.problems),
            details={"number": prepared.numbers[key]},
            effect="deny",
            document=key,
            field=f"documents[{prepared.manifest.documents.index(doc)}].marks",
        )
        return CheckReport(
            manifest=str(prepared.path),
            ok=False,
            violations=[refusal],
            warnings=[],
            deadline=report.deadline,
            policy_revision=report.policy_revision,
        )
    counts = RedactedDocument(
        markdown="",
        title=key,
        grounds=list(marked.grounds),
        withheld=result.passages,
        out_of_scope=0,
        source=original.name,
    )
    return counts, result.data


def _release_pdf(parts: list[LaidOut | bytes], request_id: str, decided: date) -> bytes:
    """The parts' pages as one PDF: each keeps its own page numbers, as when printed apart.

    A part given as bytes (a redacted PDF original) has its pages put in its place with
    pikepdf; only its pages are taken (the redaction left them nothing else), so the
    combined file keeps the metadata, language and title written for it.
    """
    import io

    import pikepdf

    from ..render_pdf import write_pdf

    laid = [part for part in parts if not isinstance(part, bytes)]
    combined = write_pdf(laid, title=f"Response to OIA request {request_id}", created=decided)
    if len(laid) == len(parts):
        return combined
    with pikepdf.open(io.BytesIO(combined)) as pdf:
        at = 0
        for part in parts:
            if not isinstance(part, bytes):
                at += len(part.document.pages)
                continue
            with pikepdf.open(io.BytesIO(part)) as other:
                for page in other.pages:
                    pdf.pages.insert(at, page)
                    at += 1
        out = io.BytesIO()
        pdf.save(
            out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
    return out.getvalue()


def _release_record(
    prepared: Prepared,
    context: LetterContext,
    report: CheckReport,
    redacted: dict[str, Any],
    artefacts: dict[str, str],
) -> dict[str, Any]:
    manifest = prepared.manifest
    # Nothing here may show that a document neither confirmed nor denied (s 10) exists:
    # not its entry, its count, its decision's count, nor a warning about it.
    counts: dict[str, int] = {d.value: 0 for d in DocumentDecision if d.confirms_existence}
    documents = []
    for doc in prepared.shown:
        counts[doc.decision.value] += 1
        red = redacted.get(doc.key)
        stem = f"documents/{prepared.numbers[doc.key]:02d}-{doc.key}."
        own = [name for name in artefacts if name.startswith(stem)]
        if doc.decision is DocumentDecision.EXCERPTS:
            own = [name for name in artefacts if name.startswith("documents/excerpts.")]
        documents.append(
            {
                "number": prepared.numbers[doc.key],
                "id": doc.key,
                "title": doc.shown_title,
                "date": doc.date.isoformat(),
                "decision": doc.decision.value,
                "grounds": doc_grounds(prepared, doc),
                "passages_withheld": red.withheld if red is not None else 0,
                "passages_out_of_scope": red.out_of_scope if red is not None else 0,
                "public_interest_recorded": bool(doc.public_interest),
                "attached_to": doc.attached_to,
                "artefacts": sorted(own),
            }
        )
    return {
        "request": {
            "id": manifest.request.id,
            "requester": manifest.request.requester,
            "agency": manifest.request.agency,
            "decided": manifest.request.decided.isoformat(),
        },
        "documents": documents,
        "grounds": used_grounds(prepared),
        "letter_grounds": [g.id for g in context.grounds],
        "counts": {
            "documents": len(prepared.shown),
            **counts,
            "passages_withheld": sum(d["passages_withheld"] for d in documents),
            "passages_out_of_scope": sum(d["passages_out_of_scope"] for d in documents),
        },
        "deadline": report.deadline.model_dump(mode="json"),
        "warnings": [w.model_dump(mode="json") for w in report.warnings if w.document not in prepared.hidden_keys],
        "policy_revision": report.policy_revision,
        "artefacts": artefacts,
    }


__all__ = ["FORMATS", "RELEASE_PDF", "ReleaseReport", "build_release"]
