"""Benchmark the review app under load: many officers signed in at once, checking disclosures and opening pages.

Builds a temporary copy of the example workspace (the PIA, the ToR specs and two OIA requests)
with ``--users`` users, half privacy officers and half OIA
officers, and serves it with uvicorn in a subprocess on a free loopback port, once per
``--workers`` value. Every user signs in through the sign-in form and then makes at most
``--requests`` requests, one after another with no pause, all users at once, until they are
done or ``--time-limit`` has passed (a user still going then stops; the run says how many did):

- a privacy officer checks a disclosure (``POST /disclosure/check``, the form filled from one
  of the example requests, each with an id of its own), opens the logged row it was sent to,
  the decision log or the empty form;
- an OIA officer opens the list of OIA requests, a request, or a document with its marks and
  release check.

It prints, per kind of request, the count, errors and the 50th, 95th and 99th percentile
latency; the requests per second over the run; and, with more than one ``--workers`` value,
each run's throughput and p95 as a ratio of the first run's. Afterwards the decision log is
verified with the library (its hash chain) and every check the app answered as logged must be
a row there, by its id. The exit code is 1 when any request failed or a row is missing.

Latencies include the client's own time: the users are asyncio tasks in this process, which
shares the machine with the server, so the numbers are those of the whole machine under this
load (the load average is printed before and after).

    .venv/bin/python bench/serve.py [--users 50] [--requests 20] [--workers 1 --workers 2] [--time-limit 240]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI

WORKSPACE_ENV = "MACIP_BENCH_WORKSPACE"
"""The workspace folder the server subprocess serves (read by :func:`app_from_env`)."""

PASSWORD = "bench password for every officer"
OIA_PAGES = ("/oia", "/oia/macip-release", "/oia/macip-release/doc/rcoi-macip", "/oia/pdf-original")
SEED = 20261202


def app_from_env() -> FastAPI:
    """The app over the workspace named by ``MACIP_BENCH_WORKSPACE`` (uvicorn's factory in each worker).

    The policies are loaded here, before the worker takes requests, as ``macip-gov serve`` does.
    """
    from macip_gov.web.app import create_app
    from macip_gov.workspace import load_workspace

    app = create_app(load_workspace(Path(os.environ[WORKSPACE_ENV]) / "macip.toml"))
    app.state.web.engine()
    return app


# --------------------------------------------------------------------------- the workspace


def build_workspace(root: Path, users: int) -> dict[str, str]:
    """A copy of the example workspace in ``root`` with ``users`` officers; returns name -> role."""
    from macip_gov.users import add_user

    sys.path.insert(0, str(ROOT / "tests"))
    from example_workspace import copy_example  # the layout the app's tests use

    copy_example(root)
    roles = {f"officer{i:02d}": ("privacy_officer" if i % 2 == 0 else "oia_officer") for i in range(users)}
    for name, role in roles.items():
        add_user(root / ".macip" / "users.json", name, role, PASSWORD)
    return roles


def example_forms() -> list[dict[str, str | list[str]]]:
    """The disclosure form filled from each example request (as the form would send it)."""
    import yaml

    from macip_gov.disclosure.form import describe, form_values
    from macip_gov.disclosure.models import DisclosureRequest
    from macip_gov.policyset import load_policy_set
    from macip_gov.resources import policies_dir

    form = describe(load_policy_set(policies_dir()))
    forms = []
    for path in sorted((ROOT / "examples" / "disclosures").glob("[0-9]*.yaml")):
        request = DisclosureRequest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        forms.append(form_values(request, form))
    return forms


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A port free on 127.0.0.1 just now (uvicorn binds it again itself, in front of its workers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``uvicorn --factory serve:app_from_env`` with ``workers`` processes on a free loopback port."""

    def __init__(self, workspace: Path, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, WORKSPACE_ENV: str(workspace), "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "uvicorn", "--factory", "serve:app_from_env", "--app-dir", str(ROOT / "bench")]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        command += ["--log-level", "warning", "--no-access-log", "--no-server-header"]
        self.process = subprocess.Popen(command, env=env, cwd=workspace, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait until the sign-in page answers (every worker has loaded the policies by then or soon after)."""
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode} before answering")
            try:
                if httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Ask the server to stop (SIGTERM: uvicorn finishes what it is doing), then make sure."""
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --------------------------------------------------------------------------- the users


@dataclass
class Tally:
    """What the users saw: latencies and errors by kind, and the ids the app logged."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    logged: dict[str, int] = field(default_factory=dict)
    """Request id -> the row the app said it logged."""
    stopped: list[str] = field(default_factory=list)
    """Users stopped by the time limit before their last request (a bound on the run, not an error)."""


def _token(text: str) -> str | None:
    found = re.search(r'name="csrf_token" value="([^"]+)"', text)
    return found[1] if found else None


async def _timed(tally: Tally, kind: str, call: Any, expect: int) -> httpx.Response | None:
    import httpx

    start = time.perf_counter()
    try:
        response: httpx.Response = await call
    except httpx.HTTPError as exc:
        tally.errors[kind].append(f"{type(exc).__name__}: {exc}")
        return None
    tally.latencies[kind].append(time.perf_counter() - start)
    if response.status_code != expect:
        tally.errors[kind].append(f"{response.request.method} {response.request.url.path}: {response.status_code}")
        return None
    return response


async def user(
    url: str, name: str, role: str, requests: int, forms: list[dict[str, Any]], tally: Tally, deadline: float
) -> None:
    """One officer: sign in, then up to ``requests`` requests of their role until ``deadline``."""
    import httpx

    rng = random.Random(f"{SEED}-{name}")
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=120) as client:
        login = await _timed(tally, "sign-in form", client.get("/login"), 200)
        token = _token(login.text) if login else None
        if token is None:
            return
        data = {"username": name, "password": PASSWORD, "csrf_token": token}
        if await _timed(tally, "sign-in", client.post("/login", data=data), 303) is None:
            return
        token = None  # signing in starts a new session with a new form token: the form page gives it
        last_row = None
        for i in range(requests):
            if time.monotonic() > deadline:
                tally.stopped.append(f"{name} after {i}")
                return
            if role == "oia_officer":
                path = rng.choice(OIA_PAGES)
                kind = "OIA document" if "/doc/" in path else "OIA page"
                await _timed(tally, kind, client.get(path), 200)
                continue
            action = rng.choice(("check", "check", "row", "log", "form"))
            if action == "row" and last_row is not None:
                await _timed(tally, "logged row", client.get(f"/disclosure/log/{last_row}"), 200)
            elif action == "log":
                await _timed(tally, "decision log", client.get("/disclosure/log"), 200)
            elif action == "form" or token is None:
                page = await _timed(tally, "form", client.get("/disclosure"), 200)
                token = _token(page.text) if page else token
            else:
                request_id = f"BENCH-{name}-{i:03d}"
                fields = {**rng.choice(forms), "id": request_id, "csrf_token": token}
                answer = await _timed(tally, "check", client.post("/disclosure/check", data=fields), 303)
                if answer is not None:
                    last_row = int(answer.headers["location"].rsplit("/", 1)[1])
                    tally.logged[request_id] = last_row


async def load(url: str, roles: dict[str, str], requests: int, time_limit: float) -> tuple[Tally, float]:
    """Every user at once; returns what they saw and the wall time."""
    forms = example_forms()
    tally = Tally()
    start = time.monotonic()
    deadline = start + time_limit
    await asyncio.gather(*(user(url, n, r, requests, forms, tally, deadline) for n, r in roles.items()))
    return tally, time.monotonic() - start


# --------------------------------------------------------------------------- after the run


def check_log(workspace: Path, tally: Tally) -> list[str]:
    """Problems with the decision log: it does not verify, or a check the app answered is not a row in it."""
    from macip_gov.disclosure.log import open_log

    problems = []
    with open_log(workspace / ".macip" / "decisions.db", create=False) as log:
        report = log.verify()
        if not report.ok:
            problems.append(f"the decision log does not verify: row {report.first_bad_row}: {report.problem}")
        rows = {record.request_id: record.seq for record in log.records()}
        users = {record.user for record in log.records()}
    missing = sorted(set(tally.logged) - set(rows))
    wrong = sorted(i for i, seq in tally.logged.items() if i in rows and rows[i] != seq)
    if missing:
        problems.append(f"{len(missing)} checks answered as logged are not in the log, e.g. {missing[:3]}")
    if wrong:
        problems.append(f"{len(wrong)} checks are in another row than the app said, e.g. {wrong[:3]}")
    if len(rows) != len(tally.logged):
        problems.append(f"the log has {len(rows)} rows for {len(tally.logged)} checks answered")
    if rows and not all(u.startswith("officer") for u in users):
        problems.append(f"rows recorded for users who did not check: {sorted(users)[:3]}")
    return problems


def percentile(values: list[float], p: int) -> float:
    """The ``p``-th percentile (exclusive method; the value itself when there is one)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class Run:
    """One server configuration's results."""

    workers: int
    wall: float
    requests: int
    errors: int
    p95: float
    problems: list[str]


def run(workers: int, users: int, requests: int, time_limit: float) -> Run:
    """Serve a fresh workspace with ``workers`` processes, load it, print the results and check the log."""
    with tempfile.TemporaryDirectory(prefix="macip-bench-serve-") as tmp:
        workspace = Path(tmp) / "workspace"
        roles = build_workspace(workspace, users)
        server = Server(workspace, workers)
        try:
            server.wait_ready()
            tally, wall = asyncio.run(load(server.url, roles, requests, time_limit))
        finally:
            server.stop()
        problems = check_log(workspace, tally)

    every = [v for values in tally.latencies.values() for v in values]
    errors = sum(len(e) for e in tally.errors.values())
    print(f"\n{workers} worker(s): {users} users x up to {requests} requests, {wall:.1f} s")
    print(f"{'kind':<16} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in sorted(set(tally.latencies) | set(tally.errors)):
        values = tally.latencies.get(kind, [])
        cells = [f"{percentile(values, p) * 1000:>8.0f}" if values else f"{'-':>8}" for p in (50, 95, 99)]
        print(f"{kind:<16} {len(values):>6} {len(tally.errors.get(kind, [])):>6} {' '.join(cells)}")
    p50, p95, p99 = (percentile(every, p) if every else float("nan") for p in (50, 95, 99))
    print(f"{'all':<16} {len(every):>6} {errors:>6} {p50 * 1000:>8.0f} {p95 * 1000:>8.0f} {p99 * 1000:>8.0f}")
    print(f"throughput {len(every) / wall:.1f} requests/s; {len(tally.logged)} checks logged")
    if tally.stopped:
        print(f"  {len(tally.stopped)} users stopped at the time limit, e.g. {tally.stopped[:3]}")
    for kind, messages in tally.errors.items():
        for message in messages[:3]:
            print(f"  error ({kind}): {message}")
    for problem in problems:
        print(f"  decision log: {problem}")
    if not problems:
        print(f"decision log verifies; all {len(tally.logged)} logged checks are rows in it")
    return Run(workers, wall, len(every), errors, p95, problems)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="officers signed in at once (default 50)")
    parser.add_argument("--requests", type=int, default=20, help="requests each after signing in (default 20)")
    parser.add_argument(
        "--workers", type=int, action="append", help="server processes; repeat to compare (default 1 and 2)"
    )
    parser.add_argument("--time-limit", type=float, default=240, help="seconds before users stop (default 240)")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    runs = [run(w, options.users, options.requests, options.time_limit) for w in options.workers or [1, 2]]
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if len(runs) > 1:
        first = runs[0]
        for r in runs:
            print(
                f"{r.workers} worker(s): {r.requests / r.wall:.1f} requests/s "
                f"(x{(r.requests / r.wall) / (first.requests / first.wall):.2f} of {first.workers}), "
                f"p95 {r.p95 * 1000:.0f} ms (x{r.p95 / first.p95:.2f})"
            )
    failed = [r for r in runs if r.errors or r.problems]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
