"""``macip-gov user``: the review app's users (add, list, remove, set a password or a role)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

ROLE_NAMES = ("oia_officer", "privacy_officer", "secretariat", "approver", "admin")
"""The roles (``users.ROLES``, repeated so that help needs no import; a test keeps them equal)."""


def workspace_option(f: F) -> F:
    """The ``--workspace DIR`` option: the workspace folder, instead of the one found from here."""
    return click.option(
        "--workspace",
        "workspace_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="The workspace folder (default: the one holding macip.toml here or above, or MACIP_WORKSPACE).",
    )(f)


def load_named_workspace(folder: Path | None) -> Workspace:
    """The workspace in ``folder``, or (None) the one governing the current folder.

    Raises:
        InvalidInputError: No ``macip.toml`` there, or it is malformed (exit 3).
    """
    from ..errors import InvalidInputError
    from ..workspace import FILENAME, load_workspace

    if folder is None:
        from ._options import current_workspace

        return current_workspace("pass --workspace DIR")
    file = folder / FILENAME
    if not file.is_file():
        raise InvalidInputError(f"no {FILENAME} in {folder} (run `macip-gov init {folder}` to make one)")
    return load_workspace(file, relative_to=Path.cwd())


def _users_file(folder: Path | None) -> Path:
    from ..workspace import DEFAULT_WEB_USERS

    workspace = load_named_workspace(folder)
    return workspace.web.users if workspace.web is not None else workspace.root / DEFAULT_WEB_USERS


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt="Password again")
    return password


@click.group(name="user")
def user() -> None:
    """The review app's users: who may sign in to `macip-gov serve`, and in which role.

    Users are kept in the workspace's users file ([web] users, default
    .macip/users.json) with their role and a hash of their password, never the
    password itself. Roles: oia_officer, privacy_officer, secretariat,
    approver, admin (an admin may do everything).
    """


@user.command(name="add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES), help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@workspace_option
def add(name: str, role: str, password_stdin: bool, workspace_dir: Path | None) -> None:
    """Add the user NAME with ROLE; the password is asked for twice (hidden) unless --password-stdin.

    \b
    Example:
        macip-gov user add aroha --role privacy_officer
    """
    from ..errors import InvalidInputError
    from ..users import ROLE_TITLES, add_user, check_name, load_users

    path = _users_file(workspace_dir)
    check_name(name)
    if name in load_users(path, missing_ok=True):  # before asking for a password that would be thrown away
        raise InvalidInputError(f"user {name!r} already exists (use `macip-gov user passwd {name}`)", file=str(path))
    record = add_user(path, name, role, _read_password(password_stdin))
    click.echo(f"added {record.name} ({ROLE_TITLES[record.role]}) to {path}")


@user.command(name="list")
@workspace_option
def list_users(workspace_dir: Path | None) -> None:
    """List the users and their roles."""
    from ..users import load_users

    path = _users_file(workspace_dir)
    users = load_users(path, missing_ok=True)
    if not users:
        click.echo(f"no users in {path}; add one with `macip-gov user add NAME --role admin`")
        return
    width = max(len(name) for name in users)
    for name, record in users.items():
        click.echo(f"{name:<{width}}  {record.role}")


@user.command(name="remove")
@click.argument("name")
@workspace_option
def remove(name: str, workspace_dir: Path | None) -> None:
    """Remove the user NAME (their sessions end at their next request)."""
    from ..users import remove_user

    path = _users_file(workspace_dir)
    remove_user(path, name)
    click.echo(f"removed {name} from {path}")


@user.command(name="passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@workspace_option
def passwd(name: str, password_stdin: bool, workspace_dir: Path | None) -> None:
    """Set a new password for NAME (their sessions end at their next request)."""
    from ..errors import InvalidInputError
    from ..users import load_users, set_password

    path = _users_file(workspace_dir)
    if name not in load_users(path):  # before asking for a password that would be thrown away
        raise InvalidInputError(f"no user {name!r}", file=str(path))
    set_password(path, name, _read_password(password_stdin))
    click.echo(f"new password set for {name}")


@user.command(name="role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLE_NAMES))
@workspace_option
def role(name: str, role: str, workspace_dir: Path | None) -> None:
    """Give NAME another ROLE (it takes effect at their next request)."""
    from ..users import ROLE_TITLES, set_role

    path = _users_file(workspace_dir)
    record = set_role(path, name, role)
    click.echo(f"{record.name} is now {ROLE_TITLES[record.role]}")
