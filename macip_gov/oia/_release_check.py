"""Checking a release: the manifest and its originals read, the policy input built, the policy asked.

Every original must resolve, symlinks followed, to a regular file inside the
manifest's folder (or the originals root the caller names); anything else is invalid
input naming the manifest's field. Released fields holding withheld text are found in
:mod:`._withheld_text`.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError, PolicyError
from ..results import Violation, decision_document, parse_results
from ._withheld_text import withheld_text_findings
from .citations import ground_key
from .deadlines import compute_deadline, working_days_after
from .manifest import Document, Manifest, load_manifest

ENTRYPOINT = "oia.release.decision"
WORD_UNDECIDED_RULE = "oia.word.hidden_content_undecided"
"""The finding for a Word original whose hidden-content audit waits for a decision."""
# Originals are never read from these, whatever the originals root.
_SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


class DeadlineStatus(BaseModel):
    """The request's statutory dates and whether the decision met them.

    Which limit binds is the release policy's answer (``deadline`` in its decision),
    the same one its deemed-refusal rule applies: the extended limit only when the
    extension has effect (s 15A(3)), the s 15(1) limit otherwise.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    received: date = Field(description="Day the request was first received.")
    transferred: date | None = Field(default=None, description="Day it was received on transfer (s 14).")
    transfer_by: date = Field(description="s 14 limit for a transfer.")
    due: date = Field(description="s 15(1) due date.")
    extended_due: date | None = Field(
        default=None, description="s 15A: the due date the extension's notice gives (binding only when it has effect)."
    )
    extension_effective: bool | None = Field(
        default=None,
        description="Whether the extension has effect: a reason in s 15A(1) and notice given within the original "
        "limit (s 15A(3)); None without an extension.",
    )
    final_due: date = Field(description="The binding due date: extended_due when the extension has effect, else due.")
    decided: date = Field(description="Day of the decision.")
    working_days_late: int = Field(description="Working days after final_due the decision was made (0 if on time).")
    status: str = Field(description="'on time' or 'late'.")


class CheckReport(BaseModel):
    """What the release policy says about a manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    manifest: str = Field(description="The manifest checked.")
    ok: bool = Field(description="True when there is no violation (warnings allowed).")
    violations: list[Violation] = Field(
        description="Findings that block the release (effect deny), each with its document and line when known; "
        "details carry the document's number and the provision cited (citation)."
    )
    warnings: list[Violation] = Field(description="Findings to consider (effect warn).")
    deadline: DeadlineStatus = Field(description="The statutory dates.")
    policy_revision: str = Field(description="Hash of the policy set that decided.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when nothing blocks the release, DENIED otherwise."""
        return ExitCode.OK if self.ok else ExitCode.DENIED


@dataclass(frozen=True)
class PdfOriginal:
    """A PDF original as the release reads it: its bytes, its marks and what they withhold."""

    data: bytes
    marks: Any
    """Its :class:`.pdf_marks.PdfMarks`."""
    name: str
    """The original as the manifest names it (relative to the working folder), for messages."""
    withheld: list[tuple[int, str]]
    """Each string the marks withhold, with the index of the mark that selects it."""
    marks_path: Path
    """The marks file, resolved."""


class Prepared:
    """A manifest with its originals parsed and its policy input built."""

    def __init__(
        self,
        path: Path,
        manifest: Manifest,
        marked: dict[str, Any],
        originals: dict[str, Path] | None = None,
    ):
        self.path = path
        self.manifest = manifest
        self.marked = marked
        self.originals = originals or {}
        """Each existing original, resolved, by document key."""
        self.unconfirmed: dict[str, str] = {}
        """The text of each original neither confirmed nor denied (s 10), by key: it must appear nowhere."""
        self.undecided: list[Violation] = []
        """Word originals whose hidden content waits for a decision: each stops the release."""
        self.pdf: dict[str, PdfOriginal] = {}
        """Each PDF original whose text is released, by key: redacted by its marks, written as PDF only."""
        # The release numbers only the documents it may show; a document neither
        # confirmed nor denied (s 10) is numbered after them, for the check's own
        # messages, so no number the requester sees is skipped.
        shown = [doc for doc in manifest.documents if doc.decision.confirms_existence]
        hidden = [doc for doc in manifest.documents if not doc.decision.confirms_existence]
        self.numbers = {doc.key: i for i, doc in enumerate([*shown, *hidden], start=1)}

    @property
    def shown(self) -> list[Document]:
        """The documents the release may show exist, in schedule order (all but those under s 10)."""
        return [doc for doc in self.manifest.documents if doc.decision.confirms_existence]

    @property
    def hidden_keys(self) -> set[str]:
        """The keys of the documents neither confirmed nor denied (s 10)."""
        return {doc.key for doc in self.manifest.documents if not doc.decision.confirms_existence}


