"""PIA and Terms of Reference pages, mounted without a prefix (routes are written in full: ``/pia...``, ``/tor...``).

Every page calls the library (:mod:`macip_gov.pia`, :mod:`macip_gov.governance`) and shows
what it returns; writes record the signed-in user. Who may do what:

- ``/pia``, its history and diffs: every signed-in role.
- Revise the PIA: secretariat (and admin). Sign it off: approver (and admin).
- ``/tor``: secretariat and approver view; secretariat generates documents.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ...errors import MacipError, StaleRevisionError
from ...governance import downloads
from ...pia import web_views
from ...pia.check import validate_path
from ...pia.diff import ChangeKind, diff_versions
from ...pia.heatmap import heatmap_css, risk_heatmaps
from ...pia.history import pia_history
from ...pia.report import render_report
from ...pia.store import load_pia, resolve
from ..deps import User, current_user, require, state
from ..paths import inside
from ..security import read_upload_sync
from ..templating import flash, page

router = APIRouter()

PIA_EDITORS = ("secretariat",)
PIA_APPROVERS = ("approver",)
TOR_VIEWERS = ("secretariat", "approver")
TOR_EDITORS = ("secretariat",)

SignedIn = Annotated[User, Depends(current_user)]
PiaEditor = Annotated[User, Depends(require(*PIA_EDITORS))]
PiaApprover = Annotated[User, Depends(require(*PIA_APPROVERS))]
TorViewer = Annotated[User, Depends(require(*TOR_VIEWERS))]
TorEditor = Annotated[User, Depends(require(*TOR_EDITORS))]

_KIND_WORDS = {ChangeKind.ADDED: "Added", ChangeKind.REMOVED: "Removed", ChangeKind.CHANGED: "Changed"}


def _location(request: Request) -> web_views.PiaLocation:
    return web_views.PiaLocation.of(state(request).workspace)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --------------------------------------------------------------------------- the PIA


@router.get("/pia/heatmap.css")
def heatmap_stylesheet() -> Response:
    """The heat map's colours and layout (a stylesheet: the CSP allows no inline style)."""
    return Response(heatmap_css(), media_type="text/css; charset=utf-8")


@router.get("/pia", response_class=HTMLResponse)
def pia_summary(request: Request, user: SignedIn) -> HTMLResponse:
    """The PIA: summary, the rules' check (as ``pia validate``), the risk heat maps and the sign-off state."""
    st = state(request)
    location = _location(request)
    context: dict[str, Any] = {
        "can_revise": user.can(*PIA_EDITORS),
        "can_sign": user.can(*PIA_APPROVERS),
        "problem": None,
    }
    try:
        paths = resolve(location.pia, location.history)
        validation = validate_path(location.pia, st.locked_engine(), today=date.today(), history=location.history)
        history = pia_history(location.pia, history=location.history)
        pia = load_pia(paths.working)
    except MacipError as exc:
        context["problem"] = exc.one_line()
        return page(request, "pia/index.html.j2", context, status=409 if isinstance(exc, StaleRevisionError) else 400)
    context.update(
        pia=pia,
        validation=validation,
        history=history,
        heatmaps=risk_heatmaps(pia, validation.rating_matrix),
        active_risks=sum(1 for r in pia.risks if r.active),
        active_flows=sum(1 for f in pia.flows if f.active),
        report_formats=[(key, label) for key, (label, _) in web_views.REPORT_FORMATS.items()],
    )
    return page(request, "pia/index.html.j2", context)


