"""Released fields that hold the text of a withheld passage.

A released field (a title, the letter's text, the request's details, a document's id)
that contains the text of a withheld passage is a violation naming both places; see
:func:`withheld_text_findings` for how texts are compared.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ..results import Violation
from .manifest import Manifest

if TYPE_CHECKING:
    from ._release_check import PdfOriginal, Prepared

WITHHELD_TEXT_RULE = "oia.release.withheld_text_released"
UNCONFIRMED_TEXT_RULE = "oia.release.s10_text_released"
"""A released field names, or quotes, a document whose existence is neither confirmed nor denied (s 10)."""
# How deep withheld passages nested inside withheld passages are looked for.
_MAX_NESTING = 16

_WORD = re.compile(r"\w+")
# Where a withheld passage is cut into sentences: sentence ends, blank lines, list items, table cells.
_PIECES = re.compile(r"[.!?;:](?=\s|$)|\n[ \t>]*\n|\n[ \t>]*(?:[-*+]|\d+[.)])[ \t]|\|")
_ATTRIBUTES = re.compile(r"\]\{[^{}\n]*\}")
_FENCE_LINE = re.compile(r"^[ \t>]*:::.*$", re.M)


def _words(text: str) -> tuple[str, ...]:
    """The words of a text, compared without case, accents, invisible characters or punctuation."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))
    return tuple(_WORD.findall(text.casefold()))


def _counts(words: tuple[str, ...]) -> tuple[int, int]:
    letters = sum(ch.isalpha() for word in words for ch in word)
    alnum = sum(ch.isalnum() for word in words for ch in word)
    return letters, alnum


def _significant_passage(words: tuple[str, ...]) -> bool:
    """A whole withheld passage is matched when it holds 3 letters, or 4 letters and digits."""
    letters, alnum = _counts(words)
    return letters >= 3 or alnum >= 4


def _significant_sentence(words: tuple[str, ...]) -> bool:
    """A sentence of a longer passage is matched when it has 3 words and 10 letters."""
    return len(words) >= 3 and _counts(words)[0] >= 10


def _inner(source: str, block: bool) -> tuple[str, int]:
    """A marked region's content without its markup, and the line the content starts on (0 or 1 on)."""
    if block:
        lines = source.split("\n")
        return "\n".join(lines[1:-1]), 1
    end = source.rfind("]{")
    return source[1 : end if end > 0 else len(source)], 0


def _plain(content: str) -> str:
    """Content with any nested markup taken out (its text stays)."""
    return _FENCE_LINE.sub("", _ATTRIBUTES.sub("]", content))


_Place = tuple[int, int, str | None]  # document index, line, first ground


def _collect_passages(
    text: str,
    regions: Any,
    index: int,
    name: str,
    line_base: int,
    depth: int,
    found: dict[tuple[str, ...], list[_Place]],
) -> None:
    from .markup import parse_markup

    for region in regions:
        span = region.span
        line = line_base + span.line
        content, offset = _inner(text[region.start : region.end], span.block)
        if depth < _MAX_NESTING and "{" in content:
            try:
                nested = parse_markup(textwrap.dedent(content), name)
            except (InvalidInputError, RecursionError, ValueError):
                nested = None  # the outer passage is still checked
            if nested is not None and nested.regions:
                _collect_passages(nested.text, nested.regions, index, name, line + offset - 1, depth + 1, found)
        if span.kind != "withhold":
            continue
        place = (index, line, span.grounds[0] if span.grounds else None)
        plain = _plain(content)
        whole = _words(plain)
        if _significant_passage(whole):
            found.setdefault(whole, []).append(place)
        for piece in _PIECES.split(plain):
            words = _words(piece)
            if words != whole and _significant_sentence(words):
                found.setdefault(words, []).append(place)


def _released_fields(manifest: Manifest) -> list[tuple[str, str]]:
    """Every manifest text the release publishes, with its field path."""
    request = manifest.request
    fields: list[tuple[str, str | None]] = [
        ("request.id", request.id),
        ("request.requester", request.requester),
        ("request.contact", request.contact),
        ("request.agency", request.agency),
        ("request.subject", request.subject),
        *((f"request.sought[{i}]", text) for i, text in enumerate(request.sought)),
        ("request.extension.reason", request.extension.reason if request.extension else None),
        ("request.delay.reason", request.delay.reason if request.delay else None),
        ("request.decision_maker.name", request.decision_maker.name),
        ("request.decision_maker.title", request.decision_maker.title),
    ]
    for i, doc in enumerate(manifest.documents):
        if not doc.decision.confirms_existence:
            continue  # never released: the release does not show it exists
        fields.append((f"documents[{i}].id" if doc.id else f"documents[{i}].path", doc.key))
        if doc.public_description:
            fields.append((f"documents[{i}].public_description", doc.public_description))
        else:
            fields.append((f"documents[{i}].title", doc.title))
        fields += [(f"documents[{i}].reference", doc.reference), (f"documents[{i}].note", doc.note)]
        fields += [(f"documents[{i}].prohibited_by[{g}]", text) for g, text in doc.prohibited_by.items()]
    letter = manifest.letter
    fields += [(f"letter.letterhead[{i}]", line) for i, line in enumerate(letter.letterhead)]
    fields.append(("letter.salutation", letter.salutation))
    fields += [(f"letter.explanations[{ground}]", text) for ground, text in letter.explanations.items()]
    for name in ("public_interest", "excerpts", "deletions", "ombudsman", "publication"):
        value = getattr(letter.statements, name)
        if isinstance(value, str):
            fields.append((f"letter.statements.{name}", value))
    if letter.manner is not None:
        fields.append(("letter.manner.reason", letter.manner.reason))
    fields += [("letter.closing", letter.closing), ("letter.sign_off", letter.sign_off)]
    return [(field, text) for field, text in fields if text]