def in_statute_order(grounds: set[str]) -> list[str]:
    """Ground ids sorted by :func:`.citations.ground_key`."""
    return sorted(grounds, key=ground_key)


def _field_error(manifest: Path, loc: tuple[int | str, ...], message: str) -> InvalidInputError:
    """An error naming the manifest, the line of the field where it can be found, and the field."""
    from ..inputs import field_path, yaml_line

    line = None
    if not manifest.name.endswith(".json"):
        try:
            line = yaml_line(manifest.read_text(encoding="utf-8"), loc)
        except (OSError, UnicodeDecodeError, ValueError):
            line = None
    return InvalidInputError(f"{field_path(loc)}: {message}", file=str(manifest), location=str(line) if line else None)


def _originals_root(manifest: Path, originals_root: Path | str | None) -> tuple[Path, str]:
    if originals_root is None:
        return manifest.parent.resolve(), "the manifest's folder"
    root = Path(originals_root)
    try:
        resolved = root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InvalidInputError("the originals root does not exist", file=str(root)) from None
    if not resolved.is_dir():
        raise InvalidInputError("the originals root is not a folder", file=str(root))
    return resolved, "the originals root"


def _locate_original(
    manifest: Path, index: int, doc: Document, root: Path, root_name: str, *, read: bool, field: str = "path"
) -> Path | None:
    """The original's resolved path, checked to be a regular file inside ``root``.

    With ``field="marks"``, the same for a PDF original's marks file. Returns None for a
    missing original the release does not read.
    """
    named = doc.marks if field == "marks" else doc.path
    assert named is not None
    loc: tuple[int | str, ...] = ("documents", index, field)
    shown = str(named)
    source = manifest.parent / named
    try:
        resolved = source.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise _field_error(manifest, loc, f"{shown!r} cannot be resolved ({exc})") from None
    if not resolved.is_relative_to(root):
        raise _field_error(manifest, loc, f"{shown!r} is outside {root_name} ({root})")
    if any(resolved.is_relative_to(special) for special in _SPECIAL_ROOTS):
        raise _field_error(manifest, loc, f"{shown!r} is not a regular file")
    try:
        info = resolved.stat()
    except FileNotFoundError:
        if not read:
            return None
        raise InvalidInputError("file not found", file=str(source)) from None
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(source)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _field_error(manifest, loc, f"{shown!r} is not a regular file")
    return resolved