@router.get("/pia/report.{fmt}")
def pia_report(fmt: str, request: Request, user: SignedIn) -> Response:
    """The PIA report as ``pia render`` writes it (DRAFT unless signed off and unchanged), as an attachment."""
    st = state(request)
    location = _location(request)
    chosen = web_views.report_format(fmt)
    validation = validate_path(location.pia, st.locked_engine(), today=date.today(), history=location.history)
    pia = load_pia(resolve(location.pia, location.history).working)
    data = render_report(pia, validation, chosen)
    name = web_views.report_name(pia.id, chosen)
    return Response(
        data,
        media_type=web_views.REPORT_FORMATS[chosen][1],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/pia/history", response_class=HTMLResponse)
def pia_history_page(request: Request, user: SignedIn) -> HTMLResponse:
    """Stored revisions (who, when, why), newest first, the chain's state and the sign-offs."""
    location = _location(request)
    report = pia_history(location.pia, history=location.history)
    return page(
        request,
        "pia/history.html.j2",
        {
            "report": report,
            "rows": web_views.history_rows(report),
            "signoffs": web_views.recorded_signoffs(location, report),
            "can_sign": user.can(*PIA_APPROVERS),
        },
    )


@router.get("/pia/diff", response_class=HTMLResponse)
def pia_diff(
    request: Request,
    user: SignedIn,
    old: Annotated[str, Query(alias="from", max_length=40)] = "latest",
    new: Annotated[str, Query(alias="to", max_length=40)] = "working",
) -> HTMLResponse:
    """What changed between two versions, field by field (as ``pia diff``)."""
    location = _location(request)
    old_spec = web_views.version_spec(old, "from")
    new_spec = web_views.version_spec(new, "to")
    result = diff_versions(location.pia, old_spec, new_spec, history=location.history)
    report = pia_history(location.pia, history=location.history)
    return page(
        request,
        "pia/diff.html.j2",
        {
            "diff": result,
            "old": old_spec,
            "new": new_spec,
            "versions": _version_choices(report.latest),
            "sections": web_views.SECTION_TITLES,
            "kinds": _KIND_WORDS,
            "text": web_views.value_text,
        },
    )


def _version_choices(latest: int) -> list[tuple[str, str]]:
    choices = [("working", "Working copy"), ("latest", "Latest revision"), ("signed", "As last signed off")]
    return choices + [(str(n), f"Revision {n}") for n in range(latest, 0, -1)]


def _revise_page(
    request: Request,
    *,
    text: str,
    opened_at: str,
    message: str = "",
    error: str | None = None,
    stale: bool = False,
    opened_revision: int | None = None,
    unstored: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    location = _location(request)
    return page(
        request,
        "pia/revise.html.j2",
        {
            "text": text,
            "opened_at": opened_at,
            "message": message,
            "error": error,
            "stale": stale,
            "opened_revision": opened_revision,
            "unstored": unstored,
            "file": str(resolve(location.pia, location.history).working.name),
            "upload_limit_kib": web_views.UPLOAD_LIMIT // 1024,
            "message_limit": web_views.MESSAGE_LIMIT,
        },
        status=status,
    )


@router.get("/pia/revise", response_class=HTMLResponse)
def pia_revise_form(request: Request, user: PiaEditor) -> HTMLResponse:
    """Edit the PIA's YAML (or upload a file) and store it as a revision with a message."""
    location = _location(request)
    working = web_views.working_copy(location)
    report = pia_history(location.pia, history=location.history)
    unstored = report.working_state if report.verified and report.latest and not report.stored else None
    return _revise_page(request, text=working.text, opened_at=working.base.token, unstored=unstored)


@router.post("/pia/revise", response_class=HTMLResponse)
def pia_revise(
    request: Request,
    user: PiaEditor,
    opened_at: Annotated[str, Form(max_length=200)] = "",
    message: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the edited text, or the uploaded file, as the next revision by the signed-in user.

    Anything wrong (a malformed file, no message, a PIA changed since the page was opened)
    shows the form again with one message and the text as sent; nothing is stored then.
    """
    location = _location(request)
    opened: web_views.EditBase | None = None
    try:
        opened = web_views.EditBase.from_token(opened_at)
        if upload is not None and upload.filename:
            limit = min(state(request).settings.max_upload_bytes, web_views.UPLOAD_LIMIT)
            data = read_upload_sync(upload, (".yaml", ".yml"), limit=limit)
            name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
            body = web_views.upload_text(data, name, limit=limit)
        else:
            name = resolve(location.pia, location.history).working.name
            body = text
        result = web_views.revise_text(location, body, name=name, opened=opened, author=user.name, message=message)
    except MacipError as exc:
        stale = isinstance(exc, StaleRevisionError)
        return _revise_page(
            request,
            text=text,
            opened_at=opened_at,
            message=message,
            error=exc.one_line(),
            stale=stale,
            opened_revision=opened.revision if opened is not None else None,
            status=409 if stale else 400,
        )
    rev = result.revision
    if result.created:
        flash(request, f"Stored revision {rev.revision} by {rev.author}: {rev.message}", "success")
    else:
        flash(request, f"Nothing changed: the PIA is already stored as revision {rev.revision}.", "info")
    return _see_other("/pia/history")


@router.post("/pia/sign-off")
def pia_sign_off(
    request: Request,
    user: PiaApprover,
    revision: Annotated[int, Form(ge=0)] = 0,
) -> Response:
    """Sign off the latest revision as the signed-in user, in their role (never a name typed in)."""
    record, info = web_views.sign_off_latest(_location(request), by=user.name, role=user.role_title, revision=revision)
    flash(
        request,
        f"Signed off by {record.by} ({record.role}); recorded as revision {info.revision}.",
        "success",
    )
    return _see_other("/pia/history")


# --------------------------------------------------------------------------- Terms of Reference


def _tor_page(
    request: Request, user: User, *, refused: Any = None, chosen: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    st = state(request)
    context: dict[str, Any] = {
        "can_generate": user.can(*TOR_EDITORS),
        "formats": [(key, label) for key, (label, _) in downloads.FORMATS.items()],
        "format_labels": {key: label for key, (label, _) in downloads.FORMATS.items()},
        "generated": downloads.generated_files(st.workspace),
        "refused": refused,
        "chosen": chosen or {"spec": "", "format": "pdf", "draft": False},
        "specs": [],
        "spec_options": [],
        "spec_names": {},
        "check": None,
        "problem": None,
    }
    try:
        specs = downloads.spec_files(st.workspace)
        context["specs"] = list(specs)
        context["spec_options"] = [(name, f"{name} ({path.name})") for name, path in specs.items()]
        context["spec_names"] = {str(path): name for name, path in specs.items()}
        context["check"] = downloads.check_specs(st.workspace, st.locked_engine())
    except MacipError as exc:
        context["problem"] = exc.one_line()
    return page(request, "tor/index.html.j2", context, status=status)


@router.get("/tor", response_class=HTMLResponse)
def tor_index(request: Request, user: TorViewer) -> HTMLResponse:
    """The workspace's ToR specs with their check (as ``tor check``), and the documents generated."""
    return _tor_page(request, user)


@router.post("/tor/generate", response_class=HTMLResponse)
def tor_generate(
    request: Request,
    user: TorEditor,
    spec: Annotated[str, Form(max_length=200)] = "",
    fmt: Annotated[str, Form(alias="format", max_length=10)] = "pdf",
    draft: Annotated[bool, Form()] = False,
) -> Response:
    """Generate a spec's document into ``.macip/out/tor/`` (as ``tor generate``); refused when a rule is unmet."""
    st = state(request)
    engine = st.locked_engine()
    result = downloads.generate_download(st.workspace, spec, fmt, draft=draft, engine=engine)
    if not result.written:
        chosen = {"spec": spec, "format": fmt, "draft": draft}
        return _tor_page(request, user, refused=result, chosen=chosen)
    note = " (DRAFT)" if result.draft else ""
    flash(request, f"Generated {result.name}, version {result.version}{note}, as {fmt}.", "success")
    return _see_other("/tor#generated")


@router.get("/tor/download/{name}")
def tor_download(name: str, request: Request, user: TorViewer) -> Response:
    """A generated document, served only from the output folder, as an attachment."""
    workspace = state(request).workspace
    path = inside(downloads.output_dir(workspace), downloads.download_path(workspace, name))
    media = downloads.FORMATS[path.suffix.lstrip(".")][1]
    return FileResponse(path, media_type=media, filename=path.name, content_disposition_type="attachment")
