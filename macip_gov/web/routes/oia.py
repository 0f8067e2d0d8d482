"""OIA requests pages (mounted at ``/oia``): the list, a request, marking a document, the release and its approval.

Every page calls the library: the listing and previews (:mod:`macip_gov.oia.workspace_requests`),
marks (:mod:`macip_gov.oia.marking`), the release check and package (:mod:`macip_gov.oia.release`,
the same calls as ``oia check`` and ``oia release``), approvals (:mod:`macip_gov.oia.approval`)
and downloads (:mod:`macip_gov.oia.release_zip`). Request and document ids in addresses are
names, checked by the library; every file served is checked to lie inside the release folder.

Who may do what: OIA officers mark documents and write releases; approvers read everything
and approve releases; admins do both; other roles are refused (403). Originals, with their
withheld text, are shown only on these pages; downloads are the release alone.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInputError, MacipError
from ..deps import User, require, state
from ..paths import inside
from ..state import WebState
from ..templating import flash, fragment, page

router = APIRouter()

OFFICERS = ("oia_officer",)
"""Who marks documents and writes releases (admins too)."""
APPROVERS = ("approver",)
"""Who approves releases (admins too)."""
READERS = ("oia_officer", "approver")
"""Who may see the OIA pages, originals included (admins too)."""

Reader = Annotated[User, Depends(require(*READERS))]
Officer = Annotated[User, Depends(require(*OFFICERS))]
Approver = Annotated[User, Depends(require(*APPROVERS))]

_RELEASE_LOCK = threading.Lock()
"""One release written or approved at a time in this process (a release folder is replaced whole)."""

HEADING_OFFSET = 3
"""The document view's headings run to h3 ("As released"); a previewed document's own headings start at h4."""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _htmx(request: Request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Content-Type-Options": "nosniff"},
    )


# --------------------------------------------------------------------------- the list


@router.get("", response_class=HTMLResponse)
def request_list(request: Request, user: Reader) -> HTMLResponse:
    """Every OIA request of the workspace with its dates, the working of its clock, and its status."""
    from ...oia.workspace_requests import list_requests

    try:
        requests = list_requests(state(request).workspace, today=date.today())
    except MacipError as exc:
        return page(request, "oia/index.html.j2", {"requests": [], "problem": exc.one_line()}, status=400)
    return page(request, "oia/index.html.j2", {"requests": requests, "problem": None})


# --------------------------------------------------------------------------- one request


def _release_context(folder: Path) -> dict[str, Any]:
    """The release folder's state: its files (as written) and the approval."""
    from ...oia.approval import approval_state
    from ...oia.release_zip import release_files
    from ...oia.workspace_requests import release_folder

    context: dict[str, Any] = {"release_files": None, "release_problem": None, "approval": None}
    try:
        out = inside(folder, release_folder(folder))
        if not (out / "release.json").exists():
            return context
        context["release_files"] = release_files(out)
    except InvalidInputError as exc:
        context["release_problem"] = exc.message
        return context
    try:
        context["approval"] = approval_state(folder, out)
    except InvalidInputError as exc:
        context["release_problem"] = exc.one_line()
    return context


