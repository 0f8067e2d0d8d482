"""Build examples/word/macip-update.docx: a Word original of the MACIP update briefing, as OIA staff receive one.

The text follows examples/macip-release/originals/02-macip-update.md (an abridged
version). It holds what a Word original really carries besides its text, so that
`macip-gov oia import` has something to audit:

- Word auto-numbering starting at 14 after paragraph 6 (a second list instance with a
  start override), bullets, headings, a table and a footnote;
- two comments that are marks ("s 6(c)" on an invented passage, "s 9(2)(a)" on a
  telephone number) and one that is not ("check the figure with Finance");
- a tracked change (an insertion and a deletion), a hidden sentence, a header and
  footer, and document properties naming the author.

Every part is written from this script with fixed zip timestamps: running it again
gives the same bytes.

    .venv/bin/python examples/word/make_word_example.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent / "macip-update.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STAMP = (2021, 2, 17, 9, 0, 0)


def run(text: str, props: str = "") -> str:
    """A run of text with optional run properties."""
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str = "", num: tuple[int, int] | None = None) -> str:
    """A paragraph: plain strings become runs; a style and (list, level) numbering."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def comment(cid: int, *runs: str) -> list[str]:
    """Runs inside comment ``cid``'s range, then its reference."""
    return [
        f'<w:commentRangeStart w:id="{cid}"/>',
        *runs,
        f'<w:commentRangeEnd w:id="{cid}"/>',
        f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{cid}"/></w:r>',
    ]


def cell(text_or_runs: str | list[str]) -> str:
    """A table cell of one paragraph."""
    runs = text_or_runs if isinstance(text_or_runs, list) else [text_or_runs]
    return f"<w:tc>{para(*runs)}</w:tc>"


BODY = [
    para("Multi-Agency Coordination and Intervention Programme (MACIP) Update", style="Heading1"),
    para("INFORMATION REQUEST — Deadline: 17 February 2021 — Date of Response: 17 February 2021"),
    para("Purpose", style="Heading2"),
    para(
        "Your office has requested further information on the development of the Multi-Agency Coordination and "
        "Intervention Programme (MACIP), including a timeline for establishing the programme.",
        num=(1, 0),
    ),
    para("MACIP is part of the Government's immediate response to the Royal Commission Inquiry", style="Heading2"),
    para(
        "The Prime Minister announced MACIP as one of the Government's immediate commitments following release of "
        "the Royal Commission's (RCOI) report on 7 December 2020.",
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>',
        num=(1, 0),
    ),
    para(
        "MACIP did not address any specific recommendation in the RCOI report, however it ",
        '<w:del w:id="90" w:author="Policy Adviser" w:date="2021-02-15T10:00:00Z"><w:r>'
        "<w:delText>may contribute</w:delText></w:r></w:del>",
        '<w:ins w:id="91" w:author="Policy Adviser" w:date="2021-02-15T10:00:00Z"><w:r>'
        "<w:t>contributes</w:t></w:r></w:ins>",
        " to the social cohesion programme.",
        num=(1, 0),
    ),
    para("MACIP builds on previous targeted prevention efforts", style="Heading2"),
    para(
        "MACIP builds on previous targeted prevention efforts. ",
        *comment(1, run("(Invented.) The fictional 2019 Harbourside pilot handled nine referrals.")),
        num=(1, 0),
    ),
    para(
        *comment(2, run("(Invented.) A single referral form and a weekly case conference are proposed.")),
        num=(1, 0),
    ),
    para(
        "Officials considered the programme's name. ",
        run("(Invented.) An earlier working title was dropped after consultation.", "<w:vanish/>"),
        num=(1, 0),
    ),
    para("The ethos of MACIP is:", num=(2, 0)),
    para(
        "to be person centric and community based, unique to individual risk, needs and circumstances, and", num=(3, 0)
    ),
    para(
        "support a journey of growth and connectedness to family, whānau and community from a person's original "
        "referral position until their exit from the programme.",
        num=(3, 0),
    ),
    para("Delivery of MACIP", style="Heading2"),
    para(
        "The additional investment of $8.44 million over four years will fully establish the programme.",
        *comment(3, run(" Year-one spending is planned in four parts.")),
        num=(2, 0),
    ),
    para("Police officials are available to brief you verbally on MACIP.", num=(2, 0)),
    "<w:tbl>"
    + "<w:tr>"
    + cell("Role")
    + cell("Name")
    + cell("Telephone")
    + "</w:tr><w:tr>"
    + cell("Reviewed by")
    + cell("Gillian Ferguson, Director: Policy and Partnerships")
    + cell(comment(4, run("021 555 0142 (fictional)")))
    + "</w:tr></w:tbl>",
]
COMMENTS = {
    1: ("OIA Advisor", "s 6(c)"),
    2: ("OIA Advisor", "withhold 6(c)"),
    3: ("Finance Adviser", "Check the figure with Finance before this goes out."),
    4: ("OIA Advisor", "s 9(2)(a)"),
}
NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="\u2022"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="14"/>'
    "</w:lvlOverride></w:num>"
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>'
)
STYLES = "".join(
    f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
    f'<w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr></w:style>'
    for n in (1, 2)
)