def prepare(path: Path | str, engine: Any, originals_root: Path | str | None = None) -> Prepared:
    from ..inputs import read_text
    from .markup import parse_markup

    path = Path(path)
    manifest = load_manifest(path)
    root, root_name = _originals_root(path, originals_root)
    marked: dict[str, Any] = {}
    originals: dict[str, Path] = {}
    unconfirmed: dict[str, str] = {}
    undecided: list[Violation] = []
    pdf: dict[str, PdfOriginal] = {}
    for index, doc in enumerate(manifest.documents):
        if doc.path is None:
            continue
        read = doc.decision.releases_text
        # The original of a document neither confirmed nor denied is read when it is there, so that
        # nothing it says can reach a released field unnoticed.
        hidden = not doc.decision.confirms_existence
        resolved = _locate_original(path, index, doc, root, root_name, read=read)
        if resolved is None:
            continue
        originals[doc.key] = resolved
        if read or hidden:
            source = path.parent / doc.path
            if resolved.suffix.lower() == ".pdf" or doc.path.suffix.lower() == ".pdf":
                from .pdf_redact import pdf_text, read_pdf

                try:
                    data = read_pdf(resolved)
                except InvalidInputError as exc:
                    raise InvalidInputError(exc.message, file=str(source)) from None
                if hidden:
                    unconfirmed[doc.key] = pdf_text(data, str(source))
                    continue
                pdf[doc.key] = _read_pdf_original(path, index, doc, root, root_name, data, str(source))
                marked[doc.key] = _marks_document(pdf[doc.key])
                continue
            if _is_word(resolved):
                # A Word original is imported on the fly, its hidden-content audit included.
                from .word import docx_text, import_docx

                if hidden:
                    unconfirmed[doc.key] = docx_text(resolved, str(source))
                    continue
                result = import_docx(resolved, doc.word_import or manifest.word_import, shown=str(source))
                if not result.converted:
                    undecided.append(_undecided_violation(prepared_numbers(manifest), doc, index, result))
                    continue
                marked[doc.key] = parse_markup(result.markdown, f"{source} (imported)")
                continue
            try:
                text = read_text(resolved)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, file=str(source), location=exc.location) from None
            if hidden:
                unconfirmed[doc.key] = text
            else:
                marked[doc.key] = parse_markup(text, str(source))
    prepared = Prepared(path, manifest, marked, originals)
    prepared.unconfirmed = unconfirmed
    prepared.undecided = undecided
    prepared.pdf = pdf
    return prepared


def _read_pdf_original(
    manifest: Path, index: int, doc: Document, root: Path, root_name: str, data: bytes, name: str
) -> PdfOriginal:
    """A PDF original's marks file read (held to the originals' rules) and what its marks withhold."""
    from ..inputs import read_text
    from .pdf_marks import parse_marks
    from .pdf_redact import withheld_strings

    marks_path = _locate_original(manifest, index, doc, root, root_name, read=True, field="marks")
    assert marks_path is not None and doc.marks is not None
    shown = str(manifest.parent / doc.marks)
    try:
        text = read_text(marks_path)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.message, file=shown, location=exc.location) from None
    marks = parse_marks(text, shown)
    return PdfOriginal(
        data=data,
        marks=marks,
        name=name,
        withheld=withheld_strings(data, marks, name=name),
        marks_path=marks_path,
    )


def _marks_document(original: PdfOriginal) -> Any:
    """What the policies see of a PDF original: one withheld span per mark (see :func:`.pdf_marks.marks_document`)."""
    from .pdf_marks import marks_document

    return marks_document(original.marks)


def _is_word(path: Path) -> bool:
    """Whether an original is a Word document: a .docx name, or a zip archive."""
    if path.suffix.lower() == ".docx":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def prepared_numbers(manifest: Manifest) -> dict[str, int]:
    """Each document's number as the release shows it (documents under s 10 after the others)."""
    shown = [doc for doc in manifest.documents if doc.decision.confirms_existence]
    hidden = [doc for doc in manifest.documents if not doc.decision.confirms_existence]
    return {doc.key: i for i, doc in enumerate([*shown, *hidden], start=1)}


def _undecided_violation(numbers: dict[str, int], doc: Document, index: int, result: Any) -> Violation:
    """A Word original whose audit found hidden content without a decision: the release stops here."""
    kinds = [k.value for k in result.undecided]
    found = [
        f"{f.kind.value}: {f.part} {f.location}: {f.detail}" for f in result.findings if f.kind in result.undecided
    ]
    return Violation(
        id=WORD_UNDECIDED_RULE,
        msg=f"the Word original has hidden content without a decision ({', '.join(kinds)}); decide each kind in "
        "word_import (tracked_changes: accept or reject; show or omit for the others)",
        details={"number": numbers.get(doc.key), "undecided": kinds, "findings": found},
        effect="deny",
        document=doc.key,
        field=f"documents[{index}].word_import",
    )


