"""The workspace: finding macip.toml, reading it strictly, init, and every command's defaults from it."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import write_tree

from macip_gov.cli import cli
from macip_gov.disclosure.log import open_log
from macip_gov.errors import InvalidInputError
from macip_gov.workspace import (
    DEFAULT_DECISION_LOG,
    STARTER,
    NoWorkspaceError,
    find_workspace,
    init_workspace,
    load_workspace,
    open_workspace,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
ALLOW = str(ROOT / "examples" / "disclosures" / "01-msd-support-status.yaml")
GG = str(ROOT / "examples" / "governance" / "macip-governance-group.yaml")


@pytest.fixture(autouse=True)
def _no_workspace_variable(monkeypatch):
    monkeypatch.delenv("MACIP_WORKSPACE", raising=False)
    monkeypatch.delenv("MACIP_DECISION_LOG", raising=False)


@pytest.fixture
def outside(tmp_path, monkeypatch) -> Path:
    """An empty folder with no workspace above it, as the current folder."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert find_workspace(folder) is None
    monkeypatch.chdir(folder)
    return folder


def _load(tmp_path: Path, text: str):
    (tmp_path / "macip.toml").write_text(text, encoding="utf-8")
    return load_workspace(tmp_path / "macip.toml")


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(InvalidInputError) as caught:
        _load(tmp_path, text)
    return caught.value.one_line()


# -- finding it --------------------------------------------------------------------------


def test_found_in_the_folder_or_the_nearest_folder_above(tmp_path):
    write_tree(tmp_path, {"macip.toml": "", "a/macip.toml": "", "a/b/c/.keep": ""})
    assert find_workspace(tmp_path) == tmp_path / "macip.toml"
    assert find_workspace(tmp_path / "a" / "b" / "c") == tmp_path / "a" / "macip.toml"


def test_macip_workspace_names_the_folder_or_the_file_and_wins_over_the_search(tmp_path):
    write_tree(tmp_path, {"here/macip.toml": "", "team/macip.toml": "", "team/other.toml": ""})
    here = tmp_path / "here"
    assert find_workspace(here, str(tmp_path / "team")) == tmp_path / "team" / "macip.toml"
    assert find_workspace(here, "../team/other.toml") == here / "../team/other.toml"
    with pytest.raises(InvalidInputError, match=r"^MACIP_WORKSPACE=/nowhere: no macip.toml there$"):
        find_workspace(here, "/nowhere")


def test_no_workspace_is_one_line_naming_the_folder_and_the_ways_out(tmp_path):
    with pytest.raises(NoWorkspaceError) as caught:
        open_workspace(tmp_path, None, fix="pass --log FILE")
    assert caught.value.one_line() == (
        f"no workspace: no macip.toml in {tmp_path} or any folder above it, and MACIP_WORKSPACE is not set; "
        "run `macip-gov init` to make one, or pass --log FILE"
    )
    assert caught.value.exit_code == 3


# -- reading it --------------------------------------------------------------------------


def test_an_empty_file_gives_the_default_layout_beside_it(tmp_path):
    ws = _load(tmp_path, "")
    assert (ws.pia, ws.decision_log.path, ws.decision_log.url) == (
        tmp_path / "pia",
        tmp_path / ".macip" / "decisions.db",
        DEFAULT_DECISION_LOG,
    )
    assert (ws.tor_specs, ws.oia_requests, ws.root) == (None, None, tmp_path)


