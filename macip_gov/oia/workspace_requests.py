"""The workspace's OIA requests as the review app shows them: dates, status, documents and previews.

A request is a folder of the workspace's OIA requests folder (``[oia] requests``)
holding ``manifest.yaml``, the layout ``oia check NAME`` reads. The folder's name is
the request's name in the app; it must be a plain name (letters, digits, ``.``, ``_``,
``-``), and the folder must lie, symlinks resolved, inside the requests folder.

The app writes a request's release to ``release/`` in the request's folder (see
:data:`RELEASE_FOLDER`), and its approval beside it (:mod:`.approval`). A request's
status follows from those and the manifest:

- ``approved``: a release is written and approved as it now stands;
- ``released``: a release is written (not approved, or changed since);
- ``decided``: no release yet, and the decision's date has come;
- ``open``: no release yet, and the decision's date is still ahead.

Documents are read the way the release reads them: every original must resolve inside
the request's folder (:mod:`._release_check`). Only Markdown originals are marked in the
app; PDF and Word originals are marked with their own commands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError, MacipError
from ..results import Violation
from .deadlines import Deadline, compute_deadline
from .manifest import ID_PATTERN, Document, Extension, Manifest, load_manifest

if TYPE_CHECKING:
    from ..workspace import Workspace
    from .citations import Ground

RELEASE_FOLDER = "release"
"""Where the app writes a request's release, inside the request's folder."""
MANIFEST = "manifest.yaml"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_KEY = re.compile(ID_PATTERN)


class Status(str, Enum):
    """Where a request stands."""

    OPEN = "open"
    DECIDED = "decided"
    RELEASED = "released"
    APPROVED = "approved"


class DocumentSummary(BaseModel):
    """One document of a request: its decision, its original and the marks in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(description="The document's id.")
    number: int = Field(description="Its place in the manifest, from 1.")
    title: str = Field(description="Its title (not the public description: officers see the real title).")
    decision: str = Field(description="The manifest's decision, e.g. released_in_part.")
    original: str | None = Field(description="The original as the manifest names it, if any.")
    kind: str = Field(description="markdown, pdf, word, or none (no original named).")
    withheld: int | None = Field(description="Withheld passages (PDF: marks in its marks file); None when not counted.")
    out_of_scope: int | None = Field(description="Out-of-scope passages; None when not counted.")
    problem: str | None = Field(default=None, description="Why the original could not be read, in one line.")

    @property
    def markable(self) -> bool:
        """Whether the app can mark this document (a Markdown original that reads)."""
        return self.kind == "markdown" and self.problem is None

    @property
    def marks(self) -> int:
        """The passages marked, as far as counted."""
        return (self.withheld or 0) + (self.out_of_scope or 0)


class RequestSummary(BaseModel):
    """One request as the list and the request page show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The request's folder name (its name in the app).")
    id: str = Field(default="", description="The agency's reference (request.id).")
    requester: str = Field(default="", description="Who asked.")
    subject: str = Field(default="", description="What the request is about.")
    received: date | None = Field(default=None, description="Day first received.")
    decided: date | None = Field(default=None, description="Day of the decision, as the manifest gives it.")
    extension: Extension | None = Field(default=None, description="The s 15A extension, if any.")
    clock: Deadline | None = Field(default=None, description="The statutory dates, with every day not counted.")
    status: Status | None = Field(default=None, description="Where the request stands; None when unreadable.")
    documents: list[DocumentSummary] = Field(default_factory=list, description="Its documents, in manifest order.")
    problem: str | None = Field(default=None, description="Why the manifest could not be read, in one line.")

    @property
    def marks(self) -> int:
        """Passages marked across the documents counted."""
        return sum(d.marks for d in self.documents)

    @property
    def extension_after_limit(self) -> bool:
        """Whether the extension's notice is dated after the s 15(1) limit (it then has no effect, s 15A(3))."""
        return bool(
            self.extension is not None
            and self.extension.notified is not None
            and self.clock is not None
            and self.extension.notified > self.clock.due
        )


