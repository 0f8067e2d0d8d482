"""``macip-gov oia``: grounds, the statutory clock, release checks and release packages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ._options import Settings, echo_json, engine_options, json_option, oia_request

_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.group()
def oia() -> None:
    """Official Information Act releases: grounds, redaction, deadlines."""


@oia.command(name="ground")
@click.argument("text")
@click.option("--strict", is_flag=True, help="TEXT must be nothing but a citation (no surrounding words).")
@engine_options
@json_option
def ground_cmd(settings: Settings, text: str, strict: bool, as_json: bool) -> None:
    """The OIA grounds a citation names, with family, description and public-interest test.

    TEXT is a citation as releases write it: "s.6(c) OIA", "section 9(2)(g)(i)
    of the OIA", "sections 9(2)(b), (ba), (i) & (j)", or a sentence or
    "Legislation" line containing citations ("Withheld under s 9(2)(a) OIA"):
    each ground found is listed with the citation it came from, and section
    references that are not grounds are listed as mentioned, with their role
    (9(1) the public-interest test, 15A an extension) or their Act (s 7(2)(a)
    LGOIMA, s 53(b) Privacy Act, IPP 11). --strict takes TEXT as nothing but
    a citation. Exit 3 when no ground is found at all, 1 when the grounds
    policy refuses one.

    \b
    Example:
        macip-gov oia ground "s.6(c) OIA, s.9(2)(g)(i) OIA"
    """
    from ..errors import InvalidInputError
    from ..oia.citations import GroundLookup, UnknownGroundError, describe_citation
    from ..oia.citations_text import NoGroundInTextError, describe_text
    from ..oia.report import ground_text

    engine = settings.engine()
    lookup: GroundLookup
    try:
        lookup = describe_citation(text, engine)
    except InvalidInputError as whole:
        if strict:
            raise
        try:
            lookup = describe_text(text, engine)
        except NoGroundInTextError as none:
            # The whole-string reason is the more precise one unless the text mentions
            # something the reader knows (a non-ground's role, another Act).
            if isinstance(whole, UnknownGroundError) or not none.informative:
                raise whole from None
            raise
    if as_json:
        echo_json(lookup)
    else:
        click.echo(ground_text(lookup))
    raise SystemExit(lookup.exit_code)


@oia.command(name="grounds-in")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--policies",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MACIP_POLICIES",
    help="Policy directory whose grounds data decides what is a ground (default: the shipped policies).",
)
@json_option
def grounds_in_cmd(file: Path, policies: Path | None, as_json: bool) -> None:
    """The OIA grounds an existing letter, schedule or redacted release cites, and where.

    FILE is Markdown or plain text, HTML, or DOCX. Each ground is listed with the
    lines it is cited on (for DOCX, the paragraph numbers, with footnotes, headers
    and footers named), then every section that is not a ground, with its role
    or its Act. Useful to check a release someone else prepared. Exit 3 when
    FILE cannot be read.

    \b
    Example:
        macip-gov oia grounds-in out/macip-release/letter.md
    """
    from ..oia.grounds_in import grounds_in, grounds_in_text

    source = None
    if policies is not None:
        from ..policyset import load_policy_set

        source = load_policy_set(policies)
    result = grounds_in(file, source)
    if as_json:
        echo_json(result)
    else:
        click.echo(grounds_in_text(result))


@oia.command(name="deadline")
@click.argument("received", type=_DATE, metavar="RECEIVED")
@click.option(
    "--transferred", type=_DATE, metavar="DATE", help="Day the request was received on transfer (s 14), YYYY-MM-DD."
)
@click.option("--extended-by", type=int, metavar="N", help="Extension under s 15A, in working days.")
@click.option("--explain", is_flag=True, help="List every day not counted, and why.")
@json_option
def deadline_cmd(
    received: datetime, transferred: datetime | None, extended_by: int | None, explain: bool, as_json: bool
) -> None:
    """The statutory dates for a request received on RECEIVED (YYYY-MM-DD).

    The decision is due on the 20th working day after the day of receipt
    (s 15(1)); a transfer under s 14 must be made by the 10th. A transferred
    request's 20 days run from the day the transferee received it; --extended-by
    adds working days under s 15A. Working days follow the Act's definition:
    weekends, national public holidays named in it (Waitangi and Anzac Days
    Mondayised) and 25 December to 15 January are not counted.

    \b
    Example:
        macip-gov oia deadline 2022-11-28 --explain
    """
    from ..oia.deadlines import compute_deadline
    from ..oia.report import deadline_text

    result = compute_deadline(_day(received), transferred=_day(transferred), extended_by=extended_by)  # type: ignore[arg-type]
    if as_json:
        click.echo(result.model_dump_json(exclude=None if explain else {"excluded"}))
    else:
        click.echo(deadline_text(result, explain=explain))


@oia.command(name="redact")
@click.argument("document", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The release to write (.md, .html, .docx or .pdf).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "docx", "pdf"]),
    help="Output format (default: from the output's suffix).",
)
@click.option(
    "--style",
    metavar="TEMPLATE",
    help="Marker for withheld text (default: '{citations} [REDACTED]'); placeholders "
    "{citations} (s.6(c) OIA), {grounds} (6(c)), {sections} (section 6(c)).",
)
@click.option(
    "--review",
    is_flag=True,
    help="Write the decision maker's review copy instead: withheld text shown and highlighted "
    "with its grounds, REVIEW COPY - NOT FOR RELEASE on every page.",
)
@engine_options
@json_option
def redact_cmd(
    settings: Settings,
    document: Path,
    output: Path,
    fmt: str | None,
    style: str | None,
    review: bool,
    as_json: bool,
) -> None:
    """Redact a marked-up Markdown DOCUMENT into a release (md, html, docx or pdf).

    Withheld text is marked [text]{.withhold ground="9(2)(a)"} or as a block
    between ::: {.withhold ground="6(c)"} and :::; text outside the request as
    .out-of-scope. Each becomes a marker such as s.9(2)(a) OIA [REDACTED]. The
    grounds policy checks every ground: an unknown or refusal ground exits 1,
    malformed markup exits 3, and nothing is written either way. With
    --review the file is a review copy for the decision maker, never a release.

    \b
    Example:
        macip-gov oia redact briefing.md -o release/briefing.html
        macip-gov oia redact briefing.md -o review/briefing.html --review
    """
    from ..oia.redact import DEFAULT_STYLE, redact_file
    from ..oia.report import redaction_text, warnings_text

    report = redact_file(document, output, settings.engine, fmt=fmt, style=style or DEFAULT_STYLE, review=review)
    if report.warnings:
        click.echo(warnings_text(report.warnings), err=True)
    if as_json:
        echo_json(report)
    elif report.written:
        click.echo(redaction_text(report) + (" (REVIEW COPY - NOT FOR RELEASE)" if report.review else ""))
    if not report.written:
        click.echo(f"Error: {report.refusal()}", err=True)
    raise SystemExit(report.exit_code)


@oia.command(name="redact-pdf")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--marks",
    "marks",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The marks file (YAML): phrases, patterns or page rectangles, each with its grounds.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The redacted PDF to write."
)
@click.option("--dpi", type=int, default=150, show_default=True, help="Resolution of the pages rebuilt as images.")
@engine_options
@json_option
def redact_pdf_cmd(settings: Settings, document: Path, marks: Path, output: Path, dpi: int, as_json: bool) -> None:
    """Redact a PDF original DOCUMENT (born-digital or scanned) with the marks in MARKS.

    Each page a mark touches is rebuilt as an image with black boxes carrying their
    citation, and an invisible layer of the text left visible; other pages keep their
    content. Metadata, bookmarks, annotations, forms, scripts and attachments are
    removed from the whole file. The result is read back by a second engine and
    scanned before it is written: any withheld text or removed object still in it,
    or a ground the grounds policy refuses, exits 1 with nothing written. Bad input
    exits 3.

    \b
    Example:
        macip-gov oia redact-pdf scan.pdf --marks scan.marks.yaml -o release/scan.pdf
    """
    from ..oia.pdf_redact import redact_pdf_file
    from ..oia.report import pdf_redaction_text, warnings_text

    report = redact_pdf_file(document, marks, output, settings.engine, dpi=dpi)
    if report.warnings:
        click.echo(warnings_text(report.warnings), err=True)
    if as_json:
        echo_json(report)
    elif report.written:
        click.echo(pdf_redaction_text(report))
    if not report.written:
        click.echo(f"Error: {report.refusal()}", err=True)
    raise SystemExit(report.exit_code)


_ORIGINALS_ROOT = click.option(
    "--originals-root",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder every original must lie in (default: the manifest's folder).",
)


@oia.command(name="check")
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path), callback=oia_request)
@_ORIGINALS_ROOT
@engine_options
@json_option
def check_cmd(settings: Settings, manifest: Path, originals_root: Path | None, as_json: bool) -> None:
    """Check a release MANIFEST against the release policies; write nothing.

    Reads the manifest and the marked-up originals it names, computes the
    statutory dates and reports every violation (exit 1) and warning (exit 0)
    with its rule id, document and citation. A title or other released text
    that contains withheld text is a violation. Every original must lie, after
    symlinks, in the manifest's folder (or --originals-root); anything else
    exits 3. MANIFEST may also name a request in the workspace's OIA folder
    ([oia] requests): `macip-gov oia check macip-release`.

    \b
    Example:
        macip-gov oia check examples/macip-release/manifest.yaml
    """
    from ..oia.release import check_release
    from ..oia.report import check_text

    report = check_release(manifest, settings.engine(), originals_root=originals_root)
    if as_json:
        echo_json(report)
    else:
        click.echo(check_text(report))
    raise SystemExit(report.exit_code)


@oia.command(name="release")
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path), callback=oia_request)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write the release into.",
)
@click.option(
    "--style",
    metavar="TEMPLATE",
    help="Marker for withheld text (default: '{citations} [REDACTED]'); see `oia redact --help`.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="OUTPUT holds a previous release: replace it (only the files its release.json lists are removed).",
)
@click.option(
    "--review",
    is_flag=True,
    help="Also write review copies (withheld text shown, NOT FOR RELEASE) to OUTPUT.review, beside the release.",
)
@_ORIGINALS_ROOT
@engine_options
@json_option
def release_cmd(
    settings: Settings,
    manifest: Path,
    output: Path,
    style: str | None,
    replace: bool,
    review: bool,
    originals_root: Path | None,
    as_json: bool,
) -> None:
    """Write the release for MANIFEST: redacted documents, schedule, decision letter, release.json.

    Documents, schedule and letter are written as Markdown, HTML, DOCX and
    PDF, and release.pdf holds the whole release as agencies publish it:
    the letter, the schedule, then the documents.
    Nothing is written when the release policies find a violation (exit 1).
    The release is built beside OUTPUT and moved into place whole. An existing
    OUTPUT must be empty; with --replace it may instead hold a previous release
    left as written, whose files (those its release.json lists) are replaced;
    anything else in it is refused (exit 3). OUTPUT may not be or hold the
    manifest or an original (exit 3). --review writes the decision maker's
    review copies to OUTPUT.review: a separate folder, never part of the release.

    \b
    Example:
        macip-gov oia release examples/macip-release/manifest.yaml -o out/macip-release
    """
    from ..oia.release import build_release
    from ..oia.report import release_text

    report = build_release(
        manifest,
        output,
        settings.engine(),
        style=style,
        originals_root=originals_root,
        replace=replace,
        review=review,
    )
    if as_json:
        echo_json(report)
    else:
        click.echo(release_text(report))
    if report.review_directory:
        click.echo(f"review copies (NOT FOR RELEASE): {report.review_directory}", err=True)
    raise SystemExit(report.exit_code)


from ._oia_import import import_cmd  # noqa: E402 (kept in its own module; registered here)

oia.add_command(import_cmd)

__all__ = ["oia"]
