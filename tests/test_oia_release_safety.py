"""What a release may read, where it may write, and what it may publish.

Real files in a temporary folder throughout: originals outside the manifest's folder
(relative, absolute, through a symlink, /proc), non-regular files, output folders that
hold the inputs, a previous release replaced whole, a release that fails while it is
being written, and withheld text that reaches a title or a letter field.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pdf_read
import pytest
import yaml

from macip_gov.cli import cli
from macip_gov.errors import ExitCode, InvalidInputError, TemplateError
from macip_gov.oia.release import build_release, check_release

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "macip-release"

# Withheld in the small release below; nothing else in it contains these words.
SECRET = "Detective Zqkwv Plimsoll"
ORIGINAL = (
    "# Briefing on the pilot\n"
    "\n"
    "The pilot starts in May and runs for a year.\n"
    "\n"
    f'The lead investigator is [{SECRET}]{{.withhold ground="6(c)"}}.\n'
    "\n"
    '::: {.withhold ground="6(c)"}\n'
    "The pilot site is the Quarry Lane depot.\n"
    "\n"
    'Its code name is [Marigold]{.withhold ground="6(c)"}.\n'
    ":::\n"
    "\n"
    'Funding: [6]{.withhold ground="6(c)"} staff and [NZ]{.withhold ground="6(c)"} overheads.\n'
)
SECRET_LINE = 5
OUTSIDE_TEXT = "OUTSIDE-THE-RELEASE zqvvx\n"


def manifest_data(path: str = "originals/briefing.md", **doc) -> dict:
    return {
        "request": {
            "id": "2024-001",
            "requester": "Ana Tipene",
            "agency": "the Ministry",
            "subject": "the pilot",
            "sought": ["All briefings about the pilot"],
            "received": "2024-03-04",
            "decided": "2024-03-28",
            "decision_maker": {"name": "Jo Bloggs", "title": "Chief Executive"},
        },
        "documents": [
            {
                "id": "briefing",
                "path": path,
                "title": "Briefing on the pilot",
                "date": "2024-03-01",
                "decision": "released_in_part",
                **doc,
            }
        ],
    }


def write_manifest(folder: Path, data: dict, name: str = "release.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path):
    """A one-document release in tmp_path/case, with a file outside it."""
    folder = tmp_path / "case"
    (folder / "originals").mkdir(parents=True)
    (folder / "originals" / "briefing.md").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "outside.md").write_text(OUTSIDE_TEXT, encoding="utf-8")
    return write_manifest(folder, manifest_data())


def edit(manifest: Path, change) -> Path:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    change(data)
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return manifest


def digest_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def texts(out: Path):
    """Every file of a release as text, DOCX parts (core properties included) and PDF readings one by one."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for part in archive.namelist():
                    yield f"{path.relative_to(out)}:{part}", archive.read(part).decode("utf-8", errors="replace")
        elif path.suffix == ".pdf":  # each engine's text, then every string and decompressed stream
            for where, text in pdf_read.everything(path.read_bytes()).items():
                yield f"{path.relative_to(out)}:{where}", text
        else:
            yield str(path.relative_to(out)), path.read_text(encoding="utf-8")


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# ------------------------------------------------------------------ item 2: originals stay in the folder


def _relative_up(small: Path) -> str:
    return "../outside.md"


def _deep_up(small: Path) -> str:
    return "../" * 30 + "etc/passwd"


def _absolute(small: Path) -> str:
    return str(small.parent.parent / "outside.md")


def _symlink_out(small: Path) -> str:
    link = small.parent / "originals" / "linked.md"
    link.symlink_to(small.parent.parent / "outside.md")
    return "originals/linked.md"


def _symlinked_folder(small: Path) -> str:
    (small.parent / "elsewhere").symlink_to(small.parent.parent, target_is_directory=True)
    return "elsewhere/outside.md"


def _proc(small: Path) -> str:
    return "/proc/self/environ"