@dataclass(frozen=True)
class Original:
    """A document of a request with its original located (resolved inside the request's folder)."""

    request: str
    """The request's name."""
    manifest: Path
    """The manifest file."""
    document: Document
    """The manifest's entry."""
    index: int
    """The entry's index in ``documents``."""
    path: Path | None
    """The original, resolved; None when the manifest names none or it does not exist."""
    kind: str
    """markdown, pdf, word or none."""


def requests_folder(workspace: Workspace) -> Path:
    """The workspace's OIA requests folder, resolved.

    Raises:
        InvalidInputError: The workspace names none, or it does not exist.
    """
    folder = workspace.oia_requests
    if folder is None:
        raise InvalidInputError("names no OIA requests folder ([oia] requests)", file=str(workspace.file))
    resolved = folder.resolve()
    if not resolved.is_dir():
        raise InvalidInputError(f"oia.requests: folder not found: {folder}", file=str(workspace.file))
    return resolved


def request_folder(workspace: Workspace, name: str) -> Path:
    """The folder of the request ``name``, resolved and checked to lie inside the requests folder.

    Raises:
        InvalidInputError: Not a plain name, no such request, or a folder that resolves elsewhere.
    """
    root = requests_folder(workspace)
    unknown = InvalidInputError(f"no OIA request {name[:100]!r} in the requests folder", file=str(workspace.file))
    if not _NAME.fullmatch(name) or name in (".", ".."):
        raise unknown
    try:
        folder = (root / name).resolve()
    except (OSError, RuntimeError):
        raise unknown from None
    if folder.parent != root or not (folder / MANIFEST).is_file():
        raise unknown
    return folder


def request_names(workspace: Workspace) -> list[str]:
    """The names of the workspace's requests (folders holding a manifest, inside the folder), sorted."""
    root = requests_folder(workspace)
    names = []
    for entry in sorted(root.iterdir()):
        try:
            request_folder(workspace, entry.name)
        except InvalidInputError:
            continue
        names.append(entry.name)
    return names


def release_folder(request_dir: Path) -> Path:
    """Where the app writes the release of the request in ``request_dir``."""
    return request_dir / RELEASE_FOLDER


def _kind(doc: Document) -> str:
    if doc.path is None:
        return "none"
    suffix = doc.path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "word"
    return "markdown"


def _locate(manifest: Path, index: int, doc: Document) -> Path | None:
    from ._release_check import _locate_original

    if doc.path is None:
        return None
    return _locate_original(manifest, index, doc, manifest.parent.resolve(), "the request's folder", read=False)


def _document_summary(manifest: Path, index: int, doc: Document) -> DocumentSummary:
    from ..inputs import read_text
    from .markup import parse_markup
    from .pdf_marks import load_marks

    kind = _kind(doc)
    withheld: int | None = None
    out_of_scope: int | None = None
    problem = None
    try:
        path = _locate(manifest, index, doc)
        if kind == "markdown" and path is not None:
            marked = parse_markup(read_text(path), str(doc.path))
            withheld, out_of_scope = marked.withheld, marked.out_of_scope
        elif kind == "pdf" and doc.marks is not None:
            from ._release_check import _locate_original

            root = manifest.parent.resolve()
            marks_path = _locate_original(manifest, index, doc, root, "the request's folder", read=True, field="marks")
            assert marks_path is not None
            withheld, out_of_scope = len(load_marks(marks_path).marks), 0
        elif kind != "none" and path is None:
            problem = f"{doc.path}: file not found"
    except MacipError as exc:
        problem = exc.one_line()
    return DocumentSummary(
        key=doc.key,
        number=index + 1,
        title=doc.title,
        decision=doc.decision.value,
        original=str(doc.path) if doc.path is not None else None,
        kind=kind,
        withheld=withheld,
        out_of_scope=out_of_scope,
        problem=problem,
    )


def _status(manifest: Manifest, request_dir: Path, today: date) -> Status:
    from .approval import approval_state

    release = release_folder(request_dir)
    if (release / "release.json").is_file():
        return Status.APPROVED if approval_state(request_dir, release).current else Status.RELEASED
    return Status.DECIDED if manifest.request.decided <= today else Status.OPEN