def part(root: str, inner: str) -> str:
    """An XML part of the main document's namespace."""
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {NS}>{inner}</w:{root}>'


def build() -> dict[str, str]:
    """Every part of the package, by name."""
    comments = "".join(
        f'<w:comment w:id="{cid}" w:author="{escape(author)}" w:date="2021-02-16T09:00:00Z" w:initials="OA">'
        f"{para(text)}</w:comment>"
        for cid, (author, text) in COMMENTS.items()
    )
    footnotes = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1">'
        + para("Royal Commission of Inquiry into the terrorist attack on Christchurch masjidain on 15 March 2019.")
        + "</w:footnote>"
    )
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rId6"/><w:footerReference w:type="default" r:id="rId7"/>'
        "</w:sectPr>"
    )
    rels = [
        ("rId1", "styles", "styles.xml"),
        ("rId2", "numbering", "numbering.xml"),
        ("rId3", "comments", "comments.xml"),
        ("rId4", "footnotes", "footnotes.xml"),
        ("rId6", "header", "header1.xml"),
        ("rId7", "footer", "footer1.xml"),
    ]
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = {
        "/word/document.xml": f"{main}.document.main+xml",
        "/word/styles.xml": f"{main}.styles+xml",
        "/word/numbering.xml": f"{main}.numbering+xml",
        "/word/comments.xml": f"{main}.comments+xml",
        "/word/footnotes.xml": f"{main}.footnotes+xml",
        "/word/header1.xml": f"{main}.header+xml",
        "/word/footer1.xml": f"{main}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides.items())
            + "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>'
        ),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="{i}" Type="{REL}/{k}" Target="{t}"/>' for i, k, t in rels)
            + "</Relationships>"
        ),
        "word/document.xml": part("document", "<w:body>" + "".join(BODY) + section + "</w:body>"),
        "word/styles.xml": part("styles", STYLES),
        "word/numbering.xml": part("numbering", NUMBERING),
        "word/comments.xml": part("comments", comments),
        "word/footnotes.xml": part("footnotes", footnotes),
        "word/header1.xml": part("hdr", para("IN CONFIDENCE")),
        "word/footer1.xml": part("ftr", para("IPR/21/04PW")),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>MACIP Update</dc:title><dc:creator>Policy Adviser (fictional)</dc:creator>"
            "<cp:lastModifiedBy>OIA Advisor (fictional)</cp:lastModifiedBy></cp:coreProperties>"
        ),
    }


def main() -> None:
    """Write the .docx."""
    parts = build()
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in parts:
            archive.writestr(zipfile.ZipInfo(name, STAMP), parts[name].encode("utf-8"), zipfile.ZIP_DEFLATED)
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