def test_paths_are_relative_to_the_files_folder_not_the_current_one(tmp_path):
    text = (
        '[pia]\ndir = "records/pia"\n[decision_log]\nurl = "sqlite:///logs/d%20b.db"\n'
        '[tor]\nspecs = "../shared/tor"\n[oia]\nrequests = "/srv/oia"\n'
    )
    (tmp_path / "team").mkdir()
    ws = load_workspace(_write(tmp_path / "team" / "macip.toml", text), relative_to=tmp_path)
    assert ws.pia == Path("team/records/pia")
    assert ws.decision_log.path == Path("team/logs/d b.db")
    assert ws.tor_specs == Path("shared/tor")
    assert ws.oia_requests == Path("/srv/oia")
    assert ws.file == Path("team/macip.toml")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("url", "path", "scheme"),
    [
        ("sqlite:////var/lib/macip/d.db", Path("/var/lib/macip/d.db"), "sqlite"),
        ("logs/d.db", "REL:logs/d.db", "sqlite"),
        ("postgresql://macip@db.example/macip", None, "postgresql"),
        ("postgres://macip@db.example/macip", None, "postgresql"),
    ],
)
def test_decision_log_urls(tmp_path, url, path, scheme):
    ws = _load(tmp_path, f'[decision_log]\nurl = "{url}"\n')
    expected = tmp_path / path[4:] if isinstance(path, str) else path
    assert (ws.decision_log.path, ws.decision_log.scheme, ws.decision_log.url) == (expected, scheme, url)
    assert ws.decision_log.target() == (str(expected) if expected else url)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[pia]\ndir = "pia"\ndirectory = "x"\n', ":3: unknown key 'pia.directory'"),
        ('colour = "blue"\n', ":1: unknown key 'colour'"),
        ('[pia]\ndir = "pia"\n\n[reports]\nout = "x"\n', ":4: unknown key 'reports'"),
        ('pia.dir = "a"\npia.extra = 1\n', ":2: unknown key 'pia.extra'"),
        ("[pia]\ndir = 3\n", ":2: pia.dir: Input should be a valid string"),
        ('pia = "pia"\n', ":1: pia: expected a table ([pia])"),
        ('[tor]\nspecs = ""\n', ":2: tor.specs: String should have at least 1 character"),
        ("[pia\n", ":1: not valid TOML: Expected ']' at the end of a table declaration"),
        ('[decision_log]\nurl = "mysql://db/x"\n', ":2: decision_log.url: mysql:// is not a kind of store"),
        ('[decision_log]\nurl = "sqlite:///"\n', ":2: decision_log.url: expected sqlite:///PATH"),
        ('[decision_log]\nurl = "sqlite://host/x.db"\n', ":2: decision_log.url: expected sqlite:///PATH"),
    ],
)
def test_a_malformed_file_is_one_line_naming_file_line_and_key(tmp_path, text, expected):
    message = _error(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'macip.toml'}{expected}"), message
    assert "\n" not in message


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "macip.toml").write_bytes(b'[pia]\ndir = "\xff"\n')
    with pytest.raises(InvalidInputError, match=r"macip.toml: not UTF-8 text$"):
        load_workspace(tmp_path / "macip.toml")


# -- init --------------------------------------------------------------------------------


def test_init_writes_the_starter_and_its_folders_and_the_starter_reads_back(tmp_path):
    result = init_workspace(tmp_path / "office")
    office = tmp_path / "office"
    assert result.file == office / "macip.toml"
    assert sorted(p.name for p in result.created) == [".macip", "oia", "pia", "tor"]
    assert (office / "macip.toml").read_text(encoding="utf-8") == STARTER
    assert stat.S_IMODE((office / ".macip").stat().st_mode) & 0o077 == 0
    ws = load_workspace(office / "macip.toml")
    assert (ws.pia, ws.tor_specs, ws.oia_requests) == (office / "pia", office / "tor", office / "oia")
    assert ws.decision_log.path == office / ".macip" / "decisions.db"


