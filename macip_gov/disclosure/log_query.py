"""Searching the decision log: filter, page newest first, one row in full, CSV for a spreadsheet, verify.

Rows are read through the log's own API (:class:`~macip_gov.disclosure._chain.ChainedLog`),
exactly as ``log show`` reads them, so it works the same on SQLite and PostgreSQL. The
database narrows a search first with the log's own query primitive (the same SQL on both):
outcome and day are columns it answers exactly, so only the rows on the page are read;
agencies and words are looked for in the stored JSON, and each row it offers is checked
here before it counts. Free text ignores the case of A-Z when typed in plain ASCII (as the
database's ``LOWER`` does), and of any letter otherwise.

The CSV is for opening in a spreadsheet: a cell whose text starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with a single quote, so a request id
or a reason written as a formula is shown as text, never run.
"""

from __future__ import annotations

import csv
import io
import json
from collections import deque
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..errors import InvalidInputError
from .models import Outcome

if TYPE_CHECKING:
    from ._chain import ChainedLog, LogRecord, VerifyReport

PER_PAGE = 50
"""Rows on a page unless asked otherwise."""

MAX_PER_PAGE = 500
"""The most rows one page may hold."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula."""


class LogFilter(BaseModel):
    """Which logged decisions to show (every condition given must hold) and which page of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Outcome | None = Field(default=None, description="Only decisions with this outcome.")
    from_agency: str | None = Field(default=None, max_length=100, description="Only disclosures from this agency.")
    to_agency: str | None = Field(default=None, max_length=100, description="Only disclosures to this agency.")
    date_from: date | None = Field(default=None, description="Recorded on or after this day (UTC).")
    date_to: date | None = Field(default=None, description="Recorded on or before this day (UTC).")
    text: str | None = Field(
        default=None,
        max_length=200,
        description="Words to find (any case) in the request id, the reasons or the legal basis.",
    )
    page: int = Field(default=1, ge=1, le=1_000_000, description="The page, from 1 (newest first).")
    per_page: int = Field(default=PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Rows on a page.")

    @field_validator("from_agency", "to_agency", "text", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.split())
            return value or None
        return value

    @field_validator("date_to")
    @classmethod
    def _range_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and value < start:
            raise ValueError("the end date is before the start date")
        return value

    @property
    def narrows(self) -> bool:
        """True when any condition is set (not only the page)."""
        return any(
            v is not None
            for v in (self.outcome, self.from_agency, self.to_agency, self.date_from, self.date_to, self.text)
        )

    def matches(self, record: LogRecord) -> bool:
        """True when the logged decision meets every condition."""
        if self.outcome is not None and record.outcome != self.outcome.value:
            return False
        request = record.request
        if self.from_agency is not None and request.get("from_agency") != self.from_agency:
            return False
        if self.to_agency is not None and request.get("to_agency") != self.to_agency:
            return False
        day = record.recorded_at[:10]
        if self.date_from is not None and day < self.date_from.isoformat():
            return False
        if self.date_to is not None and day > self.date_to.isoformat():
            return False
        if self.text is not None:
            needle = fold(self.text)
            return any(needle in fold(hay, ascii_only=self.text.isascii()) for hay in _searched(record))
        return True

    def query(self, *, page: int | None = None) -> dict[str, str]:
        """The filter as query parameters (unset ones left out), e.g. for a link to another page."""
        out = {
            k: (v.value if isinstance(v, Outcome) else str(v))
            for k, v in self.model_dump(exclude={"page", "per_page"}).items()
            if v is not None
        }
        if self.per_page != PER_PAGE:
            out["per_page"] = str(self.per_page)
        wanted = self.page if page is None else page
        if wanted != 1:
            out["page"] = str(wanted)
        return out


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str, *, ascii_only: bool | None = None) -> str:
    """Text as free-text search compares it: A-Z in any case for words typed in ASCII, else any letter's case.

    Words typed in plain ASCII ignore the case of A-Z only, exactly as the database's
    ``LOWER`` does, so the query the database narrows with and the check made here agree.
    """
    if ascii_only is None:
        ascii_only = text.isascii()
    return text.translate(_ASCII_LOWER) if ascii_only else text.casefold()


def _searched(record: LogRecord) -> Iterator[str]:
    """The texts free-text search looks in: request id, reasons and legal basis."""
    yield record.request_id
    decision = record.decision
    for key in ("reasons", "legal_basis"):
        values = decision.get(key)
        if isinstance(values, list):
            yield from (v for v in values if isinstance(v, str))


def filter_from_query(params: Mapping[str, str]) -> LogFilter:
    """Read a filter from query parameters (empty ones ignored; unknown ones ignored).

    Raises:
        InvalidInputError: A parameter that does not fit, named.
    """
    fields = set(LogFilter.model_fields)
    data = {k: v for k, v in params.items() if k in fields and v.strip()}
    try:
        return LogFilter.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "filter"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInputError(f"{where}: {message}", file="search") from None


class LogRow(BaseModel):
    """One logged decision as a line of the table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(description="Its row in the chain.")
    recorded_at: str = Field(description="When it was logged (UTC, ISO 8601).")
    user: str = Field(description="Who ran the check.")
    request_id: str = Field(description="The request's id.")
    outcome: str = Field(description="The decision's outcome.")
    from_agency: str = Field(description="The agency disclosing.")
    to_agency: str = Field(description="The agency receiving.")
    verdict: str = Field(description="The legal verdict (empty when the row predates it).")
    urgent: bool = Field(description="The decision found a serious threat that may be realised imminently.")
    legal_basis: list[str] = Field(description="The provisions that hold.")