@pytest.mark.parametrize(
    "where",
    [_relative_up, _deep_up, _absolute, _symlink_out, _symlinked_folder, _proc],
    ids=["relative", "deep-relative", "absolute", "symlink", "symlinked-folder", "proc"],
)
def test_original_outside_the_manifests_folder_is_refused(small, engine, where):
    path = where(small)
    edit(small, lambda d: d["documents"][0].update(path=path))
    for run in (check_release, lambda m, e: build_release(m, small.parent / "out", e)):
        with pytest.raises(InvalidInputError) as info:
            run(small, engine)
        assert info.value.exit_code == ExitCode.INVALID_INPUT
        assert info.value.file == str(small)
        assert info.value.message == (
            f"documents[0].path: {path!r} is outside the manifest's folder ({small.parent.resolve()})"
        )
        assert OUTSIDE_TEXT.strip() not in info.value.one_line()
    assert not (small.parent / "out").exists()


def test_path_with_a_nul_byte_is_invalid_input(small, engine):
    edit(small, lambda d: d["documents"][0].update(path="originals/brief\0ing.md"))
    with pytest.raises(InvalidInputError) as info:
        check_release(small, engine)
    assert info.value.message.startswith("documents[0].path: 'originals/brief\\x00ing.md' cannot be resolved")


def test_refusal_names_the_manifest_line(small, engine):
    edit(small, lambda d: d["documents"][0].update(path="../outside.md"))
    line = small.read_text(encoding="utf-8").splitlines().index("  path: ../outside.md") + 1
    with pytest.raises(InvalidInputError) as info:
        check_release(small, engine)
    assert info.value.location == str(line)


