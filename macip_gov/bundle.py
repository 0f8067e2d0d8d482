"""Writing an OPA bundle (``.tar.gz``) that ``opa run --server --bundle`` serves unchanged."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from .policyset import PolicySet

# Fixed mtime so the same policy set always yields the same bytes.
_EPOCH = 0


def _roots(policy_set: PolicySet) -> list[str]:
    # Each top-level directory owns its packages and data; OPA requires the
    # manifest's roots to cover every package path and data path in the bundle.
    tops = {rel.split("/", 1)[0] for rel in policy_set.modules if "/" in rel}
    tops |= {dotted.split(".", 1)[0] for dotted in policy_set.data}
    return sorted(tops)


def _add(tar: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = _EPOCH
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(payload))


def write_bundle(policy_set: PolicySet, out: Path | str) -> dict[str, object]:
    """Write the policy set as an OPA bundle.

    The bundle holds ``.manifest`` (revision = policy_revision, roots,
    ``rego_version`` 1), every ``.rego`` at its relative path, and one
    ``data.json`` per data directory (YAML data converted to JSON).

    Args:
        policy_set: The loaded policies and data.
        out: Path of the ``.tar.gz`` to write.

    Returns:
        The manifest that was written.
    """
    manifest: dict[str, object] = {
        "revision": policy_set.revision,
        "roots": _roots(policy_set),
        "rego_version": 1,
        "metadata": {"name": "macip-gov"},
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tarfile.open(tmp, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, ".manifest", json.dumps(manifest, indent=2, sort_keys=True).encode())
        for rel, source in sorted(policy_set.modules.items()):
            _add(tar, rel, source.encode("utf-8"))
        for dotted, value in sorted(policy_set.data.items()):
            name = "/".join(dotted.split(".")) + "/data.json"
            _add(tar, name, json.dumps(value, indent=1, sort_keys=True).encode())
    tmp.replace(out)
    return manifest