def test_init_never_overwrites_a_workspace(tmp_path):
    (tmp_path / "macip.toml").write_text('[pia]\ndir = "mine"\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"macip.toml: already a workspace; nothing was changed$"):
        init_workspace(tmp_path)
    assert (tmp_path / "macip.toml").read_text(encoding="utf-8") == '[pia]\ndir = "mine"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["macip.toml"]


def test_cli_init(runner, outside):
    result = runner.invoke(cli, ["init", "office"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote office/macip.toml\n"
        "created office/pia/, office/tor/, office/oia/, office/.macip/\n"
        "next: put the PIA in office/pia (one YAML file), then run `macip-gov doctor`\n"
    )
    again = runner.invoke(cli, ["init", "office"])
    assert (again.exit_code, again.stdout) == (3, "")
    assert again.stderr == "Error: office/macip.toml: already a workspace; nothing was changed\n"
    nested = runner.invoke(cli, ["init", "office/sub"])
    assert nested.exit_code == 0
    assert f"note: office/sub was inside the workspace of {outside / 'office' / 'macip.toml'}" in nested.stdout


# -- commands outside any workspace -------------------------------------------------------

NEEDS_STATE = [
    (["disclosure", "check", ALLOW], "pass --log FILE, or --no-log"),
    (["disclosure", "log", "verify"], "pass --log FILE"),
    (["disclosure", "log", "list"], "pass --log FILE"),
    (["disclosure", "log", "export", "--format", "csv"], "pass --log FILE"),
    (["pia", "validate"], "pass the PIA folder as PATH"),
    (["pia", "history"], "pass the PIA folder as PATH"),
    (["pia", "revise", "-m", "x"], "pass the PIA folder as PATH"),
    (["pia", "diff", "1"], "pass --pia DIR"),
    (["tor", "check", GG], "pass --pia DIR"),
    (["tor", "generate", GG, "-o", "tor.md"], "pass --pia DIR"),
]


@pytest.mark.parametrize(("args", "fix"), NEEDS_STATE, ids=lambda a: " ".join(a[:3]) if isinstance(a, list) else "")
def test_a_command_that_needs_state_says_so_in_one_line_and_creates_nothing(runner, outside, args, fix):
    result = runner.invoke(cli, args)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: no workspace: no macip.toml in {outside} or any folder above it, and MACIP_WORKSPACE is not set; "
        f"run `macip-gov init` to make one, or {fix}\n"
    )
    assert list(outside.iterdir()) == []


def test_stateless_commands_and_explicit_stores_work_outside_a_workspace(runner, outside):
    assert runner.invoke(cli, ["oia", "deadline", "2021-07-19"]).exit_code == 0
    checked = runner.invoke(cli, ["disclosure", "check", ALLOW, "--no-log"])
    assert (checked.exit_code, checked.stderr) == (0, "")
    assert list(outside.iterdir()) == []
    logged = runner.invoke(cli, ["disclosure", "check", ALLOW, "--log", "mine.db"])
    assert logged.exit_code == 0
    assert runner.invoke(cli, ["disclosure", "log", "verify", "--log", "mine.db"]).exit_code == 0
    assert sorted(p.name for p in outside.iterdir() if not p.name.startswith("mine.db-")) == ["mine.db"]


def test_a_malformed_workspace_stops_a_command_naming_the_key(runner, tmp_path, monkeypatch):
    write_tree(tmp_path, {"macip.toml": '[decision_log]\npath = "x.db"\n', "sub/.keep": ""})
    monkeypatch.chdir(tmp_path / "sub")
    result = runner.invoke(cli, ["disclosure", "log", "list"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"Error: {tmp_path / 'macip.toml'}:2: unknown key 'decision_log.path'\n"


# -- commands inside one -------------------------------------------------------------------


@pytest.fixture
def office(tmp_path) -> Path:
    """A workspace laid out unlike the defaults, with a PIA, a ToR spec and an OIA request."""
    root = tmp_path / "office"
    write_tree(
        root,
        {
            "macip.toml": (
                '[pia]\ndir = "records/pia"\n[decision_log]\nurl = "sqlite:///stores/decisions.db"\n'
                '[tor]\nspecs = "governance"\n[oia]\nrequests = "requests"\n'
            ),
            "governance/gg.yaml": Path(GG).read_text(encoding="utf-8"),
            "work/2026/.keep": "",
        },
    )
    (root / "records").mkdir()
    shutil.copytree(ROOT / "pia", root / "records" / "pia")
    shutil.copytree(ROOT / "examples" / "macip-release", root / "requests" / "macip-release")
    return root


def test_every_command_takes_its_defaults_from_the_workspace_from_any_folder_below(runner, office, monkeypatch):
    monkeypatch.chdir(office / "work" / "2026")
    checked = runner.invoke(cli, ["disclosure", "check", ALLOW])
    assert checked.exit_code == 0, checked.output
    log_file = office / "stores" / "decisions.db"
    assert checked.stdout.endswith(f"logged to {log_file} (rows 1-1)\n")
    with open_log(str(log_file), create=False) as log:
        assert log.count() == 1
    assert runner.invoke(cli, ["disclosure", "log", "verify"]).exit_code == 0
    history = runner.invoke(cli, ["pia", "history", "--json"])
    assert history.exit_code == 0, history.output
    assert json.loads(history.stdout)["file"] == str(office / "records" / "pia" / "macip.yaml")
    tor = runner.invoke(cli, ["tor", "check"])
    assert tor.exit_code == 0, tor.output
    assert tor.stdout.endswith("1 passed, 0 failed (current PIA: MACIP-PIA)\n")
    release = runner.invoke(cli, ["oia", "check", "macip-release", "--json"])
    assert release.exit_code in (0, 1), release.output  # found and checked; the verdict is the release's own
    assert json.loads(release.stdout)["manifest"] == str(office / "requests" / "macip-release" / "manifest.yaml")
    assert sorted(os.listdir(office / "work" / "2026")) == [".keep"]


def test_explicit_options_win_over_the_workspace(runner, office, tmp_path, monkeypatch):
    monkeypatch.chdir(office)
    result = runner.invoke(cli, ["disclosure", "check", ALLOW, "--log", str(tmp_path / "other.db")])
    assert result.exit_code == 0
    assert (tmp_path / "other.db").is_file()
    assert not (office / "stores").exists()
    empty = write_tree(tmp_path / "empty-pia", {"macip.yaml": "id: OTHER-PIA\n"})
    tor = runner.invoke(cli, ["tor", "check", GG, "--pia", str(empty)])
    assert tor.stdout.endswith("(current PIA: OTHER-PIA)\n")


def test_macip_workspace_points_a_command_anywhere_at_the_workspace(runner, office, outside, monkeypatch):
    monkeypatch.setenv("MACIP_WORKSPACE", str(office))
    result = runner.invoke(cli, ["disclosure", "check", ALLOW])
    assert result.exit_code == 0
    assert (office / "stores" / "decisions.db").is_file()
    assert list(outside.iterdir()) == []


def test_the_repository_is_a_workspace_naming_the_example(monkeypatch):
    ws = load_workspace(ROOT / "macip.toml")
    assert ws.pia == ROOT / "pia"
    assert ws.decision_log.path == ROOT / ".macip" / "decisions.db"
    assert [p.name for p in ws.tor_spec_files()] == ["macip-governance-group.yaml", "macip-working-group.yaml"]
    assert ws.oia_request("macip-release") == ROOT / "examples" / "macip-release" / "manifest.yaml"
    with pytest.raises(InvalidInputError, match="no OIA request '../pia'"):
        ws.oia_request("../pia")


def test_a_folder_the_file_does_not_name_is_one_line(runner, tmp_path, monkeypatch):
    write_tree(tmp_path, {"macip.toml": "", "pia/macip.yaml": "id: MACIP-PIA\n"})
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["tor", "check"])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == "Error: macip.toml: names no such folder ([tor] specs)\n"
    with pytest.raises(InvalidInputError, match=r"^macip.toml: names no such folder \(\[oia\] requests\)$"):
        load_workspace(tmp_path / "macip.toml", relative_to=tmp_path).oia_request("x")
