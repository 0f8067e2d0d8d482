"""The review app's users file: hashes, roles, atomic writes and strict reading."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest

from macip_gov.errors import InvalidInputError
from macip_gov.users import (
    ROLES,
    add_user,
    check_name,
    load_users,
    remove_user,
    set_password,
    set_role,
    verify,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def users_file(tmp_path):
    path = tmp_path / ".macip" / "users.json"
    add_user(path, "aroha", "privacy_officer", PASSWORD)
    return path


def test_adding_the_first_user_makes_a_private_file_with_a_hash_not_the_password(users_file):
    text = users_file.read_text(encoding="utf-8")
    assert PASSWORD not in text
    data = json.loads(text)
    assert data["version"] == 1
    assert data["users"]["aroha"]["role"] == "privacy_officer"
    assert data["users"]["aroha"]["password_hash"].startswith("$argon2id$")
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(users_file.parent.stat().st_mode) == 0o700


def test_verify_accepts_the_password_and_nothing_else(users_file):
    users = load_users(users_file)
    assert verify(users, "aroha", PASSWORD).role == "privacy_officer"
    assert verify(users, "aroha", PASSWORD + " ") is None
    assert verify(users, "aroha", "") is None
    assert verify(users, "nobody", PASSWORD) is None


def test_the_roles_are_the_five_the_app_knows():
    from macip_gov.cli.user import ROLE_NAMES

    assert ROLES == ROLE_NAMES == ("oia_officer", "privacy_officer", "secretariat", "approver", "admin")


def test_add_refuses_a_taken_name_a_bad_role_a_bad_name_and_a_short_password(users_file):
    before = users_file.read_bytes()
    with pytest.raises(InvalidInputError, match="'aroha' already exists"):
        add_user(users_file, "aroha", "admin", PASSWORD)
    with pytest.raises(InvalidInputError, match="role 'boss': expected one of oia_officer"):
        add_user(users_file, "tama", "boss", PASSWORD)
    with pytest.raises(InvalidInputError, match="user name '../x'"):
        add_user(users_file, "../x", "admin", PASSWORD)
    with pytest.raises(InvalidInputError, match="at least 12 characters") as short:
        add_user(users_file, "tama", "admin", "short")
    assert "short" not in str(short.value).replace("at least", "")
    assert users_file.read_bytes() == before


def test_set_password_remove_and_set_role(users_file):
    add_user(users_file, "tama", "approver", PASSWORD)
    set_password(users_file, "tama", "another long passphrase")
    users = load_users(users_file)
    assert verify(users, "tama", PASSWORD) is None
    assert verify(users, "tama", "another long passphrase") is not None
    set_role(users_file, "tama", "admin")
    assert load_users(users_file)["tama"].role == "admin"
    remove_user(users_file, "tama")
    assert list(load_users(users_file)) == ["aroha"]
    with pytest.raises(InvalidInputError, match="no user 'tama'"):
        remove_user(users_file, "tama")
    with pytest.raises(InvalidInputError, match="no user 'tama'"):
        set_password(users_file, "tama", PASSWORD)


def test_a_missing_file_is_an_error_naming_it_and_the_command_to_fix_it(tmp_path):
    path = tmp_path / "users.json"
    with pytest.raises(InvalidInputError) as caught:
        load_users(path)
    assert caught.value.one_line() == (
        f"{path}: no users file: add the first user with `macip-gov user add NAME --role admin`"
    )
    assert load_users(path, missing_ok=True) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "(file): Input should be"),
        ('{"version": 2, "users": {}}', "version: Input should be 1"),
        ('{"version": 1}', "users: Field required"),
        ('{"version": 1, "users": {"a": {"role": "king", "password_hash": "x"}}}', "users.a.role: Input should be"),
        ('{"version": 1, "users": {"a": {"role": "admin"}}}', "users.a.password_hash: Field required"),
        ('{"version": 1, "users": {"a": {"role": "admin", "password_hash": "x", "pw": "y"}}}', "users.a.pw: Extra"),
        ('{"version": 1, "users": {"a b": {"role": "admin", "password_hash": "x"}}}', "users.a b: not a valid"),
    ],
)
def test_a_malformed_file_is_an_error_naming_the_file_and_field(tmp_path, text, message):
    path = tmp_path / "users.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_users(path)
    assert caught.value.one_line().startswith(f"{path}")
    assert message in caught.value.one_line()


def test_a_failed_write_keeps_the_users_already_there(users_file):
    # The write fails for real: the process may not write files over 300 bytes (this works as root too).
    before = users_file.read_bytes()
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from macip_gov.users import add_user\n"
        "from macip_gov.errors import InvalidInputError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))\n"
        "try:\n"
        "    add_user(Path(sys.argv[1]), 'tama', 'admin', 'a long enough passphrase')\n"
        "except InvalidInputError as exc:\n"
        "    print(exc.one_line())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(users_file)], capture_output=True, text=True, check=True)
    assert "cannot write: File too large" in out.stdout
    assert users_file.read_bytes() == before
    assert sorted(p.name for p in users_file.parent.iterdir()) == ["users.json"]


def test_a_damaged_hash_never_verifies(users_file):
    data = json.loads(users_file.read_text(encoding="utf-8"))
    data["users"]["aroha"]["password_hash"] = "not-a-hash"
    users_file.write_text(json.dumps(data), encoding="utf-8")
    assert verify(load_users(users_file), "aroha", PASSWORD) is None


@pytest.mark.parametrize("name", ["aroha", "a.b-c_d", "jo@agency", "X1"])
def test_good_names(name):
    assert check_name(name) == name