def row_of(record: LogRecord) -> LogRow:
    """The table line of one logged decision (fields a stored row lacks are shown empty)."""
    request, decision = record.request, record.decision
    legal = decision.get("legal")
    basis = decision.get("legal_basis")
    return LogRow(
        seq=record.seq,
        recorded_at=record.recorded_at,
        user=record.user,
        request_id=record.request_id,
        outcome=record.outcome,
        from_agency=str(request.get("from_agency") or ""),
        to_agency=str(request.get("to_agency") or ""),
        verdict=str(legal.get("verdict") or "") if isinstance(legal, dict) else "",
        urgent=decision.get("urgent") is True,
        legal_basis=[str(b) for b in basis] if isinstance(basis, list) else [],
    )


class LogPage(BaseModel):
    """One page of a search, newest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: list[LogRow] = Field(description="The page's rows, newest first.")
    matched: int = Field(description="Rows that meet the filter, on every page.")
    page: int = Field(description="This page, from 1.")
    pages: int = Field(description="How many pages the matches fill (at least 1).")
    per_page: int = Field(description="Rows on a full page.")
    total: int = Field(description="Rows in the log.")


def search(log: ChainedLog, where: LogFilter | None = None) -> LogPage:
    """One page of the logged decisions that meet a filter, newest first.

    Args:
        log: An open decision log.
        where: The filter and page (every row, page 1, by default).

    Returns:
        The page, with how many rows matched and how many the log holds.

    Raises:
        InvalidInputError: A stored row is malformed (run ``log verify``).
    """
    where = where or LogFilter()
    keep = where.page * where.per_page
    seqs, exact = _candidates(log, where)
    total = log.count() if where.narrows else len(seqs)
    if exact:
        rows = [row_of(log.get(str(seq))) for seq in seqs[keep - where.per_page : keep]]
        return _page(where, rows, len(seqs), total)
    if _confirm_one_by_one(len(seqs), total):
        found = [r for r in (log.get(str(seq)) for seq in seqs) if where.matches(r)]
        return _page(where, [row_of(r) for r in found[keep - where.per_page : keep]], len(found), total)
    matched, total = 0, 0
    tail: deque[LogRecord] = deque(maxlen=keep)
    for record in log.records():
        total += 1
        if where.matches(record):
            matched += 1
            tail.append(record)
    window = list(tail)[::-1][keep - where.per_page :]
    return _page(where, [row_of(r) for r in window], matched, total)


CONFIRM_LIMIT = 2000
"""Rows the database offers for a filter that are always read one by one (see :func:`_confirm_one_by_one`)."""


def _confirm_one_by_one(candidates: int, total: int) -> bool:
    """Read the rows the database offers one by one, or else every row in one pass (cheaper per row)?

    One by one reads only the rows offered, each with a query of its own: worth it up to
    :data:`CONFIRM_LIMIT` rows, or up to about half of the log.
    """
    return candidates <= max(CONFIRM_LIMIT, total // 2)


def _candidates(log: ChainedLog, where: LogFilter) -> tuple[list[int], bool]:
    """The row numbers the database finds for a filter, newest first, and whether they are exactly the matches.

    Outcome and day are columns of the log, so the database answers them exactly. The
    agencies and the words live inside the stored JSON: the database narrows by looking
    for their text there (the request as canonical JSON holds ``"from_agency":"health"``
    literally), which finds every match and perhaps a few more, so those rows are
    checked with :meth:`LogFilter.matches` before they count. Text JSON would escape is
    not looked for by the database at all.
    """
    clauses: list[str] = []
    params: list[str] = []
    exact = True
    if where.outcome is not None:
        clauses.append("outcome = ?")
        params.append(where.outcome.value)
    if where.date_from is not None:
        clauses.append("recorded_at >= ?")
        params.append(where.date_from.isoformat())
    if where.date_to is not None:
        clauses.append("recorded_at < ?")
        params.append((where.date_to + timedelta(days=1)).isoformat())
    for key, value in (("from_agency", where.from_agency), ("to_agency", where.to_agency)):
        if value is not None:
            exact = False
            if _literal_in_json(value):
                clauses.append("request LIKE ? ESCAPE '!'")
                params.append(f'%"{key}":"{_like(value)}"%')
    if where.text is not None:
        exact = False
        if where.text.isascii() and _literal_in_json(where.text):
            pattern = f"%{_like(fold(where.text))}%"
            clauses.append("(LOWER(request_id) LIKE ? ESCAPE '!' OR LOWER(decision) LIKE ? ESCAPE '!')")
            params += [pattern, pattern]
    # The same SQL runs on SQLite and PostgreSQL, in one snapshot.
    return log.seqs_where(clauses, params), exact


def _literal_in_json(text: str) -> bool:
    """True when JSON writes the text as it is (no quote, backslash or control character to escape)."""
    return not any(c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def _like(text: str) -> str:
    """Text for a LIKE pattern, its wildcards taken literally (escape character ``!``)."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _page(where: LogFilter, rows: list[LogRow], matched: int, total: int) -> LogPage:
    pages = max(1, -(-matched // where.per_page))
    return LogPage(rows=rows, matched=matched, page=where.page, pages=pages, per_page=where.per_page, total=total)


def record(log: ChainedLog, seq: int) -> LogRecord:
    """One logged decision in full, by its row number.

    Raises:
        InvalidInputError: No such row, or it is malformed.
    """
    if seq < 1:
        raise InvalidInputError(f"no row {seq}", file=log.label)
    found = log.get(str(seq))
    if found.seq != seq:  # get() falls back to a request id; a row number must be the row itself
        raise InvalidInputError(f"no row {seq}", file=log.label)
    return found


CSV_COLUMNS = (
    "seq", "recorded_at", "user", "request_id", "outcome", "from_agency", "to_agency", "legal_verdict",
    "legal_basis", "urgent", "programme_covered", "pia_flow", "conditions", "reasons", "policy_revision", "hash",
    "request", "decision",
)  # fmt: skip
"""The CSV's columns; lists are joined with "; ", the request and decision are JSON."""


def safe_cell(value: object) -> str:
    """A cell's text for a spreadsheet: text that could start a formula is prefixed with a single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_header() -> str:
    """The CSV's header line alone (the export of a log with no rows)."""
    return ",".join(CSV_COLUMNS) + "\r\n"


def export_csv(log: ChainedLog, where: LogFilter | None = None) -> Iterator[str]:
    """Every logged decision that meets the filter (all pages), as CSV lines in chain order.

    Args:
        log: An open decision log.
        where: The filter (its page is ignored); every row by default.

    Yields:
        The header, then one line per row, each with its newline.

    Raises:
        InvalidInputError: A stored row is malformed (run ``log verify``).
    """
    where = where or LogFilter()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(c) for c in cells])
        return buffer.getvalue()

    yield line(list(CSV_COLUMNS))
    for r in _in_chain_order(log, where):
        d = r.decision
        legal = _mapping(d.get("legal"))
        programme = _mapping(d.get("programme"))
        conditions = [c.get("text", "") for c in d.get("conditions") or [] if isinstance(c, dict)]
        yield line([
            r.seq, r.recorded_at, r.user, r.request_id, r.outcome, r.request.get("from_agency", ""),
            r.request.get("to_agency", ""), legal.get("verdict", ""), "; ".join(d.get("legal_basis") or []),
            _yes_no(d.get("urgent")), _yes_no(programme.get("covered")), d.get("pia_flow") or "",
            "; ".join(conditions), "; ".join(d.get("reasons") or []), r.policy_revision, r.hash,
            json.dumps(r.request, sort_keys=True, ensure_ascii=False),
            json.dumps(d, sort_keys=True, ensure_ascii=False),
        ])  # fmt: skip


def _in_chain_order(log: ChainedLog, where: LogFilter) -> Iterator[LogRecord]:
    """Every logged decision that meets the filter, oldest first (rows the database rules out are not read)."""
    if where.narrows:
        seqs, _ = _candidates(log, where)
        if _confirm_one_by_one(len(seqs), log.count()):
            for seq in reversed(seqs):
                record = log.get(str(seq))
                if where.matches(record):
                    yield record
            return
    for record in log.records():
        if where.matches(record):
            yield record


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _yes_no(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "") if isinstance(value, bool) else ""


def verify(log: ChainedLog) -> VerifyReport:
    """Check the whole chain and its stored checkpoints, as ``macip-gov disclosure log verify`` does.

    Returns:
        The report: ``ok``, the rows checked and the head, or the first row or checkpoint that fails and why.
    """
    return log.verify()


__all__ = [
    "CONFIRM_LIMIT",
    "CSV_COLUMNS",
    "FORMULA_STARTS",
    "MAX_PER_PAGE",
    "PER_PAGE",
    "LogFilter",
    "LogPage",
    "LogRow",
    "csv_header",
    "export_csv",
    "filter_from_query",
    "fold",
    "record",
    "row_of",
    "safe_cell",
    "search",
    "verify",
]
