"""OIA release packages: check a manifest against the release policy, then write the release.

:func:`check_release` reads the manifest and the marked-up originals it names,
computes the statutory dates, and asks the release policy (``oia.release.decision``)
for violations and warnings; it writes nothing. :func:`build_release` does the same
and, when the policy finds no violation, writes the redacted documents, the schedule
of documents and the decision letter (each as Markdown, HTML and DOCX) and
``release.json``, which records the grounds per document, the counts, the deadline,
the policy revision and the SHA-256 of every artefact.

What a release may read, where it may write and what it may publish:

- Every original must resolve, symlinks followed, to a regular file inside the
  manifest's folder (or the originals root the caller names); anything else is
  invalid input naming the manifest's field.
- The output folder may not be, or hold, an input (the manifest, an original, the
  templates). An existing output folder is replaced only when it is empty or is a
  previous release left as written (every file listed in its ``release.json``, none
  changed since); anything else is refused.
- The release is written to a temporary folder beside the output folder and moved
  into place once every artefact is written: a failure leaves nothing new behind,
  and a previous release is replaced whole, never mixed with the new one.
- A released field (a title, the letter's text, the request's details, a document's
  id) that contains the text of a withheld passage is a violation naming both
  places (see ``_withheld_text_findings`` for how texts are compared).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import stat
import tempfile
import textwrap
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode, InvalidInputError, PolicyError
from ..results import Violation as Violation  # re-exported: the release rules report in the shared contract
from ..results import decision_document, parse_results
from .deadlines import compute_deadline, working_days_after
from .manifest import Document, DocumentDecision, Manifest, load_manifest

ENTRYPOINT = "oia.release.decision"
LETTER_TEMPLATE = "oia_letter.md.j2"
SCHEDULE_TEMPLATE = "oia_schedule.md.j2"
FORMATS = ("md", "html", "docx")

WITHHELD_TEXT_RULE = "oia.release.withheld_text_released"
# Originals are never read from these, whatever the originals root.
_SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))
# How deep withheld passages nested inside withheld passages are looked for.
_MAX_NESTING = 16

_NUMBER_WORDS = [
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


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


class ReleaseReport(BaseModel):
    """The outcome of building a release."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: CheckReport = Field(description="The policy check the release passed (or failed).")
    written: bool = Field(description="Whether the release was written.")
    directory: str = Field(description="The output directory.")
    artefacts: dict[str, str] = Field(
        default_factory=dict, description="Each file written (relative path) and its SHA-256."
    )

    @property
    def exit_code(self) -> ExitCode:
        """OK when the release was written, DENIED when the policy blocked it."""
        return ExitCode.OK if self.written else ExitCode.DENIED


class _Wording:
    """What the release policy returns for the letter and schedule (``grounds``, ``decision_labels``)."""

    def __init__(self, decision: dict[str, Any]):
        grounds, labels = decision.get("grounds"), decision.get("decision_labels")
        if not isinstance(grounds, dict) or not isinstance(labels, dict):
            raise PolicyError(f"{ENTRYPOINT} did not return grounds and decision_labels")
        self.descriptions: dict[str, str] = {}
        self.public_interest: dict[str, bool] = {}
        for ground, record in grounds.items():
            description = record.get("description") if isinstance(record, dict) else None
            test = record.get("public_interest_test") if isinstance(record, dict) else None
            if not isinstance(description, str) or not isinstance(test, bool):
                raise PolicyError(f"{ENTRYPOINT} returned a malformed record of the ground {ground}")
            self.descriptions[ground] = description
            self.public_interest[ground] = test
        if not all(isinstance(label, str) for label in labels.values()):
            raise PolicyError(f"{ENTRYPOINT} returned a decision label that is not text")
        self.labels: dict[str, str] = dict(labels)


class _Prepared:
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
        self.numbers = {doc.key: i for i, doc in enumerate(manifest.documents, start=1)}


def _in_statute_order(grounds: set[str]) -> list[str]:
    from .markup import ground_key

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
    manifest: Path, index: int, doc: Document, root: Path, root_name: str, *, read: bool
) -> Path | None:
    """The original's resolved path, checked to be a regular file inside ``root``.

    Returns None for a missing original the release does not read.
    """
    assert doc.path is not None
    loc: tuple[int | str, ...] = ("documents", index, "path")
    shown = str(doc.path)
    source = manifest.parent / doc.path
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