def summarise_request(workspace: Workspace, name: str, *, today: date) -> RequestSummary:
    """One request: its dates and the working of its clock, its status and its documents.

    A manifest that cannot be read gives a summary holding only the problem, so one bad
    request does not hide the others.

    Args:
        workspace: The workspace.
        name: The request's folder name.
        today: The day the status is judged on (decided or still open).

    Raises:
        InvalidInputError: No such request.
    """
    folder = request_folder(workspace, name)
    manifest_path = folder / MANIFEST
    try:
        manifest = load_manifest(manifest_path)
        request = manifest.request
        clock = compute_deadline(
            request.received,
            transferred=request.transferred,
            extended_by=request.extension.working_days if request.extension else None,
        )
        status = _status(manifest, folder, today)
    except MacipError as exc:
        return RequestSummary(name=name, problem=exc.one_line())
    return RequestSummary(
        name=name,
        id=request.id,
        requester=request.requester,
        subject=request.subject,
        received=request.received,
        decided=request.decided,
        extension=request.extension,
        clock=clock,
        status=status,
        documents=[_document_summary(manifest_path, i, doc) for i, doc in enumerate(manifest.documents)],
    )


def list_requests(workspace: Workspace, *, today: date) -> list[RequestSummary]:
    """Every request of the workspace, by name (see :func:`summarise_request`).

    Raises:
        InvalidInputError: The workspace names no requests folder, or it does not exist.
    """
    return [summarise_request(workspace, name, today=today) for name in request_names(workspace)]


def document_original(workspace: Workspace, name: str, key: str) -> Original:
    """A request's document by id, with its original located inside the request's folder.

    Raises:
        InvalidInputError: No such request or document, an unreadable manifest, or an
            original outside the request's folder.
    """
    folder = request_folder(workspace, name)
    manifest_path = folder / MANIFEST
    manifest = load_manifest(manifest_path)
    if _KEY.fullmatch(key):
        for index, doc in enumerate(manifest.documents):
            if doc.key == key:
                path = _locate(manifest_path, index, doc)
                return Original(name, manifest_path, doc, index, path, _kind(doc))
    raise InvalidInputError(f"request {name!r} has no document {key[:100]!r}", file=str(manifest_path))


class DocumentPreview(BaseModel):
    """A marked document as the release would show it, and as its review copy shows it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    released_html: str = Field(
        description="HTML fragment of the released text, each withheld passage a redaction box; empty when refused."
    )
    review_html: str = Field(
        description="HTML fragment of the review copy: every withheld passage shown and highlighted (NOT FOR RELEASE)."
    )
    withheld: int = Field(description="Withheld passages.")
    out_of_scope: int = Field(description="Out-of-scope passages.")
    refusals: list[Violation] = Field(description="Grounds the grounds policy refused; nothing is released then.")
    warnings: list[str] = Field(description="The grounds policy's advice, with lines.")


def _fragment(markdown: str, heading_offset: int) -> str:
    """Markdown rendered as the documents are (redaction boxes, review highlights), headings moved down."""
    from ..render import markdown_parser

    parser = markdown_parser()
    env: dict[str, Any] = {"redactions": True}
    tokens = parser.parse(markdown, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1:]) + heading_offset)}"
    html: str = parser.renderer.render(tokens, parser.options, env)
    return html


def document_preview(source: str, name: str, engine: Any, *, heading_offset: int = 0) -> DocumentPreview:
    """The release and the review copy of one marked-up document, as HTML fragments.

    The same redaction and review markup as ``oia redact`` and ``oia redact --review``,
    rendered by the same Markdown renderer; only the page around them differs.

    Args:
        source: The marked-up Markdown.
        name: The document's name, for messages.
        engine: A loaded policy engine (the grounds policy checks every ground).
        heading_offset: Levels to move the document's headings down, so that they
            follow a page's own headings (2: the document's ``#`` becomes ``<h3>``).

    Raises:
        InvalidInputError: The markup does not parse.
        PolicyError: The grounds policy failed.
    """
    from .markup import parse_markup
    from .redact import redact_document, review_markdown

    marked = parse_markup(source, name)
    redacted = redact_document(marked, engine)
    released = "" if redacted.refused else _fragment(redacted.boxed, heading_offset)
    review = _fragment(review_markdown(marked), heading_offset)
    return DocumentPreview(
        released_html=released,
        review_html=review,
        withheld=redacted.withheld,
        out_of_scope=redacted.out_of_scope,
        refusals=redacted.violations,
        warnings=redacted.warnings,
    )


def withholding_grounds(engine: Any) -> list[Ground]:
    """Every ground a passage may be withheld under, described by the grounds policy, in statute order.

    Raises:
        PolicyError: The grounds policy failed or holds no grounds data.
    """
    from .citations import ground_key, grounds_data, lookup_grounds

    ids = sorted(grounds_data(engine), key=ground_key)
    described = lookup_grounds("the grounds policy's data", ids, engine).grounds
    return [g for g in described if g.use == "withhold"]


class _Blocks(HTMLParser):
    """Collects the text of each ``data-block`` element of the marking view (hidden labels left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[int, list[str]] = {}
        self.open: list[tuple[str, int | None, bool]] = []  # tag, block index, hidden

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        number = values.get("data-block")
        index = int(number) if number is not None and number.isdigit() else None
        if index is not None:
            self.texts.setdefault(index, [])
        hidden = "visually-hidden" in (values.get("class") or "").split() or "aria-hidden" in values
        if tag not in _VOID:
            self.open.append((tag, index, hidden))

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self.open) - 1, -1, -1):
            if self.open[at][0] == tag:
                del self.open[at:]
                return

    def handle_data(self, data: str) -> None:
        if any(hidden for _, _, hidden in self.open):
            return
        for _, index, _ in self.open:
            if index is not None:
                self.texts[index].append(data)


