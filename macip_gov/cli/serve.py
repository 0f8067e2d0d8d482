"""``macip-gov serve``: the review app over a workspace, on this computer only unless told otherwise."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from ._options import Settings, engine_options
from .user import load_named_workspace, workspace_option

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
"""The Host names an app listening on loopback answers to."""


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this computer only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command(name="serve")
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free port)."
)
@engine_options
def serve(workspace_dir: Path | None, host: str, port: int, settings: Settings) -> None:
    """Start the review app: pages for privacy officers, OIA staff and the secretariat over this workspace.

    It listens on 127.0.0.1 (this computer only) unless --host says otherwise;
    people sign in with a user from `macip-gov user add`. The policies are
    loaded once, at start, with the engine options. Stop it with Ctrl-C.

    \b
    Example:
        macip-gov user add aroha --role admin
        macip-gov serve --port 8000
    """
    import socket

    import uvicorn

    from ..errors import InvalidInputError
    from ..users import load_users, prepare
    from ..web.app import create_app
    from ..web.settings import WebSettings

    workspace = load_named_workspace(workspace_dir)
    web = WebSettings.for_workspace(workspace, engine=settings.spec())
    if is_loopback(host) and not web.proxy_header:
        # Reached from this computer only, so by these names only: a page of another site whose name
        # is made to point at 127.0.0.1 (DNS rebinding) gets no answer.
        bare = host.strip("[]").lower()
        named = (bare, f"[{bare}]") if ":" in bare else (bare,)
        web = web.model_copy(update={"allowed_hosts": tuple(dict.fromkeys((*LOOPBACK_NAMES, *named)))})
    fix = "add one with `macip-gov user add NAME --role admin`"
    try:
        users = load_users(web.users_file)
    except InvalidInputError as exc:
        if web.users_file.exists():
            raise
        raise InvalidInputError(f"no users yet: {fix}", file=str(web.users_file)) from exc
    if not users:
        raise InvalidInputError(f"no users yet: {fix}", file=str(web.users_file))

    app = create_app(workspace, web)
    app.state.web.engine()  # load the policies now: a broken policy stops the start, not a later request
    prepare()

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise InvalidInputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)  # connections wait from now on, so the address printed below already works
    bound = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if family == socket.AF_INET6 else host
    url = f"http://{shown}:{bound}/"
    if is_loopback(host):
        click.echo(f"serving {workspace.root} at {url} (loopback only: reachable from this computer only)")
    else:
        click.echo(f"serving {workspace.root} at {url}")
        click.echo(
            f"Warning: listening on {host}, not loopback: anyone who can reach port {bound} can reach the "
            "sign-in page, over plain http; put an https proxy in front",
            err=True,
        )
    if web.proxy_header:
        click.echo(
            f"Warning: trusting the {web.proxy_header} header for who is signed in: only a proxy may reach this port",
            err=True,
        )
    config = uvicorn.Config(
        app,
        log_level="info",
        server_header=False,
        # X-Forwarded-For and X-Forwarded-Proto are believed from this computer only (a proxy in
        # front, on the same machine): sign-in limits then count real addresses, and cookies are
        # Secure behind https. A client elsewhere cannot choose its address this way.
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly and passes Ctrl-C on: it is how the app is meant to stop
    finally:
        sock.close()
    click.echo("stopped")