def _request_page(request: Request, user: User, name: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    from ...oia.workspace_requests import request_folder, summarise_request

    st = state(request)
    folder = request_folder(st.workspace, name)
    summary = summarise_request(st.workspace, name, today=date.today())
    context: dict[str, Any] = {
        "summary": summary,
        "check": None,
        "check_problem": None,
        "can_release": user.can(*OFFICERS),
        "can_approve": user.can(*APPROVERS),
        **_release_context(folder),
        **extra,
    }
    if summary.problem is None:
        try:
            context["check"] = _checked(st, folder)
        except MacipError as exc:
            context["check_problem"] = exc.one_line()
    return page(request, "oia/request.html.j2", context, status=status)


@router.get("/{name}", response_class=HTMLResponse)
def request_view(request: Request, name: str, user: Reader) -> HTMLResponse:
    """One request: its documents with decisions and marks, the release check, the release and its approval."""
    return _request_page(request, user, name)


@router.post("/{name}/release", response_class=HTMLResponse)
def write_release(request: Request, name: str, user: Officer) -> Response:
    """Write the release (as ``oia release``) into the request's ``release/`` folder, replacing the previous one."""
    from ...oia.release import build_release
    from ...oia.workspace_requests import MANIFEST, release_folder, request_folder

    st = state(request)
    folder = request_folder(st.workspace, name)
    out = inside(folder, release_folder(folder))
    engine = st.locked_engine()
    with _RELEASE_LOCK:
        report = build_release(folder / MANIFEST, out, engine, replace=(out / "release.json").exists())
    if not report.written:
        count = len(report.check.violations)
        message = f"The release was not written: the check found {count} violation{'s' * (count != 1)}."
        return _request_page(request, user, name, status=409, release_error=message)
    flash(request, f"The release was written: {len(report.artefacts)} files and release.json.", "success")
    return _see_other(f"/oia/{name}#release")


@router.post("/{name}/approve", response_class=HTMLResponse)
def approve_release(request: Request, name: str, user: Approver) -> Response:
    """Record that the signed-in approver approves the release as it now stands."""
    from ...oia.approval import approve
    from ...oia.manifest import load_manifest
    from ...oia.workspace_requests import MANIFEST, release_folder, request_folder

    st = state(request)
    folder = request_folder(st.workspace, name)
    manifest = load_manifest(folder / MANIFEST)
    out = inside(folder, release_folder(folder))
    with _RELEASE_LOCK:
        approve(folder, out, request=manifest.request.id, by=user.name, at=datetime.now(UTC))
    flash(request, f"You approved the release of request {manifest.request.id}.", "success")
    return _see_other(f"/oia/{name}#release")


@router.get("/{name}/release.zip")
def release_zip_download(request: Request, name: str, user: Reader) -> Response:
    """The release folder as a zip: the files its release.json lists, each checked."""
    from ...oia.release_zip import release_zip
    from ...oia.workspace_requests import release_folder, request_folder

    folder = request_folder(state(request).workspace, name)
    out = inside(folder, release_folder(folder))
    return _download(release_zip(out, f"{name}-release"), f"{name}-release.zip", "application/zip")


_MEDIA = {
    ".pdf": "application/pdf",
    ".md": "text/markdown; charset=utf-8",
    ".html": "application/octet-stream",
    ".json": "application/json",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get("/{name}/release/{file:path}")
def release_file_download(request: Request, name: str, file: str, user: Reader) -> Response:
    """One file of the release, by its name in release.json (e.g. ``release.pdf``)."""
    from ...oia.release_zip import release_file
    from ...oia.workspace_requests import release_folder, request_folder

    folder = request_folder(state(request).workspace, name)
    out = inside(folder, release_folder(folder))
    path = inside(out, file)
    data = release_file(out, path.relative_to(out.resolve()).as_posix())
    # HTML is sent as a download, never shown as a page of this site.
    return _download(data, path.name, _MEDIA.get(path.suffix.lower(), "application/octet-stream"))


# --------------------------------------------------------------------------- one document


@dataclass
class MarkForm:
    """What the marking form holds (kept when a save fails, so nothing typed is lost)."""

    block: int | None = None
    quote: str = ""
    occurrence: int = 1
    kind: str = "withhold"
    grounds: list[str] = field(default_factory=list)
    whole_block: bool = False
    change: int | None = None
    """The index of the mark being changed, when the form changes one."""


def _checked(st: WebState, folder: Path) -> Any:
    """The release check of a request folder, as ``oia check`` gives it.

    Remembered while no file of the request (its manifest, originals and marks; not its
    written release or approval) has changed, for the same policies on the same day.
    """
    from ...oia.release import check_release
    from ...oia.workspace_requests import MANIFEST

    engine = st.locked_engine()
    return st.remembered(
        ("check", str(folder), _fingerprint(folder), engine.revision, date.today()),
        lambda: check_release(folder / MANIFEST, engine),
    )


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Each file a request's release is made from, by name, inode, modification time and size."""
    from ...oia.approval import source_files
    from ...oia.workspace_requests import release_folder

    found = []
    for path in source_files(folder, release_folder(folder)):
        stat = path.stat()
        found.append((str(path.relative_to(folder)), stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _document_context(request: Request, user: User, name: str, key: str, form: MarkForm) -> dict[str, Any]:
    """Everything the document view shows, read fresh from the files."""
    from ...inputs import read_text
    from ...oia import marking
    from ...oia.workspace_requests import document_original, summarise_request

    st = state(request)
    original = document_original(st.workspace, name, key)
    summary = summarise_request(st.workspace, name, today=date.today())
    context: dict[str, Any] = {
        "name": name,
        "summary": summary,
        "doc": original.document,
        "original": original,
        "kind": original.kind,
        "can_mark": user.can(*OFFICERS),
        "form": form,
        "errors": [],
        "stale": False,
    }
    if original.kind != "markdown" or original.path is None:
        return context
    name_shown = str(original.document.path)
    try:
        source = read_text(original.path)
        version = marking.version(source)
        marks, view = st.remembered(
            ("marking", version, name_shown),
            lambda: (marking.marks(source, name_shown), marking.marking_html(source, name_shown, heading_offset=2)),
        )
        context.update(source_version=version, marking_html=view, marks=marks)
    except InvalidInputError as exc:
        # Markup the parser refuses is fixed in the file itself; the page says where.
        context["source_problem"] = exc.one_line()
        return context
    context.update(_blocks_and_grounds(request, context["marking_html"]))
    context.update(_check_context(request, name, key, marks))
    context.update(_preview_context(request, source, name_shown))
    if form.change is not None and 0 <= form.change < len(marks) and not form.grounds and not form.quote:
        chosen = marks[form.change]
        form.kind, form.grounds = chosen.kind, list(chosen.grounds)
    return context


def _blocks_and_grounds(request: Request, marking_html: str) -> dict[str, Any]:
    from ...oia.workspace_requests import marking_blocks, withholding_grounds

    st = state(request)
    engine = st.locked_engine()
    grounds = st.remembered(("grounds", engine.revision), lambda: withholding_grounds(engine))
    return {"blocks": marking_blocks(marking_html), "grounds": grounds}


def _check_context(request: Request, name: str, key: str, marks: list[Any]) -> dict[str, Any]:
    """The release check as ``oia check`` gives it, this document's findings placed beside their marks."""
    from ...oia.workspace_requests import place_findings, request_folder

    st = state(request)
    folder = request_folder(st.workspace, name)
    try:
        report = _checked(st, folder)
    except MacipError as exc:
        return {"check": None, "check_problem": exc.one_line(), "placed": [], "by_mark": {}, "elsewhere": 0}
    mine = [f for f in [*report.violations, *report.warnings] if f.document == key]
    placed, by_mark = place_findings(mine, [(m.line, m.grounds) for m in marks])
    elsewhere = len(report.violations) + len(report.warnings) - len(mine)
    return {"check": report, "check_problem": None, "placed": placed, "by_mark": by_mark, "elsewhere": elsewhere}


def _preview_context(request: Request, source: str, name_shown: str) -> dict[str, Any]:
    from ...oia.workspace_requests import document_preview

    st = state(request)
    engine = st.locked_engine()
    key = ("preview", hashlib.sha256(source.encode("utf-8")).hexdigest(), name_shown, engine.revision)
    try:
        preview = st.remembered(
            key, lambda: document_preview(source, name_shown, engine, heading_offset=HEADING_OFFSET)
        )
    except MacipError as exc:
        return {"preview": None, "preview_problem": exc.one_line()}
    return {"preview": preview, "preview_problem": None}


def _document_response(
    request: Request, user: User, name: str, key: str, form: MarkForm, *, status: int = 200, **extra: Any
) -> HTMLResponse:
    context = _document_context(request, user, name, key, form)
    context.update(extra)
    if _htmx(request) and "source_problem" in context:
        problem = {"title": "The original's markup cannot be read", "message": context["source_problem"]}
        return fragment(request, "error.html.j2", {**problem, "status": 400}, status=400)
    if _htmx(request):
        return fragment(request, "oia/_document_panels.html.j2", context, status=status)
    return page(request, "oia/document.html.j2", context, status=status)


@router.get("/{name}/doc/{key}", response_class=HTMLResponse)
def document_view(request: Request, name: str, key: str, user: Reader, change: int | None = None) -> HTMLResponse:
    """A document: the original to mark, the grounds, its marks, its release check and its previews."""
    return _document_response(request, user, name, key, MarkForm(change=change))


@router.get("/{name}/doc/{key}/check", response_class=HTMLResponse)
def document_check(request: Request, name: str, key: str, user: Reader) -> HTMLResponse:
    """The document's release check alone (htmx swaps it in place)."""
    from ...inputs import read_text
    from ...oia import marking
    from ...oia.workspace_requests import document_original

    original = document_original(state(request).workspace, name, key)
    marks = []
    if original.kind == "markdown" and original.path is not None:
        marks = marking.marks(read_text(original.path), str(original.document.path))
    context = {"summary": None, "doc": original.document, "marks": marks, **_check_context(request, name, key, marks)}
    context["name"] = name
    return fragment(request, "oia/_check_panel.html.j2", context)


def _save(request: Request, user: User, name: str, key: str, version: str, form: MarkForm, change: Any) -> Response:
    """Apply ``change(source, shown_name)`` to the original and save it against ``version``."""
    from ...inputs import read_text
    from ...oia import marking
    from ...oia.workspace_requests import document_original

    original = document_original(state(request).workspace, name, key)
    if original.kind != "markdown" or original.path is None:
        raise InvalidInputError(f"document {key!r} has no Markdown original to mark")
    try:
        source = read_text(original.path)
        new_source = change(source, str(original.document.path))
        marking.save(original.path, new_source, expected_version=version)
    except marking.StaleEditError:
        return _document_response(request, user, name, key, MarkForm(), status=409, stale=True)
    except InvalidInputError as exc:
        return _document_response(request, user, name, key, form, status=400, errors=[exc.one_line()])
    if _htmx(request):
        return _document_response(request, user, name, key, MarkForm(), saved=True)
    flash(request, "Saved.", "success")
    return _see_other(f"/oia/{name}/doc/{key}#marks")


def _kind_and_grounds(kind: str, grounds: list[str]) -> tuple[str, list[str]]:
    if kind not in ("withhold", "out_of_scope"):
        raise InvalidInputError(f"kind: expected withhold or out_of_scope, not {kind[:40]!r}")
    return kind, ([] if kind == "out_of_scope" else grounds)


@router.post("/{name}/doc/{key}/marks", response_class=HTMLResponse)
def add_mark(
    request: Request,
    name: str,
    key: str,
    user: Officer,
    version: Annotated[str, Form()],
    block: Annotated[int | None, Form()] = None,
    quote: Annotated[str, Form()] = "",
    occurrence: Annotated[int, Form(ge=1, le=10_000)] = 1,
    kind: Annotated[str, Form()] = "withhold",
    grounds: Annotated[list[str] | None, Form()] = None,
    whole_block: Annotated[bool, Form()] = False,
) -> Response:
    """Mark the passage chosen (or a whole block) withheld on the grounds picked, or out of scope."""
    from ...oia import marking

    form = MarkForm(block, quote, occurrence, kind, list(grounds or []), whole_block)

    def change(source: str, shown: str) -> str:
        chosen_kind, chosen = _kind_and_grounds(kind, list(grounds or []))
        if block is None:
            raise InvalidInputError("block: choose the block the passage is in")
        if whole_block:
            return marking.add_block_mark(source, shown, block=block, kind=chosen_kind, grounds=chosen)
        if not quote.strip():
            raise InvalidInputError("quote: select the passage in the document, or type it")
        return marking.add_mark(
            source, shown, block=block, quote=quote, occurrence=occurrence - 1, kind=chosen_kind, grounds=chosen
        )

    return _save(request, user, name, key, version, form, change)


@router.post("/{name}/doc/{key}/marks/{index}/change", response_class=HTMLResponse)
def change_mark(
    request: Request,
    name: str,
    key: str,
    index: int,
    user: Officer,
    version: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "withhold",
    grounds: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Change a mark's kind or grounds."""
    from ...oia import marking

    form = MarkForm(kind=kind, grounds=list(grounds or []), change=index)

    def change(source: str, shown: str) -> str:
        chosen_kind, chosen = _kind_and_grounds(kind, list(grounds or []))
        return marking.change_mark(source, shown, index, kind=chosen_kind, grounds=chosen)

    return _save(request, user, name, key, version, form, change)


@router.post("/{name}/doc/{key}/marks/{index}/remove", response_class=HTMLResponse)
def remove_mark(
    request: Request, name: str, key: str, index: int, user: Officer, version: Annotated[str, Form()]
) -> Response:
    """Remove a mark: its text is released again."""
    from ...oia import marking

    def change(source: str, shown: str) -> str:
        return marking.remove_mark(source, shown, index)

    return _save(request, user, name, key, version, MarkForm(), change)
