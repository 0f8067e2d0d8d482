#!/usr/bin/env bash
# The review app starts on the MACIP example and answers as each area's page: a throwaway
# workspace file points at this checkout's PIA, ToR specs and OIA requests (the decision log
# and the one demo user live in a temporary folder, so nothing of the checkout changes).
# To use the app yourself: `make serve` (docs/serve.md).
set -euo pipefail
python - <<'PY'
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from macip_gov.users import add_user

repo = Path.cwd()
with tempfile.TemporaryDirectory(prefix="macip-review-app-") as tmp:
    folder = Path(tmp)
    (folder / "macip.toml").write_text(
        f'[pia]\ndir = "{repo / "pia"}"\n\n'
        f'[decision_log]\nurl = "sqlite:///{folder / "decisions.db"}"\n\n'
        f'[tor]\nspecs = "{repo / "examples" / "governance"}"\n\n'
        f'[oia]\nrequests = "{repo / "examples"}"\n\n'
        f'[web]\nusers = "{folder / "users.json"}"\nsecret = "{folder / "web-secret"}"\n'
    )
    password = secrets.token_urlsafe(18)
    add_user(folder / "users.json", "demo", "admin", password)
    server = subprocess.Popen(
        ["macip-gov", "serve", "--workspace", str(folder), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not found:
            sys.exit(f"the review app did not start: {line.strip() or 'no output'}")
        url = found.group(0)
        print(line.strip())
        with httpx.Client(base_url=url, timeout=60) as client:
            form = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            if form.status_code != 200 or token is None:
                sys.exit(f"the sign-in page answered {form.status_code}")
            signed = client.post(
                "/login", data={"username": "demo", "password": password, "next": "/", "csrf_token": token.group(1)}
            )
            if signed.status_code != 303:
                sys.exit(f"signing in answered {signed.status_code}")
            for path in ("/", "/oia", "/oia/macip-release", "/disclosure", "/disclosure/log", "/pia", "/tor"):
                started = time.perf_counter()
                page = client.get(path)
                took = (time.perf_counter() - started) * 1000
                title = re.search(r"<title>(.*?)</title>", page.text, re.S)
                print(f"  {path:<20} {page.status_code}  {took:6.0f} ms  {title.group(1).strip() if title else ''}")
                if page.status_code != 200:
                    sys.exit(f"{path} answered {page.status_code}")
    finally:
        server.terminate()
        server.wait(timeout=30)
print("The review app works on this example; to use it: make serve (a demo user of each role; docs/serve.md)")
PY
