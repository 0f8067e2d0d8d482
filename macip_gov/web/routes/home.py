"""The home page: a dashboard of the areas the signed-in user's role works in, each with a live figure.

The figures come from the library (the OIA requests folder, the decision log, the PIA's history,
the ToR specs). Each is read on its own and fails soft: a store that cannot be read shows one
line saying so in its card, and the rest of the page still works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ...errors import MacipError
from ...workspace import Workspace
from ..deps import User, current_user, state
from ..templating import page

router = APIRouter()


@dataclass(frozen=True)
class Area:
    """One area of the app as the dashboard offers it."""

    title: str
    href: str
    roles: tuple[str, ...]
    """Who works there (admin always may); an empty tuple means every role."""
    about: str
    figure: Callable[[Workspace], str] | None = None


@dataclass(frozen=True)
class Card:
    """An area on one user's dashboard, its figure read (or the one line saying why it could not be)."""

    title: str
    href: str
    about: str
    figure: str | None
    problem: str | None


def _oia_figure(workspace: Workspace) -> str:
    from ...oia.workspace_requests import request_names

    count = len(request_names(workspace))
    return f"{count} request{'' if count == 1 else 's'} in the workspace"


def _log_figure(workspace: Workspace) -> str:
    from ...disclosure.log import open_log

    location = workspace.decision_log
    if location.path is not None and not location.path.exists():
        return "no decisions recorded yet"
    with open_log(location.target(), create=False, timeout=5.0) as log:
        count = log.count()
    return f"{count} decision{'' if count == 1 else 's'} recorded"


def _pia_figure(workspace: Workspace) -> str:
    from ...pia.history import pia_history

    pia = workspace.pia if workspace.pia.is_absolute() else workspace.root / workspace.pia
    history = workspace.pia_history
    if history is not None and not isinstance(history, str) and not history.is_absolute():
        history = workspace.root / history
    report = pia_history(pia, history=history)
    if report.latest == 0:
        return f"no revision stored yet; {report.signoff.label}"
    if not report.verified:
        return f"revision {report.latest} stored, but its history does not verify"
    return f"revision {report.latest}, {report.signoff.label}"


def _tor_figure(workspace: Workspace) -> str:
    count = len(workspace.tor_spec_files())
    return f"{count} Terms of Reference spec{'' if count == 1 else 's'}"


AREAS = (
    Area(
        "OIA requests",
        "/oia",
        ("oia_officer", "approver"),
        "Mark passages with withholding grounds, check a release and approve it.",
        _oia_figure,
    ),
    Area(
        "Disclosures",
        "/disclosure",
        ("privacy_officer",),
        "Check a proposed disclosure of personal information against the policies.",
    ),
    Area(
        "Decision log",
        "/disclosure/log",
        ("privacy_officer",),
        "Every disclosure decision, who asked, and whether the log verifies.",
        _log_figure,
    ),
    Area(
        "Privacy Impact Assessment",
        "/pia",
        (),
        "The PIA's revisions, its check, its risks and its sign-off.",
        _pia_figure,
    ),
    Area(
        "Terms of Reference",
        "/tor",
        ("secretariat", "approver"),
        "Check the governance groups' Terms of Reference and generate them.",
        _tor_figure,
    ),
)
"""Every area, in the order the dashboard shows them."""


def _read(figure: Callable[[Workspace], str], workspace: Workspace) -> tuple[str | None, str | None]:
    try:
        return figure(workspace), None
    except MacipError as exc:
        return None, f"could not be read: {exc.one_line()}"
    except Exception as exc:  # fail soft: one line in the card, never an error page
        return None, f"could not be read ({type(exc).__name__})"


def cards_for(user: User, workspace: Workspace) -> list[Card]:
    """The dashboard of ``user``: the areas their role works in, each figure read now."""
    cards = []
    for area in AREAS:
        if area.roles and not user.can(*area.roles):
            continue
        figure, problem = _read(area.figure, workspace) if area.figure else (None, None)
        cards.append(Card(area.title, area.href, area.about, figure, problem))
    return cards


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: Annotated[User, Depends(current_user)]) -> HTMLResponse:
    """The dashboard."""
    workspace = state(request).workspace
    return page(request, "home.html.j2", {"cards": cards_for(user, workspace), "workspace": workspace.root.name})
