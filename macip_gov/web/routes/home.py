"""The home page: a dashboard of what the signed-in user can do, with counts from the workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ..deps import User, current_user
from ..templating import page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: Annotated[User, Depends(current_user)]) -> HTMLResponse:
    """The dashboard."""
    return page(request, "home.html.j2", {"areas": [], "counts": {}})