def doc_grounds(prepared: Prepared, doc: Document) -> list[str]:
    """Every ground a document relies on, in statute order."""
    found = set(doc.grounds)
    marked = prepared.marked.get(doc.key)
    if marked is not None:
        for span in marked.spans:
            if span.kind == "withhold":
                found.update(span.grounds)
    return in_statute_order(found)


def used_grounds(prepared: Prepared) -> list[str]:
    """Every ground the documents the release shows rely on (s 10 documents are stated apart)."""
    found: set[str] = set()
    for doc in prepared.shown:
        found.update(doc_grounds(prepared, doc))
    return in_statute_order(found)


S10_REASONS = ("10", "18(b)")
"""The provisions a neither-confirm-nor-deny answer rests on; its interests are the other grounds it cites."""


def s10_interests(prepared: Prepared) -> list[str]:
    """The interests (s 6, s 7, s 9(2)(b)) every neither-confirm-nor-deny answer protects, in statute order."""
    found: set[str] = set()
    for doc in prepared.manifest.documents:
        if not doc.decision.confirms_existence:
            found.update(g for g in doc.grounds if g not in S10_REASONS)
    for item in prepared.manifest.request.neither_confirm_nor_deny:
        found.update(g for g in item.interests if g not in S10_REASONS)
    return in_statute_order(found)


def letter_grounds(prepared: Prepared) -> list[str]:
    """The grounds the letter gives: the manifest's choice, or every ground used (s 10 is stated apart)."""
    chosen = prepared.manifest.letter.grounds
    if chosen is not None:
        return list(chosen)
    return [g for g in used_grounds(prepared) if g not in S10_REASONS]


def _deadline_dates(manifest: Manifest) -> dict[str, Any]:
    """The statutory dates and the working days the decision came after each candidate limit.

    Which limit binds (the extended one only when the extension has effect) is left
    to the policy, so that the release's status and its deemed-refusal rule are one
    computation.
    """
    request = manifest.request
    dates = compute_deadline(
        request.received,
        transferred=request.transferred,
        extended_by=request.extension.working_days if request.extension else None,
    )
    extended_due = dates.extended_due
    return {
        "received": dates.received.isoformat(),
        "transferred": dates.transferred.isoformat() if dates.transferred else None,
        "transfer_by": dates.transfer_by.isoformat(),
        "transfer_in_time": dates.transfer_in_time,
        "due": dates.due.isoformat(),
        "extended_due": extended_due.isoformat() if extended_due else None,
        "decided": request.decided.isoformat(),
        "working_days_after_due": working_days_after(dates.due, request.decided),
        "working_days_after_extended_due": working_days_after(extended_due, request.decided) if extended_due else None,
    }


def deadline_status(dates: dict[str, Any], decision: dict[str, Any]) -> DeadlineStatus:
    """The deadline status from the policy input's dates and the policy's ``deadline`` answer.

    Raises:
        PolicyError: The policy returned no binding limit, or one that is not one of the
            candidate limits or does not match its own count of working days.
    """
    answer = decision.get("deadline")
    if not isinstance(answer, dict):
        raise PolicyError(f"{ENTRYPOINT} did not return the binding time limit (deadline)")
    effective = answer.get("extension_effective")
    late = answer.get("working_days_late")
    candidates = {
        None: (dates["due"], dates["working_days_after_due"]),
        False: (dates["due"], dates["working_days_after_due"]),
        True: (dates["extended_due"], dates["working_days_after_extended_due"]),
    }
    expected = candidates.get(effective) if isinstance(effective, bool | None) else None
    if (
        expected is None
        or (effective is None) != (dates["extended_due"] is None)
        or (answer.get("final_due"), late) != expected
        or answer.get("status") != ("late" if isinstance(late, int) and late > 0 else "on time")
    ):
        raise PolicyError(f"{ENTRYPOINT} returned a deadline that does not match the request's dates: {answer!r}")
    fields = {k: v for k, v in dates.items() if k in DeadlineStatus.model_fields}
    return DeadlineStatus.model_validate(
        {
            **fields,
            "extension_effective": effective,
            "final_due": expected[0],
            "working_days_late": late,
            "status": answer["status"],
        }
    )


