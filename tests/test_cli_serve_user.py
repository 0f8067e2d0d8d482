"""``macip-gov user`` and ``macip-gov serve``, run for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from macip_gov.cli import cli
from macip_gov.users import add_user, load_users, verify

PASSWORD = "a long enough passphrase"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "office"
    root.mkdir()
    (root / "macip.toml").write_text("", encoding="utf-8")
    return root


def _users(ws: Path) -> Path:
    return ws / ".macip" / "users.json"


def test_user_add_with_the_password_on_stdin(runner, ws):
    result = runner.invoke(
        cli,
        ["user", "add", "aroha", "--role", "privacy_officer", "--password-stdin", "--workspace", str(ws)],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"added aroha (Privacy officer) to {_users(ws)}\n"
    assert verify(load_users(_users(ws)), "aroha", PASSWORD) is not None


def test_user_add_asks_twice_without_showing_the_password(runner, ws):
    result = runner.invoke(
        cli, ["user", "add", "tama", "--role", "admin", "--workspace", str(ws)], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Password: \nPassword again: \n" in result.stdout
    assert load_users(_users(ws))["tama"].role == "admin"


def test_user_add_finds_the_workspace_from_the_current_folder(runner, ws, monkeypatch):
    monkeypatch.chdir(ws)
    result = runner.invoke(cli, ["user", "add", "tama", "--role", "admin", "--password-stdin"], input=PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.stdout == "added tama (Administrator) to .macip/users.json\n"


def test_user_add_refuses_a_short_password_or_unknown_role(runner, ws):
    short = runner.invoke(
        cli, ["user", "add", "tama", "--role", "admin", "--password-stdin", "--workspace", str(ws)], input="short\n"
    )
    assert short.exit_code == 3
    assert short.stderr == "Error: password: at least 12 characters please (a few words work well)\n"
    bad_role = runner.invoke(cli, ["user", "add", "tama", "--role", "boss", "--workspace", str(ws)])
    assert bad_role.exit_code == 2
    assert not _users(ws).exists()


def test_user_list_passwd_role_remove(runner, ws):
    add_user(_users(ws), "aroha", "privacy_officer", PASSWORD)
    add_user(_users(ws), "tama-nui", "approver", PASSWORD)
    listed = runner.invoke(cli, ["user", "list", "--workspace", str(ws)])
    assert listed.exit_code == 0
    assert listed.stdout == "aroha     privacy_officer\ntama-nui  approver\n"
    new = "a different passphrase"
    changed = runner.invoke(
        cli, ["user", "passwd", "aroha", "--password-stdin", "--workspace", str(ws)], input=new + "\n"
    )
    assert changed.exit_code == 0
    assert changed.stdout == "new password set for aroha\n"
    assert verify(load_users(_users(ws)), "aroha", new) is not None
    role = runner.invoke(cli, ["user", "role", "aroha", "admin", "--workspace", str(ws)])
    assert role.stdout == "aroha is now Administrator\n"
    removed = runner.invoke(cli, ["user", "remove", "tama-nui", "--workspace", str(ws)])
    assert removed.exit_code == 0
    assert removed.stdout == f"removed tama-nui from {_users(ws)}\n"
    assert list(load_users(_users(ws))) == ["aroha"]


def test_user_commands_on_a_missing_user_or_file_exit_3(runner, ws):
    missing = runner.invoke(cli, ["user", "passwd", "nobody", "--password-stdin", "--workspace", str(ws)], input="x")
    assert missing.exit_code == 3
    assert "no users file" in missing.stderr
    add_user(_users(ws), "aroha", "admin", PASSWORD)
    nobody = runner.invoke(cli, ["user", "remove", "nobody", "--workspace", str(ws)])
    assert nobody.exit_code == 3
    assert nobody.stderr == f"Error: {_users(ws)}: no user 'nobody'\n"
    empty = runner.invoke(cli, ["user", "list", "--workspace", str(ws.parent)])
    assert empty.exit_code == 3
    assert f"no macip.toml in {ws.parent}" in empty.stderr


def test_user_list_with_nobody_says_how_to_add_one(runner, ws):
    result = runner.invoke(cli, ["user", "list", "--workspace", str(ws)])
    assert result.exit_code == 0
    assert result.stdout == f"no users in {_users(ws)}; add one with `macip-gov user add NAME --role admin`\n"


def test_serve_refuses_to_start_without_users(runner, ws):
    result = runner.invoke(cli, ["serve", "--workspace", str(ws), "--port", "0"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {_users(ws)}: no users yet: add one with `macip-gov user add NAME --role admin`\n"
    )
    _users(ws).write_text(json.dumps({"version": 1, "users": {}}), encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--workspace", str(ws), "--port", "0"])
    assert result.exit_code == 3
    assert "no users yet" in result.stderr


def test_serve_refuses_a_malformed_users_file(runner, ws):
    _users(ws).parent.mkdir()
    _users(ws).write_text("{", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--workspace", str(ws), "--port", "0"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {_users(ws)}:1: not valid JSON")


def _start(ws: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "MACIP_WORKSPACE"}
    return subprocess.Popen(
        [sys.executable, "-m", "macip_gov", "serve", "--workspace", str(ws), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """Ctrl-C, as a person stops it; the rest of its output and errors."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def test_serve_listens_on_loopback_and_answers_the_sign_in_page(ws):
    add_user(_users(ws), "aroha", "admin", PASSWORD)
    proc = _start(ws)
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving {ws} at http://127.0.0.1:"), line + (proc.stderr.read() if proc.poll() else "")
        assert line.endswith("/ (loopback only: reachable from this computer only)\n")
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(url + "login", timeout=30) as response:
            body = response.read().decode()
            headers = response.headers
        assert "<h1>Sign in</h1>" in body
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "server" not in {k.lower() for k in headers}
        assert "HttpOnly" in headers["Set-Cookie"]
        assert "Secure" not in headers["Set-Cookie"]
        # Behind an https proxy on this computer the cookie is Secure.
        proxied = urllib.request.Request(url + "login", headers={"X-Forwarded-Proto": "https"})
        with direct.open(proxied, timeout=30) as response:
            assert "; Secure" in response.headers["Set-Cookie"]
        # A page of another site, its name pointed at 127.0.0.1, gets no answer from the app.
        rebound = urllib.request.Request(url + "login", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            direct.open(rebound, timeout=30)
        refused.value.close()
        assert refused.value.code == 400
    finally:
        out, err = _stop(proc)
    assert proc.returncode == 0, err
    assert out.count('"GET /login HTTP/1.1" 200 OK\n') == 2  # uvicorn's access log
    assert out.endswith('"GET /login HTTP/1.1" 400 Bad Request\nstopped\n')
    assert PASSWORD not in err
    assert (ws / ".macip" / "web-secret").stat().st_mode & 0o777 == 0o600


def test_serve_on_another_address_warns(ws):
    add_user(_users(ws), "aroha", "admin", PASSWORD)
    proc = _start(ws, "--host", "0.0.0.0")
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"serving {ws} at http://0.0.0.0:"), line
        assert "loopback" not in line
        warning = proc.stderr.readline()
        assert warning.startswith("Warning: listening on 0.0.0.0, not loopback: anyone who can reach port")
        while "Application startup complete" not in proc.stderr.readline():
            pass
    finally:
        _stop(proc)
    assert proc.returncode == 0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_what_counts_as_loopback(host, loopback):
    from macip_gov.cli.serve import is_loopback

    assert is_loopback(host) is loopback