def _prepare(path: Path | str, engine: Any, originals_root: Path | str | None = None) -> _Prepared:
    from ..inputs import read_text
    from .markup import parse_markup

    path = Path(path)
    manifest = load_manifest(path)
    root, root_name = _originals_root(path, originals_root)
    marked: dict[str, Any] = {}
    originals: dict[str, Path] = {}
    for index, doc in enumerate(manifest.documents):
        if doc.path is None:
            continue
        read = doc.decision.releases_text
        resolved = _locate_original(path, index, doc, root, root_name, read=read)
        if resolved is None:
            continue
        originals[doc.key] = resolved
        if read:
            source = path.parent / doc.path
            try:
                text = read_text(resolved)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, file=str(source), location=exc.location) from None
            marked[doc.key] = parse_markup(text, str(source))
    return _Prepared(path, manifest, marked, originals)


def _doc_grounds(prepared: _Prepared, doc: Document) -> list[str]:
    """Every ground a document relies on, in statute order."""
    found = set(doc.grounds)
    marked = prepared.marked.get(doc.key)
    if marked is not None:
        for span in marked.spans:
            if span.kind == "withhold":
                found.update(span.grounds)
    return _in_statute_order(found)


def _used_grounds(prepared: _Prepared) -> list[str]:
    found: set[str] = set()
    for doc in prepared.manifest.documents:
        found.update(_doc_grounds(prepared, doc))
    return _in_statute_order(found)


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
        documents.append(
            {
                "number": prepared.numbers[doc.key],
                "id": doc.key,
                "title": doc.shown_title,
                "decision": doc.decision.value,
                "grounds": list(doc.grounds),
                "public_interest": {
                    "all": isinstance(pi, str) and bool(pi.strip()),
                    "grounds": sorted(g for g, text in pi.items() if text.strip()) if isinstance(pi, dict) else [],
                },
                "spans": spans,
            }
        )
    extension = manifest.request.extension
    statements = manifest.letter.statements
    return {
        "request": {
            "id": manifest.request.id,
            "extension": None
            if extension is None
            else {
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


# --------------------------------------------------------------------------- withheld text in released fields

_WORD = re.compile(r"\w+")
# Where a withheld passage is cut into sentences: sentence ends, blank lines, list items, table cells.
_PIECES = re.compile(r"[.!?;:](?=\s|$)|\n[ \t>]*\n|\n[ \t>]*(?:[-*+]|\d+[.)])[ \t]|\|")
_ATTRIBUTES = re.compile(r"\]\{[^{}\n]*\}")
_FENCE_LINE = re.compile(r"^[ \t>]*:::.*$", re.M)


def _words(text: str) -> tuple[str, ...]:
    """The words of a text, compared without case, accents, invisible characters or punctuation."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))
    return tuple(_WORD.findall(text.casefold()))


def _counts(words: tuple[str, ...]) -> tuple[int, int]:
    letters = sum(ch.isalpha() for word in words for ch in word)
    alnum = sum(ch.isalnum() for word in words for ch in word)
    return letters, alnum


def _significant_passage(words: tuple[str, ...]) -> bool:
    """A whole withheld passage is matched when it holds 3 letters, or 4 letters and digits."""
    letters, alnum = _counts(words)
    return letters >= 3 or alnum >= 4


def _significant_sentence(words: tuple[str, ...]) -> bool:
    """A sentence of a longer passage is matched when it has 3 words and 10 letters."""
    return len(words) >= 3 and _counts(words)[0] >= 10


def _inner(source: str, block: bool) -> tuple[str, int]:
    """A marked region's content without its markup, and the line the content starts on (0 or 1 on)."""
    if block:
        lines = source.split("\n")
        return "\n".join(lines[1:-1]), 1
    end = source.rfind("]{")
    return source[1 : end if end > 0 else len(source)], 0


def _plain(content: str) -> str:
    """Content with any nested markup taken out (its text stays)."""
    return _FENCE_LINE.sub("", _ATTRIBUTES.sub("]", content))


_Place = tuple[int, int, str | None]  # document index, line, first ground


def _collect_passages(
    text: str,
    regions: Any,
    index: int,
    name: str,
    line_base: int,
    depth: int,
    found: dict[tuple[str, ...], list[_Place]],
) -> None:
    from .markup import parse_markup

    for region in regions:
        span = region.span
        line = line_base + span.line
        content, offset = _inner(text[region.start : region.end], span.block)
        if depth < _MAX_NESTING and "{" in content:
            try:
                nested = parse_markup(textwrap.dedent(content), name)
            except (InvalidInputError, RecursionError, ValueError):
                nested = None  # the outer passage is still checked
            if nested is not None and nested.regions:
                _collect_passages(nested.text, nested.regions, index, name, line + offset - 1, depth + 1, found)
        if span.kind != "withhold":
            continue
        place = (index, line, span.grounds[0] if span.grounds else None)
        plain = _plain(content)
        whole = _words(plain)
        if _significant_passage(whole):
            found.setdefault(whole, []).append(place)
        for piece in _PIECES.split(plain):
            words = _words(piece)
            if words != whole and _significant_sentence(words):
                found.setdefault(words, []).append(place)


def _released_fields(manifest: Manifest) -> list[tuple[str, str]]:
    """Every manifest text the release publishes, with its field path."""
    request = manifest.request
    fields: list[tuple[str, str | None]] = [
        ("request.id", request.id),
        ("request.requester", request.requester),
        ("request.contact", request.contact),
        ("request.agency", request.agency),
        ("request.subject", request.subject),
        *((f"request.sought[{i}]", text) for i, text in enumerate(request.sought)),
        ("request.extension.reason", request.extension.reason if request.extension else None),
        ("request.decision_maker.name", request.decision_maker.name),
        ("request.decision_maker.title", request.decision_maker.title),
    ]
    for i, doc in enumerate(manifest.documents):
        fields.append((f"documents[{i}].id" if doc.id else f"documents[{i}].path", doc.key))
        if doc.public_description:
            fields.append((f"documents[{i}].public_description", doc.public_description))
        else:
            fields.append((f"documents[{i}].title", doc.title))
        fields += [(f"documents[{i}].reference", doc.reference), (f"documents[{i}].note", doc.note)]
    letter = manifest.letter
    fields += [(f"letter.letterhead[{i}]", line) for i, line in enumerate(letter.letterhead)]
    fields.append(("letter.salutation", letter.salutation))
    fields += [(f"letter.explanations[{ground}]", text) for ground, text in letter.explanations.items()]
    for name in ("public_interest", "excerpts", "ombudsman"):
        value = getattr(letter.statements, name)
        if isinstance(value, str):
            fields.append((f"letter.statements.{name}", value))
    fields += [("letter.closing", letter.closing), ("letter.sign_off", letter.sign_off)]
    return [(field, text) for field, text in fields if text]


def _withheld_text_findings(prepared: _Prepared) -> list[Violation]:
    """Released fields that contain the text of a withheld passage, each naming both places.

    Every text of the manifest the release publishes (see :func:`_released_fields`) is
    compared with every withheld passage of every original, nested passages included.
    Texts are compared as words: without case, accents, invisible characters,
    punctuation or markup, and only whole words match. A finding is made when a field
    holds a whole withheld passage of at least 3 letters (or 4 letters and digits),
    or a whole sentence of at least 3 words and 10 letters from a longer one; shorter
    passages ("6", "NZ") would match ordinary text.
    """
    manifest = prepared.manifest
    passages: dict[tuple[str, ...], list[_Place]] = {}
    for index, doc in enumerate(manifest.documents):
        marked = prepared.marked.get(doc.key)
        if marked is not None:
            _collect_passages(marked.text, marked.regions, index, marked.name, 0, 0, passages)
    if not passages:
        return []
    lengths = sorted({len(words) for words in passages})
    places: dict[tuple[str, int, int], str | None] = {}
    for field, text in _released_fields(manifest):
        words = _words(text)
        for size in lengths:
            if size > len(words):
                break
            for start in range(len(words) - size + 1):
                for index, line, citation in passages.get(words[start : start + size], ()):
                    places.setdefault((field, index, line), citation)
    findings = []
    for (field, index, line), citation in places.items():
        doc = manifest.documents[index]
        assert doc.path is not None
        number = prepared.numbers[doc.key]
        findings.append(
            Violation(
                id=WITHHELD_TEXT_RULE,
                msg=f"{field} contains text withheld at {doc.path.as_posix()}:{line}",
                details={"document": doc.key, "number": number, "citation": citation, "line": line, "field": field},
                effect="deny",
                document=doc.key,
                line=line or None,
                field=field,
            )
        )
    return findings


def _check(prepared: _Prepared, engine: Any) -> tuple[CheckReport, dict[str, Any]]:
    """The check of a release, and the decision document it came from (which holds the rendering data)."""
    document = policy_input(prepared)
    result = decision_document(engine.evaluate(ENTRYPOINT, document), query=ENTRYPOINT, keys=("deny", "warn"))
    denied = parse_results(result["deny"], query=ENTRYPOINT, what="deny", effect="deny", locate=True)
    violations = sorted([*denied, *_withheld_text_findings(prepared)], key=_finding_order)
    warned = parse_results(result["warn"], query=ENTRYPOINT, what="warn", effect="warn", locate=True)
    warnings = sorted(warned, key=_finding_order)
    status = DeadlineStatus.model_validate(
        {k: v for k, v in document["deadline"].items() if k in DeadlineStatus.model_fields}
    )
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
    return _check(_prepare(manifest, engine, originals_root), engine)[0]


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
        return f"{doc.shown_title} attached to it has been withheld in full under {_sections(grounds)} of the OIA"
    if doc.decision is DocumentDecision.REFUSED:
        return f"the request for {doc.shown_title} attached to it is refused under {_sections(grounds)} of the OIA"
    return f"{doc.shown_title} attached to it is also enclosed"


def _context(prepared: _Prepared, wording: _Wording, redacted: dict[str, Any]) -> dict[str, Any]:
    manifest = prepared.manifest
    request = manifest.request
    labels = wording.labels
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
            "title": doc.shown_title,
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
    withholding = [g for g in letter_grounds if g in wording.descriptions]
    s9 = any(wording.public_interest[g] for g in withholding)
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
            "extension": None
            if request.extension is None
            else {
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
        "excerpt_sections": _sections(_in_statute_order(excerpt_grounds)),
        "grounds": [
            {
                "id": g,
                "description": wording.descriptions[g],
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


# --------------------------------------------------------------------------- the output folder

_ELSEWHERE = "write the release to a folder that holds no input"
_NEW_FOLDER = "write the release to a new or empty folder"


def _inputs(prepared: _Prepared, templates_dir: Path | str | None) -> list[tuple[str, Path]]:
    """What the release reads, resolved, with how to name each in a message."""
    inputs = [("the manifest", prepared.path.resolve())]
    for doc in prepared.manifest.documents:
        original = prepared.originals.get(doc.key)
        if original is not None:
            inputs.append((f"document {prepared.numbers[doc.key]}'s original", original))
    if templates_dir is not None:
        inputs.append(("the templates folder", Path(templates_dir).resolve()))
    return inputs


def _target(out: Path, inputs: list[tuple[str, Path]]) -> Path:
    """The output folder resolved, refused when it is or holds an input.

    Raises:
        InvalidInputError: naming the input.
    """
    try:
        target = out.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InvalidInputError(f"the output folder cannot be resolved ({exc})", file=str(out)) from None
    for name, path in inputs:
        if path == target:
            raise InvalidInputError(f"the output folder is {name} ({path}); {_ELSEWHERE}", file=str(out))
        if path.is_relative_to(target):
            raise InvalidInputError(f"the output folder holds {name} ({path}); {_ELSEWHERE}", file=str(out))
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _replaceable(target: Path, out: Path) -> bool:
    """Whether the output folder exists; refused unless it is empty or a previous release as written.

    A previous release is a folder with a ``release.json`` whose ``artefacts`` list
    every other file in it, each with the SHA-256 it was written with.

    Raises:
        InvalidInputError: The folder is a file, holds something else, or was edited.
    """
    from ..inputs import parse_json

    try:
        info = target.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InvalidInputError(exc.strerror or str(exc), file=str(out)) from None
    if not stat.S_ISDIR(info.st_mode):
        raise InvalidInputError("exists and is not a folder", file=str(out))
    try:
        with os.scandir(target) as first:
            empty = next(first, None) is None
        if empty:
            return True
        record_path = target / "release.json"
        if not stat.S_ISREG(record_path.lstat().st_mode):
            raise FileNotFoundError
        record = parse_json(record_path.read_text(encoding="utf-8"), str(record_path))
    except FileNotFoundError:
        raise InvalidInputError(
            f"the folder exists and is not a previous release (it has no release.json); {_NEW_FOLDER}", file=str(out)
        ) from None
    except (OSError, ValueError, InvalidInputError):
        record = None  # unreadable, not JSON, or hostile (deep, repeated keys): not a release we wrote
    artefacts = record.get("artefacts") if isinstance(record, dict) else None
    if not isinstance(artefacts, dict) or not all(isinstance(v, str) for v in artefacts.values()):
        raise InvalidInputError(
            f"the folder's release.json is not the record of a release; {_NEW_FOLDER}", file=str(out)
        )
    folders = {parent.as_posix() for name in artefacts for parent in Path(name).parents} - {"."}
    pending = [target]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError as exc:
            raise InvalidInputError(exc.strerror or str(exc), file=str(folder)) from None
        for entry in entries:
            name = Path(entry.path).relative_to(target).as_posix()
            if entry.is_dir(follow_symlinks=False) and name in folders:
                pending.append(Path(entry.path))
                continue
            listed = name == "release.json" or name in artefacts
            if not listed or not entry.is_file(follow_symlinks=False):
                raise InvalidInputError(
                    f"the folder holds {name}, which its release.json does not list; move it away or {_NEW_FOLDER}",
                    file=str(out),
                )
            if name != "release.json" and _sha256(Path(entry.path)) != artefacts[name]:
                raise InvalidInputError(
                    f"{name} was changed after the release was written; move it away or {_NEW_FOLDER}",
                    file=str(out),
                )
    return True


def _fsync_folder(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _install(files: dict[str, bytes], target: Path, out: Path) -> None:
    """Write every file into a folder beside ``target``, then move it into place whole.

    A previous release at ``target`` (see :func:`_replaceable`) is moved aside and
    removed once the new one is in place. On any failure the new folder is removed
    and ``target`` is as it was.
    """
    from ..render import atomic_write

    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.tmp-"))
    except OSError as exc:
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(out)) from None
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o777 & ~mask
        os.chmod(staging, mode)
        for name, payload in files.items():
            try:
                atomic_write(staging / name, payload)
            except InvalidInputError as exc:
                raise InvalidInputError(exc.message, file=str(out / name)) from None
        for folder in {(staging / name).parent for name in files}:
            _fsync_folder(folder)
        _fsync_folder(staging)
        if _replaceable(target, out):
            aside = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.old-"))
            os.rename(target, aside)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(aside, target)
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(staging, target)
        _fsync_folder(parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InvalidInputError(f"cannot write here: {exc.strerror or exc}", file=str(out)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- the release


def build_release(
    manifest: Path | str,
    out_dir: Path | str,
    engine: Any,
    *,
    style: str | None = None,
    templates_dir: Path | str | None = None,
    originals_root: Path | str | None = None,
) -> ReleaseReport:
    """Check a manifest and, if the policy finds no violation, write the release.

    The release is written to a temporary folder beside ``out_dir`` and moved into
    place only once every artefact is written. An existing ``out_dir`` must be empty
    or a previous release left as written; it is then replaced whole.

    Args:
        manifest: The manifest file.
        out_dir: Folder to write the release as (created if needed); it may not be or
            hold an input.
        engine: A loaded policy engine.
        style: Redaction marker template (the redaction module's default when None).
        templates_dir: Where the letter and schedule templates are; the bundled ones by default.
        originals_root: The folder every original must lie in; the manifest's folder by default.

    Returns:
        The check, and the artefacts written with their SHA-256 (none when the check failed).

    Raises:
        InvalidInputError: The manifest or an original is unreadable or malformed, an
            original is outside the originals root, the output folder is or holds an
            input, is neither empty nor a previous release, or cannot be written.
        PolicyError: The policy engine failed.
        TemplateError: A template is missing or failed.
    """
    from ..render import render_template
    from .redact import redact_document

    prepared = _prepare(manifest, engine, originals_root)
    out = Path(out_dir)
    target = _target(out, _inputs(prepared, templates_dir))
    _replaceable(target, out)
    report, decision = _check(prepared, engine)
    if not report.ok:
        return ReleaseReport(check=report, written=False, directory=str(out))
    wording = _Wording(decision)

    redacted: dict[str, Any] = {}
    for doc in prepared.manifest.documents:
        marked = prepared.marked.get(doc.key)
        if marked is not None:
            result = redact_document(marked, engine) if style is None else redact_document(marked, engine, style=style)
            if result.refused:
                # The release policy passed these grounds; the grounds policy must agree, or nothing is written.
                raise PolicyError(f"{doc.key}: the grounds policy refused what the release policy accepted")
            redacted[doc.key] = result
    context = _context(prepared, wording, redacted)

    files: dict[str, bytes] = {}
    for doc in prepared.manifest.documents:
        if doc.decision in (DocumentDecision.RELEASED, DocumentDecision.RELEASED_IN_PART):
            stem = f"documents/{prepared.numbers[doc.key]:02d}-{doc.key}"
            for fmt, payload in _render_all(redacted[doc.key].markdown, doc.shown_title).items():
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
    files["release.json"] = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")
    _install(files, target, out)
    return ReleaseReport(check=report, written=True, directory=str(out), artefacts=artefacts)


def _release_record(
    prepared: _Prepared,
    context: dict[str, Any],
    report: CheckReport,
    redacted: dict[str, Any],
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
        documents.append(
            {
                "number": prepared.numbers[doc.key],
                "id": doc.key,
                "title": doc.shown_title,
                "date": doc.date.isoformat(),
                "decision": doc.decision.value,
                "grounds": _doc_grounds(prepared, doc),
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
