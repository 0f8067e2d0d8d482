"""A copy of the MACIP example as a workspace, laid out as the app's tests, its benchmark and its screenshots use it.

The layout: the PIA with its history in ``pia/``, the ToR specs in ``tor/``, the example
disclosure requests in ``disclosures/``, two OIA requests in ``oia/`` and the decision log
in ``.macip/`` (made by the first check). Users are the caller's to add.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKSPACE_TOML = """\
[pia]
dir = "pia"

[decision_log]
url = "sqlite:///.macip/decisions.db"

[tor]
specs = "tor"

[oia]
requests = "oia"
"""

OIA_REQUESTS = ("macip-release", "pdf-original")
"""The example OIA requests copied into the workspace's ``oia/`` folder."""


def copy_example(root: Path) -> Path:
    """Lay the example workspace out in ``root`` (made when missing) and return its ``macip.toml``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "macip.toml").write_text(WORKSPACE_TOML, encoding="utf-8")
    shutil.copytree(ROOT / "pia", root / "pia")
    shutil.copytree(ROOT / "examples" / "governance", root / "tor")
    shutil.copytree(ROOT / "examples" / "disclosures", root / "disclosures")
    for name in OIA_REQUESTS:
        shutil.copytree(ROOT / "examples" / name, root / "oia" / name)
    (root / ".macip").mkdir(mode=0o700)
    return root / "macip.toml"