def test_cli_refuses_an_original_outside_exit_3_one_line(runner, small):
    edit(small, lambda d: d["documents"][0].update(path="../outside.md"))
    out = small.parent / "out"
    for args in (["oia", "check", str(small)], ["oia", "release", str(small), "-o", str(out)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 3, result.output
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"Error: {small}:")
        assert "documents[0].path: '../outside.md' is outside the manifest's folder" in result.stderr
        assert "zqvvx" not in result.stderr
    assert not out.exists()


def test_symlink_to_a_file_inside_the_folder_is_read(small, engine):
    (small.parent / "originals" / "alias.md").symlink_to("briefing.md")
    edit(small, lambda d: d["documents"][0].update(path="originals/alias.md"))
    assert check_release(small, engine).ok


def test_dot_dot_that_stays_inside_is_read(small, engine):
    edit(small, lambda d: d["documents"][0].update(path="originals/../originals/briefing.md"))
    assert check_release(small, engine).ok


def test_fifo_original_is_refused_without_blocking(small, engine):
    os.mkfifo(small.parent / "originals" / "pipe.md")
    edit(small, lambda d: d["documents"][0].update(path="originals/pipe.md"))
    with pytest.raises(InvalidInputError) as info:
        check_release(small, engine)
    assert info.value.message == "documents[0].path: 'originals/pipe.md' is not a regular file"


def test_folder_as_original_is_refused(small, engine):
    edit(small, lambda d: d["documents"][0].update(path="originals"))
    with pytest.raises(InvalidInputError) as info:
        check_release(small, engine)
    assert info.value.message == "documents[0].path: 'originals' is not a regular file"


def test_originals_root_allows_a_sibling_folder(tmp_path, engine, runner):
    shared = tmp_path / "shared"
    (shared / "originals").mkdir(parents=True)
    (shared / "originals" / "briefing.md").write_text(ORIGINAL, encoding="utf-8")
    manifest = write_manifest(shared / "manifests", manifest_data("../originals/briefing.md"))
    with pytest.raises(InvalidInputError):
        check_release(manifest, engine)
    assert check_release(manifest, engine, originals_root=shared).ok
    result = runner.invoke(cli, ["oia", "check", str(manifest), "--originals-root", str(shared)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(cli, ["oia", "release", str(manifest), "--originals-root", str(shared), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # The root bounds reads whatever it is: a path outside it is still refused.
    result = runner.invoke(cli, ["oia", "check", str(manifest), "--originals-root", str(shared / "manifests")])
    assert result.exit_code == 3
    assert f"is outside the originals root ({(shared / 'manifests').resolve()})" in result.stderr


def test_missing_original_is_still_file_not_found(small, engine):
    (small.parent / "originals" / "briefing.md").unlink()
    with pytest.raises(InvalidInputError) as info:
        check_release(small, engine)
    assert info.value.one_line() == f"{small.parent / 'originals' / 'briefing.md'}: file not found"


# ------------------------------------------------------------------ item 3: a release never overwrites an input


def test_output_beside_the_originals_cannot_overwrite_one(tmp_path, engine, runner, monkeypatch):
    # documents/01-briefing.md is both the original and the name the release would give its redaction.
    folder = tmp_path / "case"
    (folder / "documents").mkdir(parents=True)
    original = folder / "documents" / "01-briefing.md"
    original.write_text(ORIGINAL, encoding="utf-8")
    manifest = write_manifest(folder, manifest_data("documents/01-briefing.md"))
    before = digest_tree(folder)
    monkeypatch.chdir(folder)
    result = runner.invoke(cli, ["oia", "release", "release.yaml", "-o", "."])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: .: the output folder holds the manifest ({manifest.resolve()}); "
        "write the release to a folder that holds no input\n"
    )
    assert digest_tree(folder) == before
    assert SECRET in original.read_text(encoding="utf-8")


def test_output_folder_holding_an_original_is_refused(tmp_path, engine):
    folder = tmp_path / "case"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "01-briefing.md").write_text(ORIGINAL, encoding="utf-8")
    manifest = write_manifest(tmp_path / "manifests", manifest_data("../case/documents/01-briefing.md"))
    before = digest_tree(folder)
    with pytest.raises(InvalidInputError) as info:
        build_release(manifest, folder, engine, originals_root=tmp_path)
    assert info.value.message == (
        f"the output folder holds document 1's original ({(folder / 'documents' / '01-briefing.md').resolve()}); "
        "write the release to a folder that holds no input"
    )
    assert digest_tree(folder) == before


def test_output_into_the_folder_of_a_manifest_named_release_json(tmp_path, engine, runner):
    folder = tmp_path / "case"
    (folder / "originals").mkdir(parents=True)
    (folder / "originals" / "briefing.md").write_text(ORIGINAL, encoding="utf-8")
    manifest = write_manifest(folder, manifest_data(), name="release.json")
    before = digest_tree(folder)
    result = runner.invoke(cli, ["oia", "release", str(manifest), "-o", str(folder)])
    assert result.exit_code == 3, result.output
    assert f"the output folder holds the manifest ({manifest.resolve()})" in result.stderr
    assert digest_tree(folder) == before


@pytest.mark.parametrize("target", ["ancestor", "manifest-file", "original-file", "symlink-to-folder"])
def test_other_outputs_that_would_hold_or_be_an_input(small, engine, target):
    folder = small.parent
    out = {
        "ancestor": folder.parent,
        "manifest-file": small,
        "original-file": folder / "originals" / "briefing.md",
        "symlink-to-folder": folder.parent / "link",
    }[target]
    if target == "symlink-to-folder":
        out.symlink_to(folder, target_is_directory=True)
    before = digest_tree(folder)
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine)
    assert info.value.file == str(out)
    assert "holds no input" in info.value.message or "is an input" in info.value.message
    assert digest_tree(folder) == before


def test_output_inside_the_manifests_folder_is_allowed(small, engine):
    report = build_release(small, small.parent / "out", engine)
    assert report.written
    assert (small.parent / "out" / "release.json").is_file()


# ------------------------------------------------------------------ item 4: all or nothing at the target


def test_failure_while_writing_leaves_nothing_at_the_target(small, engine):
    # The second document's file name is too long for the file system: a real failure after the first
    # document's files were written.
    (small.parent / "originals" / "second.md").write_text("Second.\n", encoding="utf-8")
    edit(
        small,
        lambda d: d["documents"].append(
            {
                "id": "b" * 300,
                "path": "originals/second.md",
                "title": "Second",
                "date": "2024-03-02",
                "decision": "released",
            }
        ),
    )
    out = small.parent / "out"
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine)
    assert "cannot write here" in info.value.message
    assert not out.exists()
    assert leftovers(small.parent) == []


def test_failure_keeps_the_previous_release_whole(small, engine, tmp_path):
    out = small.parent / "out"
    build_release(small, out, engine)
    before = digest_tree(out)
    broken = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", broken)
    (broken / "oia_letter.md.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        build_release(small, out, engine, templates_dir=broken, replace=True)
    assert digest_tree(out) == before
    assert leftovers(small.parent) == []


def test_a_new_release_replaces_the_previous_one_whole(small, engine):
    (small.parent / "originals" / "second.md").write_text("Second.\n", encoding="utf-8")
    edit(
        small,
        lambda d: d["documents"].append(
            {
                "id": "second",
                "path": "originals/second.md",
                "title": "Second",
                "date": "2024-03-02",
                "decision": "released",
            }
        ),
    )
    out = small.parent / "out"
    build_release(small, out, engine)
    assert (out / "documents" / "02-second.md").is_file()
    edit(small, lambda d: d["documents"].pop())
    report = build_release(small, out, engine, replace=True)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted([*report.artefacts, "release.json"])
    assert not (out / "documents" / "02-second.md").exists()
    assert leftovers(small.parent) == []


def test_an_empty_folder_is_written_into(small, engine):
    out = small.parent / "out"
    out.mkdir()
    assert build_release(small, out, engine).written
    assert (out / "release.json").is_file()


def test_an_unrelated_folder_is_not_replaced(small, engine, runner):
    out = small.parent / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    result = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out)])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {out}: the folder is not empty; write the release to a new or empty folder, "
        "or use --replace to replace the release written there\n"
    )
    result = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out), "--replace"])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {out}: the folder is not a previous release (it has no release.json), so --replace leaves it "
        "alone; write the release to a new or empty folder\n"
    )
    assert digest_tree(out) == {"notes.txt": hashlib.sha256(b"my notes\n").hexdigest()}


