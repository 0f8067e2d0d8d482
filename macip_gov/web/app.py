"""Building the app: settings and state, middleware, error pages, static files and every area's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..workspace import Workspace
from .auth import LoginLimiter, SessionMiddleware
from .auth import router as auth_router
from .routes import disclosure, governance, home, oia
from .security import SecurityHeadersMiddleware, UploadLimitMiddleware, csrf_protect, install_error_handlers
from .settings import WebSettings
from .state import Users, WebState

STATIC = Path(__file__).resolve().parent / "static"
"""The app's own files: htmx, the stylesheet and the script."""


def create_app(workspace: Workspace, settings: WebSettings | None = None) -> FastAPI:
    """The review app over ``workspace``.

    Args:
        workspace: The workspace whose files the app reads and writes.
        settings: Its settings; by default those the workspace's ``[web]`` section names
            (the signing key file is made on first use).

    Raises:
        InvalidInputError: The signing key cannot be read or made.
    """
    settings = settings or WebSettings.for_workspace(workspace)
    web = WebState(workspace=workspace, settings=settings, users=Users(settings.users_file))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        web.close()

    app = FastAPI(
        title="MACIP governance",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
        lifespan=lifespan,
    )
    app.state.web = web
    app.state.login_limiter = LoginLimiter(settings.login_max_failures, settings.login_window_seconds)
    install_error_handlers(app)
    # Added innermost first: a request meets the headers, then the session, then the size limit.
    app.add_middleware(UploadLimitMiddleware, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(SessionMiddleware, settings=settings)
    if settings.allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False)
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth_router)
    app.include_router(home.router)
    app.include_router(oia.router, prefix="/oia")
    app.include_router(disclosure.router, prefix="/disclosure")
    app.include_router(governance.router)
    return app
