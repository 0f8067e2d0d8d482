#!/usr/bin/env bash
# The review app on the MACIP example (this checkout's macip.toml), to try it out: `make serve`.
# First one demo user of each role is added to the workspace's users file (.macip/users.json),
# named after the role (privacy_officer, oia_officer, ...), when no user of that name exists yet.
# Each new user's password is random and printed here once: only its hash is kept, so note it
# (or set another with `macip-gov user passwd NAME`). Then `macip-gov serve` runs until Ctrl-C;
# arguments are passed on to it (e.g. --port 8001).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
python - <<'PY'
import secrets
from pathlib import Path

from macip_gov.users import ROLE_TITLES, ROLES, add_user, load_users
from macip_gov.workspace import load_workspace

ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
workspace = load_workspace(Path("macip.toml").resolve())
users_file = workspace.web.users
existing = load_users(users_file, missing_ok=True)
made = []
for role in ROLES:
    if role not in existing:
        # Letters and digits only, none easily misread (0/O, 1/l/I), so it can be typed from the screen.
        password = "".join(secrets.choice(ALPHABET) for _ in range(16))
        add_user(users_file, role, role, password)
        made.append((role, password))
if made:
    print(f"Demo users added to {users_file} (each password is shown this once):")
    for name, password in made:
        print(f"  {ROLE_TITLES[name]:<24} user name {name:<16} password {password}")
else:
    print(f"Demo users: one of each role is already in {users_file} (user name = the role, e.g. privacy_officer).")
PY
exec macip-gov serve "$@"