def test_a_second_release_into_the_same_folder_needs_replace(small, engine, runner):
    out = small.parent / "out"
    first = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out)])
    assert first.exit_code == 0, first.stderr
    before = digest_tree(out)
    again = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out)])
    assert (again.exit_code, again.stdout) == (3, "")
    assert again.stderr == (
        f"Error: {out}: the folder is not empty; write the release to a new or empty folder, "
        "or use --replace to replace the release written there\n"
    )
    assert digest_tree(out) == before
    replaced = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out), "--replace"])
    assert replaced.exit_code == 0, replaced.stderr
    assert digest_tree(out) == before  # the same manifest gives the same bytes
    assert leftovers(small.parent) == []


def test_replace_into_a_missing_or_empty_folder(small, engine):
    assert build_release(small, small.parent / "new", engine, replace=True).written
    empty = small.parent / "empty"
    empty.mkdir()
    assert build_release(small, empty, engine, replace=True).written
    assert (empty / "release.json").is_file()


def test_a_previous_release_with_extra_files_is_not_replaced(small, engine):
    out = small.parent / "out"
    build_release(small, out, engine)
    (out / "documents" / "signed-letter.pdf").write_bytes(b"%PDF")
    before = digest_tree(out)
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine, replace=True)
    assert info.value.message == (
        "the folder holds documents/signed-letter.pdf, which its release.json does not list; "
        "move it away or write the release to a new or empty folder"
    )
    assert digest_tree(out) == before


def test_replacing_removes_only_the_files_the_previous_record_lists(small, engine, tmp_path):
    from macip_gov.oia._release_folder import _remove_listed, previous_release

    out = small.parent / "out"
    build_release(small, out, engine)
    listed = previous_release(out, out, replace=True)
    assert listed == sorted(digest_tree(out))
    # Something that appears after the check (another program writing into the folder)
    # is never removed with the previous release.
    (out / "documents" / "late.txt").write_text("late\n", encoding="utf-8")
    _remove_listed(out, listed)
    assert digest_tree(out) == {"documents/late.txt": hashlib.sha256(b"late\n").hexdigest()}


