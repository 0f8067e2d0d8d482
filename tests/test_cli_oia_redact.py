"""``macip-gov oia redact``: every exit code, exact output, nothing written on failure."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from conftest import write_tree

from macip_gov.cli import cli

DOC = """\
# Briefing: [Operation Kea]{.withhold ground="6(c)"}

Contact [Aroha Ngata]{.withhold ground="9(2)(a)"} about [roading]{.out-of-scope}.
"""


@pytest.fixture
def doc(tmp_path):
    return write_tree(tmp_path, {"brief.md": DOC}) / "brief.md"


def test_redact_md(runner, doc, tmp_path):
    out = tmp_path / "release" / "brief.md"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == f"wrote {out} (md): 2 withheld under 6(c), 9(2)(a); 1 out of scope\n"
    assert result.stderr == ""
    assert out.read_text(encoding="utf-8") == (
        "# Briefing: s.6(c) OIA \\[REDACTED\\]\n\nContact s.9(2)(a) OIA \\[REDACTED\\] about \\[Out of scope\\].\n"
    )


def test_redact_html_with_style_and_json(runner, doc, tmp_path):
    out = tmp_path / "brief.html"
    result = runner.invoke(
        cli, ["oia", "redact", str(doc), "-o", str(out), "--style", "[Withheld: {sections}]", "--json"]
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "source": str(doc),
        "output": str(out),
        "format": "html",
        "title": "Briefing: [Withheld: section 6(c)]",
        "grounds": ["6(c)", "9(2)(a)"],
        "withheld": 2,
        "out_of_scope": 1,
        "warnings": [],
        "violations": [],
        "written": True,
        "review": False,
    }
    page = out.read_text(encoding="utf-8")
    assert "<title>Briefing: [Withheld: section 6(c)]</title>" in page
    assert (
        '<p>Contact <span class="redaction"><span class="visually-hidden">[withheld under section 9(2)(a)]</span>'
        '<span aria-hidden="true">[Withheld: section 9(2)(a)]</span></span> about '
        '<span class="redaction out-of-scope"><span class="visually-hidden">[out of scope]</span>'
        '<span aria-hidden="true">[Out of scope]</span></span>.</p>'
    ) in page
    assert "Kea" not in page and "Aroha" not in page and "roading" not in page


def test_redact_docx_by_format_option_from_stdin(runner, tmp_path):
    out = tmp_path / "release.bin"
    result = runner.invoke(cli, ["oia", "redact", "-", "-o", str(out), "--format", "docx"], input=DOC)
    assert result.exit_code == 0
    assert result.stdout == f"wrote {out} (docx): 2 withheld under 6(c), 9(2)(a); 1 out of scope\n"
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    assert "s.9(2)(a) OIA [REDACTED]" in text
    assert "Kea" not in text and "Aroha" not in text


def test_redact_warns_on_stderr(runner, tmp_path):
    doc = write_tree(tmp_path, {"d.md": 'A [b]{.withhold ground="9(2)(g)"}.\n'}) / "d.md"
    out = tmp_path / "d.out.md"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == f"wrote {out} (md): 1 withheld under 9(2)(g); 0 out of scope\n"
    assert result.stderr == (
        f"warning: {doc}:1: 9(2)(g) has sub-paragraphs (9(2)(g)(i), 9(2)(g)(ii)); cite the one relied on\n"
    )


def test_unknown_ground_exits_1_and_writes_nothing(runner, tmp_path):
    doc = write_tree(tmp_path, {"d.md": 'Intro.\n\n[b]{.withhold ground="9(2)(z)"}\n'}) / "d.md"
    out = tmp_path / "d.html"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {doc}:3: 9(2)(z) is not a withholding or refusal ground of the Official Information Act 1982\n"
    )
    assert not out.exists()


def test_refusal_ground_exits_1(runner, tmp_path):
    doc = write_tree(tmp_path, {"d.md": '::: {.withhold ground="18(d)"}\nx\n:::\n'}) / "d.md"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(tmp_path / "o.md")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {doc}:1: s 18(d) is a reason to refuse a request, not to withhold a passage\n"
    assert not (tmp_path / "o.md").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '::: {.withhold ground="6(c)"}\nnever closed\n',
            "1: the ::: block opened here is never closed (end it with a ::: line)",
        ),
        ("Intro.\n\n[x]{.withhold}\n", '3: withheld span has no ground (add ground="9(2)(a)" or similar)'),
    ],
)
def test_malformed_markup_exits_3_and_keeps_the_old_release(runner, tmp_path, text, message):
    doc = write_tree(tmp_path, {"d.md": text}) / "d.md"
    out = write_tree(tmp_path, {"d.out.md": "the previous release\n"}) / "d.out.md"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"Error: {doc}:{message}\n"
    assert out.read_text(encoding="utf-8") == "the previous release\n"


def test_bad_inputs_exit_3(runner, doc, tmp_path):
    missing = tmp_path / "missing.md"
    result = runner.invoke(cli, ["oia", "redact", str(missing), "-o", str(tmp_path / "o.md")])
    assert (result.exit_code, result.stderr) == (3, f"Error: {missing}: file not found\n")

    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(tmp_path / "o.odt")])
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: {tmp_path / 'o.odt'}: cannot tell the output format (use --format md|html|docx|pdf)\n",
    )

    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(tmp_path / "o.md"), "--style", "{text}"])
    assert (result.exit_code, result.stderr) == (
        3,
        "Error: --style: unknown placeholder {text}; the marker style may use {citations}, {grounds}, "
        "{sections} (in '{text}')\n",
    )

    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(doc)])
    assert (result.exit_code, result.stderr) == (
        3,
        f"Error: {doc}: the output would overwrite the marked-up original\n",
    )
    assert doc.read_text(encoding="utf-8") == DOC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_usage_errors_exit_2(runner, doc):
    result = runner.invoke(cli, ["oia", "redact", str(doc)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Missing option '-o' / '--output'." in result.stderr
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", "x.md", "--format", "odt"])
    assert result.exit_code == 2
    assert "'odt' is not one of 'md', 'html', 'docx', 'pdf'." in result.stderr


def test_broken_policy_exits_4_and_writes_nothing(runner, doc, tmp_path):
    policies = write_tree(
        tmp_path / "policies", {"oia/grounds/grounds.rego": "package oia.grounds\n\nthis is not rego\n"}
    )
    out = tmp_path / "o.md"
    result = runner.invoke(cli, ["oia", "redact", str(doc), "-o", str(out), "--policies", str(policies)])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {policies / 'oia' / 'grounds' / 'grounds.rego'}:3: rego_parse_error: "
        "var cannot be used for rule name\n"
    )
    assert not out.exists()
