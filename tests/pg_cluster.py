"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, pg_ctl start/stop.

The server binaries are Debian's (``/usr/lib/postgresql/N/bin``), or wherever
``MACIP_PG_BINDIR`` or ``PATH`` says. PostgreSQL refuses to run as root, so as
root the cluster belongs to the ``postgres`` user (or ``nobody``) and every server
command runs through ``runuser``. The server listens on 127.0.0.1 on a free port
and on a socket inside the folder; authentication is ``trust`` for its one user.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "macip"


def find_bindir() -> Path | None:
    """The newest folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    wanted = ("initdb", "pg_ctl", "postgres")
    candidates: list[Path] = []
    if os.environ.get("MACIP_PG_BINDIR"):
        candidates.append(Path(os.environ["MACIP_PG_BINDIR"]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if re.fullmatch(r"\d+(\.\d+)?", p.name)]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: float(p.name), reverse=True)]
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for bindir in candidates:
        if all((bindir / name).is_file() for name in wanted):
            return bindir
    return None


def _server_user() -> str | None:
    """The user the server runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is no postgres or nobody user to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A PostgreSQL cluster in a temporary folder; ``start()``, ``url()``, ``stop()``."""

    def __init__(self, bindir: Path, *, durable: bool = False):
        """Prepare (not start) a cluster; ``durable`` keeps fsync on, as a real server has it."""
        self.bindir = bindir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="macip-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = _server_user()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()} {tail}")

    def start(self) -> Cluster:
        """initdb and start the server; wait until it accepts connections."""
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = [
            f"-p {self.port}",
            f"-k {self.root}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=60",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run("pg_ctl", "-D", str(self.data), "-o", " ".join(options), "-l", str(self.root / "server.log"),
                  "-w", "-t", "60", "start")  # fmt: skip
        return self

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        """A URL for the cluster's one user; with ``schema``, that schema first on the search path."""
        url = f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"
        return url + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def stop(self) -> None:
        """Stop the server at once and remove the folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