def test_a_previous_release_edited_by_hand_is_not_replaced(small, engine):
    out = small.parent / "out"
    build_release(small, out, engine)
    (out / "letter.md").write_text("edited\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine, replace=True)
    assert info.value.message == (
        "letter.md was changed after the release was written; "
        "move it away or write the release to a new or empty folder"
    )
    assert (out / "letter.md").read_text(encoding="utf-8") == "edited\n"


def test_a_file_in_place_of_an_artefact_is_refused_before_anything_is_written(small, engine):
    # Before, the documents were written and the release stopped at letter.md, leaving no release.json.
    out = small.parent / "out"
    (out / "letter.md").mkdir(parents=True)
    with pytest.raises(InvalidInputError):
        build_release(small, out, engine)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["letter.md"]


def test_output_that_is_a_file_is_refused(small, engine):
    out = small.parent / "out"
    out.write_text("a file\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine)
    assert info.value.message == "exists and is not a folder"
    assert out.read_text(encoding="utf-8") == "a file\n"


# ------------------------------------------------------------------ item 5: withheld text in titles and fields


FIELDS = {
    "documents[0].title": lambda d, s: d["documents"][0].update(title=f"Briefing: {s}"),
    "documents[0].reference": lambda d, s: d["documents"][0].update(reference=f"REF {s}"),
    "documents[0].note": lambda d, s: d["documents"][0].update(note=f"see {s}"),
    "request.requester": lambda d, s: d["request"].update(requester=s),
    "request.contact": lambda d, s: d["request"].update(contact=f"c/o {s}"),
    "request.subject": lambda d, s: d["request"].update(subject=f"the pilot led by {s}"),
    "request.sought[0]": lambda d, s: d["request"].update(sought=[f"Everything about {s}"]),
    "request.agency": lambda d, s: d["request"].update(agency=f"the office of {s}"),
    "request.id": lambda d, s: d["request"].update(id=f"2024-001 {s}"),
    "request.decision_maker.name": lambda d, s: d["request"]["decision_maker"].update(name=s),
    "request.decision_maker.title": lambda d, s: d["request"]["decision_maker"].update(title=f"Deputy to {s}"),
    "request.extension.reason": lambda d, s: d["request"].update(
        extension={
            "working_days": 5,
            "ground": "15A(1)(b)",
            "reason": f"because {s} was consulted",
        }
    ),
    "letter.letterhead[1]": lambda d, s: d.setdefault("letter", {}).update(letterhead=["Office", s]),
    "letter.salutation": lambda d, s: d.setdefault("letter", {}).update(salutation=f"Dear {s}"),
    "letter.closing": lambda d, s: d.setdefault("letter", {}).update(closing=f"Regards from {s}."),
    "letter.sign_off": lambda d, s: d.setdefault("letter", {}).update(sign_off=f"{s} sends regards"),
    "letter.explanations[6(c)]": lambda d, s: d.setdefault("letter", {}).update(
        explanations={"6(c)": f"It concerns {s}."}
    ),
    "letter.statements.ombudsman": lambda d, s: d.setdefault("letter", {}).update(
        statements={"ombudsman": f"Complain about {s} to the Ombudsman."}
    ),
    "documents[0].id": lambda d, s: d["documents"][0].update(id="briefing-" + "-".join(s.lower().split())),
}


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_withheld_text_in_a_released_field_is_a_violation(small, engine, field):
    edit(small, lambda d: FIELDS[field](d, SECRET.upper()))
    key = yaml.safe_load(small.read_text(encoding="utf-8"))["documents"][0]["id"]
    report = check_release(small, engine)
    assert not report.ok
    leaks = [v for v in report.violations if v.id == "oia.release.withheld_text_released"]
    assert [(v.msg, v.document, v.line, v.field, v.details["citation"]) for v in leaks] == [
        (f"{field} contains text withheld at originals/briefing.md:{SECRET_LINE}", key, SECRET_LINE, field, "6(c)"),
    ]
    out = small.parent / "out"
    released = build_release(small, out, engine)
    assert not released.written
    assert not out.exists()


def test_title_leak_is_reported_by_the_cli_and_nothing_written(small, runner):
    edit(small, lambda d: d["documents"][0].update(title=f"Briefing for  {SECRET.lower()}"))
    out = small.parent / "out"
    result = runner.invoke(cli, ["oia", "release", str(small), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"error: documents[0].title contains text withheld at originals/briefing.md:{SECRET_LINE}"
        f" (oia.release.withheld_text_released) [document briefing, citation 6(c), line {SECRET_LINE}]\n"
    )
    assert result.stdout.endswith("nothing written\n")
    assert SECRET.lower() not in result.stdout.lower()
    assert not out.exists()


def test_withheld_text_in_a_block_and_nested_inside_it_is_caught(small, engine):
    # A whole sentence of a withheld block, and a span nested inside the block.
    edit(
        small,
        lambda d: d["documents"][0].update(
            title="Marigold",
            note="as noted, the pilot site is the quarry  lane DEPOT",
        ),
    )
    report = check_release(small, engine)
    assert [v.msg for v in report.violations] == [
        "documents[0].note contains text withheld at originals/briefing.md:7",
        "documents[0].title contains text withheld at originals/briefing.md:10",
    ]


def test_part_of_a_sentence_of_a_block_is_not_a_violation(small, engine):
    edit(small, lambda d: d["documents"][0].update(note="at the quarry lane depot"))
    assert check_release(small, engine).ok


def test_withheld_text_of_another_document_is_caught(small, engine):
    (small.parent / "originals" / "second.md").write_text("Second.\n", encoding="utf-8")
    edit(
        small,
        lambda d: d["documents"].append(
            {
                "id": "second",
                "path": "originals/second.md",
                "title": f"Reply to {SECRET}",
                "date": "2024-03-02",
                "decision": "released",
            }
        ),
    )
    report = check_release(small, engine)
    assert [v.msg for v in report.violations] == [
        f"documents[1].title contains text withheld at originals/briefing.md:{SECRET_LINE}",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "Briefing 6 on the pilot",  # a one-character span ("6") is not matched
        "Briefing on NZ pilots",  # nor a two-letter one ("NZ")
        "Briefing on Plimsoll shoes",  # part of a passage is not the passage
        "Briefing on Marigolds",  # whole words only
    ],
)
def test_short_or_partial_matches_are_not_violations(small, engine, title):
    edit(small, lambda d: d["documents"][0].update(title=title))
    assert check_release(small, engine).ok


def test_example_release_has_no_withheld_text_in_its_fields(engine):
    report = check_release(EXAMPLE / "manifest.yaml", engine)
    assert report.ok


def test_no_withheld_text_in_any_artefact_of_a_clean_release(small, engine):
    out = small.parent / "out"
    assert build_release(small, out, engine).written
    for name, text in texts(out):
        for withheld in (SECRET, "Zqkwv", "Quarry Lane", "Marigold"):
            assert withheld not in text, (name, withheld)


def test_title_reaches_every_artefact_so_the_sweep_can_see_it(small, engine):
    # A control for the sweep below: the title does reach the HTML <title> and the DOCX core properties.
    edit(small, lambda d: d["documents"][0].update(title="Briefing Qxvw Title"))
    out = small.parent / "out"
    assert build_release(small, out, engine).written
    holding = {name for name, text in texts(out) if "Briefing Qxvw Title" in text}
    assert "documents/01-briefing.html" in holding
    assert "documents/01-briefing.docx:docProps/core.xml" in holding
    assert "schedule.md" in holding and "letter.md" in holding and "release.json" in holding
    assert {"documents/01-briefing.pdf:stored", "release.pdf:pypdf"} <= holding
    assert "<title>Briefing Qxvw Title</title>" in (out / "documents" / "01-briefing.html").read_text()


def test_public_description_is_shown_in_place_of_the_title(small, engine):
    hidden = "Complaint about Constable Zqxwvb"

    def change(d):
        d["documents"].append(
            {
                "id": "complaint",
                "title": hidden,
                "public_description": "Memo of 2 March 2024",
                "date": "2024-03-02",
                "decision": "withheld_in_full",
                "grounds": ["6(c)"],
            }
        )
        d["documents"][0]["public_description"] = "Briefing of 1 March 2024"

    edit(small, change)
    out = small.parent / "out"
    report = build_release(small, out, engine)
    assert report.written, report.check.violations
    for name, text in texts(out):
        assert "Zqxwvb" not in text, name
        assert "Briefing on the pilot</title>" not in text, name
    assert "Memo of 2 March 2024" in (out / "letter.md").read_text(encoding="utf-8")
    assert "Memo of 2 March 2024" in (out / "schedule.md").read_text(encoding="utf-8")
    assert "<title>Briefing of 1 March 2024</title>" in (out / "documents" / "01-briefing.html").read_text()
    record = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert [d["title"] for d in record["documents"]] == ["Briefing of 1 March 2024", "Memo of 2 March 2024"]


def test_public_description_is_checked_like_a_title(small, engine):
    edit(
        small,
        lambda d: d["documents"].append(
            {
                "id": "complaint",
                "title": "A complaint",
                "public_description": f"Memo about {SECRET}",
                "date": "2024-03-02",
                "decision": "withheld_in_full",
                "grounds": ["6(c)"],
            }
        ),
    )
    report = check_release(small, engine)
    assert [v.msg for v in report.violations] == [
        f"documents[1].public_description contains text withheld at originals/briefing.md:{SECRET_LINE}",
    ]


def test_title_hidden_by_a_public_description_is_not_checked(small, engine):
    edit(small, lambda d: d["documents"][0].update(title=f"About {SECRET}", public_description="A briefing"))
    assert check_release(small, engine).ok


# ------------------------------------------------------------------ item 12: ids made from file names


@pytest.mark.parametrize("name", ["bad\nname.md", "two words.md", "under_score.md", "-dash.md", "ünï.md"])
def test_id_from_a_file_name_is_validated_like_an_explicit_id(small, engine, name):
    (small.parent / "originals" / name).write_text("Text.\n", encoding="utf-8")

    def change(d):
        del d["documents"][0]["id"]
        d["documents"][0]["path"] = f"originals/{name}"

    edit(small, change)
    out = small.parent / "out"
    with pytest.raises(InvalidInputError) as info:
        build_release(small, out, engine)
    assert info.value.message.startswith(f"documents[0]: Value error, the file name {name!r} does not make an id")
    assert "\n" not in info.value.one_line()
    assert not out.exists()


def test_id_from_a_good_file_name_is_used(small, engine):
    (small.parent / "originals" / "02-Update.md").write_text("Text.\n", encoding="utf-8")

    def change(d):
        del d["documents"][0]["id"]
        d["documents"][0].update(path="originals/02-Update.md", decision="released")

    edit(small, change)
    report = build_release(small, small.parent / "out", engine)
    assert "documents/01-02-update.md" in report.artefacts


def test_a_hostile_release_json_in_the_output_folder_is_refused_not_a_crash(tmp_path):
    # A folder whose release.json is nested past the input limit, or repeats a key, is not a
    # release macip-gov wrote: refused with exit 3, left alone, never a RecursionError (exit 4).
    from click.testing import CliRunner

    manifest = EXAMPLE / "manifest.yaml"
    for name, text in (("deep", "[" * 5000 + "]" * 5000), ("repeated", '{"artefacts": {}, "artefacts": {}}')):
        out = tmp_path / name
        out.mkdir()
        (out / "release.json").write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["oia", "release", str(manifest), "-o", str(out), "--replace"])
        assert result.exit_code == 3, result.output
        assert "release.json is not the record of a release" in result.stderr
        assert sorted(p.name for p in out.iterdir()) == ["release.json"]