def _unconfirmed_passages(prepared: Prepared) -> dict[tuple[str, ...], list[_Place]]:
    """What a document neither confirmed nor denied (s 10) is known by, each placed at the document (line 0).

    Its title, public description, reference and note, and every sentence of its original.
    """
    found: dict[tuple[str, ...], list[_Place]] = {}
    for index, doc in enumerate(prepared.manifest.documents):
        if doc.decision.confirms_existence:
            continue
        place: _Place = (index, 0, "10")
        # Its id and file name are never published and may be ordinary words; the release's
        # file names are built from shown documents only.
        for name in (doc.title, doc.public_description, doc.reference, doc.note):
            words = _words(name or "")
            if _significant_passage(words):
                found.setdefault(words, []).append(place)
        text = prepared.unconfirmed.get(doc.key)
        if text is not None:
            for piece in _PIECES.split(_plain(text)):
                words = _words(piece)
                if _significant_sentence(words):
                    found.setdefault(words, []).append(place)
    return found


def _pdf_passages(pdf: PdfOriginal, index: int, found: dict[tuple[str, ...], list[_Place]]) -> None:
    """What a PDF original's marks withhold, each placed at its mark's line in the marks file.

    The same test as a Markdown passage's: the whole string, and each sentence of a longer one.
    """
    for mark_index, text in pdf.withheld:
        mark = pdf.marks.marks[mark_index]
        place = (index, pdf.marks.line(mark_index) or mark_index + 1, mark.grounds[0] if mark.grounds else None)
        whole = _words(text)
        if _significant_passage(whole):
            found.setdefault(whole, []).append(place)
        for piece in _PIECES.split(text):
            words = _words(piece)
            if words != whole and _significant_sentence(words):
                found.setdefault(words, []).append(place)


def withheld_text_findings(prepared: Prepared) -> list[Violation]:
    """Released fields that contain the text of a withheld passage, each naming both places.

    Every text of the manifest the release publishes (see :func:`_released_fields`) is
    compared with every withheld passage of every original, nested passages included.
    Texts are compared as words: without case, accents, invisible characters,
    punctuation or markup, and only whole words match. A finding is made when a field
    holds a whole withheld passage of at least 3 letters (or 4 letters and digits),
    or a whole sentence of at least 3 words and 10 letters from a longer one; shorter
    passages ("6", "NZ") would match ordinary text.
    """
    manifest = prepared.manifest
    passages: dict[tuple[str, ...], list[_Place]] = {}
    for index, doc in enumerate(manifest.documents):
        marked = prepared.marked.get(doc.key)
        if marked is not None:
            _collect_passages(marked.text, marked.regions, index, marked.name, 0, 0, passages)
    for index, doc in enumerate(manifest.documents):
        pdf = prepared.pdf.get(doc.key)
        if pdf is not None:
            _pdf_passages(pdf, index, passages)
    hidden = _unconfirmed_passages(prepared)
    for words, where in hidden.items():
        passages.setdefault(words, []).extend(where)
    if not passages:
        return []
    lengths = sorted({len(words) for words in passages})
    places: dict[tuple[str, int, int], str | None] = {}
    for field, text in _released_fields(manifest):
        words = _words(text)
        for size in lengths:
            if size > len(words):
                break
            for start in range(len(words) - size + 1):
                for index, line, citation in passages.get(words[start : start + size], ()):
                    places.setdefault((field, index, line), citation)
    findings = []
    for (field, index, line), citation in places.items():
        doc = manifest.documents[index]
        number = prepared.numbers[doc.key]
        if not doc.decision.confirms_existence:
            findings.append(
                Violation(
                    id=UNCONFIRMED_TEXT_RULE,
                    msg=(
                        f"{field} names or quotes document {number} ({doc.title}), whose existence is neither "
                        "confirmed nor denied (s 10)"
                    ),
                    details={"document": doc.key, "number": number, "citation": "10", "line": 0, "field": field},
                    effect="deny",
                    document=doc.key,
                    field=field,
                )
            )
            continue
        assert doc.path is not None
        # A PDF original's passages are placed at the line of the mark that withholds them.
        source = doc.marks if doc.key in prepared.pdf and doc.marks is not None else doc.path
        findings.append(
            Violation(
                id=WITHHELD_TEXT_RULE,
                msg=f"{field} contains text withheld at {source.as_posix()}:{line}",
                details={"document": doc.key, "number": number, "citation": citation, "line": line, "field": field},
                effect="deny",
                document=doc.key,
                line=line or None,
                field=field,
            )
        )
    return findings