def test_the_web_section_names_the_users_file(runner, ws):
    (ws / "macip.toml").write_text('[web]\nusers = "people/users.json"\n', encoding="utf-8")
    result = runner.invoke(
        cli, ["user", "add", "aroha", "--role", "admin", "--password-stdin", "--workspace", str(ws)], input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert (ws / "people" / "users.json").is_file()
    assert not _users(ws).exists()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[web]\nusers_file = "x.json"\n', "macip.toml:2: unknown key 'web.users_file'"),
        ('[web]\nproxy_header = "X Remote User"\n', "macip.toml:2: web.proxy_header: String should match pattern"),
        ("[web]\nproxy_header = 1\n", "macip.toml:2: web.proxy_header: Input should be a valid string"),
    ],
)
def test_the_web_section_is_checked_strictly(runner, ws, toml, message):
    (ws / "macip.toml").write_text(toml, encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--workspace", str(ws), "--port", "0"])
    assert result.exit_code == 3
    assert message in result.stderr


def test_the_starter_workspace_names_the_web_keys_commented_out(tmp_path):
    from macip_gov.workspace import STARTER, init_workspace, load_workspace

    assert '# users = ".macip/users.json"' in STARTER
    assert '# secret = ".macip/web-secret"' in STARTER
    assert '# proxy_header = "X-Remote-User"' in STARTER
    made = init_workspace(tmp_path / "office")
    web = load_workspace(made.file).web
    assert web.users == tmp_path / "office" / ".macip" / "users.json"
    assert web.secret == tmp_path / "office" / ".macip" / "web-secret"
    assert web.proxy_header is None


def test_serve_stops_at_start_when_the_policies_do_not_load(runner, ws, tmp_path):
    add_user(_users(ws), "aroha", "admin", PASSWORD)
    broken = tmp_path / "policies"
    (broken / "oia").mkdir(parents=True)
    (broken / "oia" / "broken.rego").write_text("package oia.broken\n\nallow if {\n", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--workspace", str(ws), "--port", "0", "--policies", str(broken)])
    assert result.exit_code == 4, result.output
    assert result.stdout == ""


def test_user_add_of_a_taken_name_fails_before_asking_for_a_password(runner, ws):
    add_user(_users(ws), "aroha", "admin", PASSWORD)
    result = runner.invoke(cli, ["user", "add", "aroha", "--role", "approver", "--workspace", str(ws)], input="")
    assert result.exit_code == 3
    assert "Password" not in result.stdout
    assert result.stderr == f"Error: {_users(ws)}: user 'aroha' already exists (use `macip-gov user passwd aroha`)\n"