def policy_input(prepared: Prepared) -> dict[str, Any]:
    """The release as the policy sees it (JSON data)."""
    manifest = prepared.manifest
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
        documents.append(
            {
                "number": prepared.numbers[doc.key],
                "id": doc.key,
                "title": doc.shown_title,
                "decision": doc.decision.value,
                "grounds": list(doc.grounds),
                "attached_to": doc.attached_to,
                "prohibited_by": sorted(g for g, text in doc.prohibited_by.items() if text.strip()),
                "public_interest": {
                    "all": isinstance(pi, str) and bool(pi.strip()),
                    "grounds": sorted(g for g, text in pi.items() if text.strip()) if isinstance(pi, dict) else [],
                },
                "spans": spans,
            }
        )
    request = manifest.request
    extension = request.extension
    statements = manifest.letter.statements
    manner = manifest.letter.manner
    return {
        "request": {
            "id": request.id,
            "kind": request.kind.value,
            "parts": len(request.sought),
            "neither_confirm_nor_deny": [
                {"part": item.part, "interests": list(item.interests)} for item in request.neither_confirm_nor_deny
            ],
            "transferred_from": bool(request.transferred_from and request.transferred_from.strip()),
            "extension": None
            if extension is None
            else {
                "ground": extension.ground,
                "working_days": extension.working_days,
                "notified": extension.notified.isoformat() if extension.notified else None,
                "reason_given": bool(extension.reason and extension.reason.strip()),
                "complaint_right": extension.complaint_right,
            },
            "delay": None if request.delay is None else {"agreed_on": request.delay.agreed_on.isoformat()},
        },
        "documents": documents,
        "letter": {
            "grounds": letter_grounds(prepared),
            "statements": {name: statements.present(name) for name in _STATEMENTS},
            "texts": {name: text for name in _STATEMENTS if (text := statements.own_text(name)) is not None},
            "manner": None if manner is None else {"exception": manner.exception},
        },
        "deadline": _deadline_dates(manifest),
    }


_STATEMENTS = ("public_interest", "excerpts", "deletions", "ombudsman", "publication")


def _finding_order(v: Violation) -> tuple[int, int, str, str, str]:
    """Findings by document number, then line, rule id, provision cited and message."""
    number, citation = v.details.get("number"), v.details.get("citation")
    return (
        number if isinstance(number, int) else 0,
        v.line or 0,
        v.id,
        citation if isinstance(citation, str) else "",
        v.msg,
    )


def check(prepared: Prepared, engine: Any) -> tuple[CheckReport, dict[str, Any]]:
    """The check of a release, and the decision document it came from (which holds the rendering data)."""
    document = policy_input(prepared)
    result = decision_document(engine.evaluate(ENTRYPOINT, document), query=ENTRYPOINT, keys=("deny", "warn"))
    denied = parse_results(result["deny"], query=ENTRYPOINT, what="deny", effect="deny", locate=True)
    violations = sorted([*denied, *withheld_text_findings(prepared), *prepared.undecided], key=_finding_order)
    warned = parse_results(result["warn"], query=ENTRYPOINT, what="warn", effect="warn", locate=True)
    warnings = sorted(warned, key=_finding_order)
    status = deadline_status(document["deadline"], result)
    report = CheckReport(
        manifest=str(prepared.path),
        ok=not violations,
        violations=violations,
        warnings=warnings,
        deadline=status,
        policy_revision=engine.revision,
    )
    return report, result


def check_release(manifest: Path | str, engine: Any, *, originals_root: Path | str | None = None) -> CheckReport:
    """Run the release policy over a manifest and its marked-up originals; write nothing.

    Args:
        manifest: The manifest file (YAML or JSON).
        engine: A loaded policy engine.
        originals_root: The folder every original must lie in; the manifest's folder by default.

    Returns:
        The violations, warnings and deadline status.

    Raises:
        InvalidInputError: The manifest or an original is unreadable or malformed, or an
            original is outside the originals root or not a regular file.
        PolicyError: The policy failed; never reported as a pass.
    """
    return check(prepare(manifest, engine, originals_root), engine)[0]