_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source", "embed", "track", "base"}


def marking_blocks(html: str, *, words: int = 8) -> list[tuple[int, str]]:
    """The text blocks of a marking view (see :func:`macip_gov.oia.marking.marking_html`) by their first words.

    For choosing a block without the mouse: each block's ``data-block`` index and the
    first ``words`` words of its text, in index order.
    """
    reader = _Blocks()
    reader.feed(html)
    reader.close()
    out = []
    for index in sorted(reader.texts):
        found = " ".join("".join(reader.texts[index]).split()).split(" ")
        text = " ".join(found[:words]) + (" …" if len(found) > words else "")
        out.append((index, text or "(empty)"))
    return out


class PlacedFinding(BaseModel):
    """A release finding and the marks it concerns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: Violation = Field(description="The violation or warning, as the release check gives it.")
    marks: list[int] = Field(description="The indexes of the marks it concerns; empty when it is about the document.")


def place_findings(
    findings: list[Violation], marks: Sequence[tuple[int, Sequence[str]]]
) -> tuple[list[PlacedFinding], dict[int, list[Violation]]]:
    """Release findings about one document placed beside the marks they concern.

    A finding with a line concerns the mark that starts on that line; one without,
    that names a ground (``details.citation``), concerns every mark citing it (a
    public-interest consideration missing for s 9(2)(a) is about each passage withheld
    under it); any other finding is about the document as a whole.

    Args:
        findings: Findings about one document (violations and warnings).
        marks: Each mark's first source line and grounds, by mark index.

    Returns:
        Every finding with the marks it concerns, in the order given; and the findings by mark index.
    """
    placed: list[PlacedFinding] = []
    by_mark: dict[int, list[Violation]] = {}
    for finding in findings:
        citation = finding.details.get("citation")
        if finding.line is not None:
            concerned = [i for i, (line, _) in enumerate(marks) if line == finding.line][:1]
        elif isinstance(citation, str):
            concerned = [i for i, (_, grounds) in enumerate(marks) if citation in grounds]
        else:
            concerned = []
        placed.append(PlacedFinding(finding=finding, marks=concerned))
        for index in concerned:
            by_mark.setdefault(index, []).append(finding)
    return placed, by_mark


__all__ = [
    "MANIFEST",
    "RELEASE_FOLDER",
    "DocumentPreview",
    "DocumentSummary",
    "Original",
    "RequestSummary",
    "Status",
    "document_original",
    "document_preview",
    "PlacedFinding",
    "place_findings",
    "marking_blocks",
    "list_requests",
    "release_folder",
    "request_folder",
    "request_names",
    "requests_folder",
    "summarise_request",
    "withholding_grounds",
]
