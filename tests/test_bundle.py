"""`macip-gov policy bundle`: a valid OPA bundle that decides exactly like the source tree."""

from __future__ import annotations

import io
import json
import tarfile

from opa_bindings import OpaEngine

from macip_gov.bundle import write_bundle
from macip_gov.cli import cli


def _members(path):
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_bundle_layout_and_manifest(policy_set, tmp_path):
    out = tmp_path / "b.tar.gz"
    manifest = write_bundle(policy_set, out)
    files = _members(out)
    assert json.loads(files[".manifest"]) == manifest
    assert manifest["revision"] == policy_set.revision
    assert manifest["rego_version"] == 1
    # every .rego at its relative path, one data.json per data directory, nothing else
    expected = (
        {".manifest"} | set(policy_set.modules) | {"/".join(d.split(".")) + "/data.json" for d in policy_set.data}
    )
    assert set(files) == expected
    for rel, source in policy_set.modules.items():
        assert files[rel].decode() == source
    # roots cover every package and data path (OPA refuses a bundle otherwise)
    for rel in policy_set.modules:
        assert rel.split("/")[0] in manifest["roots"]
    for dotted in policy_set.data:
        assert dotted.split(".")[0] in manifest["roots"]


def test_bundle_loaded_like_opa_loads_it_decides_the_same(policy_set, engine, tmp_path):
    out = tmp_path / "b.tar.gz"
    write_bundle(policy_set, out)
    files = _members(out)
    opa = OpaEngine()
    for name, payload in files.items():
        if name.endswith(".rego"):
            opa.add_policy(name, payload.decode())
        elif name.endswith("/data.json"):
            opa.add_data(json.loads(payload), ".".join(name.split("/")[:-1]))
    doc = {"grounds": ["6(c)", "9(2)(g)", "99(z)"], "use": "withhold"}
    assert opa.eval_document("oia.grounds.decision", doc) == engine.evaluate("oia.grounds.decision", doc)


def test_bundle_is_deterministic(policy_set, tmp_path):
    write_bundle(policy_set, tmp_path / "a.tar.gz")
    write_bundle(policy_set, tmp_path / "b.tar.gz")
    assert _members(tmp_path / "a.tar.gz") == _members(tmp_path / "b.tar.gz")


def test_cli_bundle(runner, tmp_path, policy_set):
    out = tmp_path / "dist" / "policies.tar.gz"
    result = runner.invoke(cli, ["policy", "bundle", "-o", str(out), "--json"])
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["path"] == str(out) and body["manifest"]["revision"] == policy_set.revision
    assert tarfile.is_tarfile(out)


def test_cli_bundle_refuses_a_tree_that_does_not_compile(runner, tmp_path):
    tree = tmp_path / "p" / "a"
    tree.mkdir(parents=True)
    (tree / "a.rego").write_text("package a\n\nx if {\n\tz\n}\n")
    out = tmp_path / "out.tar.gz"
    result = runner.invoke(cli, ["policy", "bundle", "-o", str(out), "--policies", str(tmp_path / "p")])
    assert result.exit_code == 4
    assert not out.exists()


def test_gzip_payload_is_a_plain_tar(policy_set, tmp_path):
    out = tmp_path / "b.tar.gz"
    write_bundle(policy_set, out)
    raw = out.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        assert tar.getmembers()[0].name == ".manifest"
