"""Searching the decision log: filters, paging, one row, CSV and its formula guard, verify (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from macip_gov.disclosure.log import open_log
from macip_gov.disclosure.log_query import (
    CSV_COLUMNS,
    LogFilter,
    export_csv,
    filter_from_query,
    record,
    safe_cell,
    search,
    verify,
)
from macip_gov.disclosure.run import check_and_log
from macip_gov.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = (ROOT / "examples" / "disclosures" / "requests.jsonl").read_text(encoding="utf-8")
EXPECTED = json.loads((ROOT / "examples" / "disclosures" / "expected.json").read_text(encoding="utf-8"))
LINES = [json.loads(line) for line in REQUESTS.splitlines() if line.strip()]


def _check(engine, url: str, text: str, user: str) -> None:
    """Decide and log through the path `disclosure check` takes."""
    with check_and_log(text, "requests.jsonl", spec=None, engine=lambda: engine, log=url, user=user) as run:
        for _ in run:
            pass


def _written(engine, url: str) -> str:
    _check(engine, url, REQUESTS, "alice")
    evil = dict(LINES[0], id="R-FORMULA")
    _check(engine, url, json.dumps(evil), '=HYPERLINK("http://x")')
    return url


@pytest.fixture(scope="module")
def sqlite_log(engine, tmp_path_factory):
    return _written(engine, str(tmp_path_factory.mktemp("log") / "decisions.db"))


@pytest.fixture(params=["sqlite", "postgresql"])
def log(request, sqlite_log, engine):
    url = sqlite_log if request.param == "sqlite" else _written(engine, request.getfixturevalue("pg_url"))
    with open_log(url, create=False) as opened:
        yield opened


def _by_outcome(outcome: str) -> list[str]:
    return [rid for rid, e in EXPECTED.items() if e["outcome"] == outcome]


def test_the_log_holds_every_decision(log):
    page = search(log)
    assert (page.total, page.matched, page.page, page.pages, page.per_page) == (46, 46, 1, 1, 50)
    assert [r.seq for r in page.rows] == list(range(46, 0, -1)), "newest first"
    assert page.rows[0].request_id == "R-FORMULA"
    assert page.rows[-1].request_id == LINES[0]["id"]
    assert page.rows[1].user == "alice"


def test_rows_carry_what_the_table_shows(log):
    row = next(r for r in search(log).rows if r.request_id == "MACIP-D-0022")
    expected = EXPECTED["MACIP-D-0022"]
    assert (row.outcome, row.verdict, row.urgent, row.legal_basis) == (
        expected["outcome"], expected["verdict"], expected["urgent"], expected["legal_basis"],
    )  # fmt: skip
    assert (row.from_agency, row.to_agency) == ("health", "police")


def test_pages_newest_first(log):
    first = search(log, LogFilter(per_page=20))
    third = search(log, LogFilter(per_page=20, page=3))
    beyond = search(log, LogFilter(per_page=20, page=4))
    assert first.pages == 3 and [r.seq for r in first.rows] == list(range(46, 26, -1))
    assert [r.seq for r in third.rows] == list(range(6, 0, -1))
    assert beyond.rows == [] and beyond.matched == 46


@pytest.mark.parametrize("outcome", ["allow", "allow_with_conditions", "refer", "deny"])
def test_filter_by_outcome(log, outcome):
    page = search(log, LogFilter(outcome=outcome))
    found = [r.request_id for r in page.rows if r.request_id != "R-FORMULA"]
    assert sorted(found) == sorted(_by_outcome(outcome))
    assert all(r.outcome == outcome for r in page.rows)
    assert page.total == 46


def test_filter_by_agency(log):
    from_health = {line["id"] for line in LINES if line["from_agency"] == "health"}
    to_police = {line["id"] for line in LINES if line["to_agency"] == "police"}
    assert {r.request_id for r in search(log, LogFilter(from_agency="health")).rows} == from_health
    both = search(log, LogFilter(from_agency="health", to_agency="police"))
    assert {r.request_id for r in both.rows} == from_health & to_police
    assert both.matched == len(from_health & to_police) > 0


def test_filter_by_date(log):
    today = date.fromisoformat(search(log).rows[0].recorded_at[:10])
    assert search(log, LogFilter(date_from=today, date_to=today)).matched == 46
    assert search(log, LogFilter(date_to=date(2000, 1, 1))).matched == 0
    assert search(log, LogFilter(date_from=date(2999, 1, 1))).matched == 0


def test_free_text_finds_ids_reasons_and_basis_in_any_case(log):
    assert [r.request_id for r in search(log, LogFilter(text="macip-d-0022")).rows] == ["MACIP-D-0022"]
    by_basis = {r.request_id for r in search(log, LogFilter(text="ipp 11(1)(f)(ii)")).rows}
    assert by_basis == {
        rid for rid, e in EXPECTED.items() if "Privacy Act 2020 s22 IPP 11(1)(f)(ii)" in e["legal_basis"]
    }
    # A reason's words, not in any id or basis.
    assert search(log, LogFilter(text="never shared with a community provider")).matched >= 1
    assert search(log, LogFilter(text="no such words anywhere")).matched == 0


def test_filters_combine(log):
    page = search(log, LogFilter(outcome="deny", from_agency="police", text="MACIP"))
    assert page.rows and all(r.outcome == "deny" and r.from_agency == "police" for r in page.rows)


def test_one_row_in_full(log):
    row = next(r for r in search(log).rows if r.request_id == "MACIP-D-0022")
    full = record(log, row.seq)
    assert full.request["threat"]["imminence"] == "imminent"
    assert full.decision["outcome"] == EXPECTED["MACIP-D-0022"]["outcome"]
    with pytest.raises(InvalidInputError, match="no row .?999"):
        record(log, 999)
    with pytest.raises(InvalidInputError, match="no row 0"):
        record(log, 0)


def test_verify_reports_an_intact_chain(log):
    report = verify(log)
    assert (report.ok, report.rows, report.first_bad_row) == (True, 46, None)


def test_verify_names_an_edited_row(engine, tmp_path):
    url = _written(engine, str(tmp_path / "d.db"))
    db = sqlite3.connect(url)
    with db:
        db.execute("UPDATE decisions SET user = 'mallory' WHERE seq = 7")
    db.close()
    with open_log(url, create=False) as opened:
        report = verify(opened)
    assert (report.ok, report.first_bad_row) == (False, 7)
    assert "do not match its hash" in (report.problem or "")


def _csv(log, where=None) -> list[dict[str, str]]:
    text = "".join(export_csv(log, where))
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_holds_the_filtered_rows_in_chain_order(log):
    rows = _csv(log, LogFilter(outcome="refer", page=2, per_page=1))
    assert [r["request_id"] for r in rows] == [
        line["id"] for line in LINES if EXPECTED[line["id"]]["outcome"] == "refer"
    ]
    assert list(rows[0]) == list(CSV_COLUMNS)
    first = rows[0]
    assert json.loads(first["decision"])["outcome"] == "refer"
    assert first["legal_verdict"] == EXPECTED[first["request_id"]]["verdict"]
    assert len(_csv(log)) == 46


def test_csv_cells_cannot_start_a_formula(log):
    rows = _csv(log, LogFilter(text="R-FORMULA"))
    assert [r["user"] for r in rows] == ['\'=HYPERLINK("http://x")']
    for row in _csv(log):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("\rx", "'\rx"), ("a=1", "a=1"), ("", ""), (None, ""), (12, "12"), ("'quoted", "'quoted"),
    ],
)  # fmt: skip
def test_safe_cell(value, shown):
    assert safe_cell(value) == shown


def test_filter_from_query():
    where = filter_from_query({"outcome": "deny", "text": "  police  ", "date_from": "2026-03-01", "page": "2",
                               "from_agency": "", "csrf_token": "x"})  # fmt: skip
    assert (where.outcome.value, where.text, where.date_from, where.page, where.from_agency) == (
        "deny", "police", date(2026, 3, 1), 2, None,
    )  # fmt: skip
    assert where.query() == {"outcome": "deny", "date_from": "2026-03-01", "text": "police", "page": "2"}
    assert where.query(page=1) == {"outcome": "deny", "date_from": "2026-03-01", "text": "police"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"outcome": "maybe"}, "outcome: Input should be"),
        ({"date_from": "yesterday"}, "date_from: "),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to: the end date is before the start date"),
        ({"page": "0"}, "page: "),
        ({"per_page": "100000"}, "per_page: "),
        ({"text": "x" * 201}, "text: "),
    ],
)
def test_filter_from_query_refuses_what_does_not_fit(params, message):
    with pytest.raises(InvalidInputError) as caught:
        filter_from_query(params)
    assert caught.value.one_line().startswith(f"search: {message}")


def _brute_force(log, where: LogFilter) -> list[int]:
    """The rows that meet the filter, newest first, found by reading every row."""
    return [r.seq for r in reversed(list(log.records())) if where.matches(r)]


FILTERS = [
    {},
    {"outcome": "refer"},
    {"outcome": "allow", "date_from": "2000-01-01", "date_to": "2999-12-31"},
    {"from_agency": "oranga_tamariki"},
    {"to_agency": "community:mentoring-service"},
    {"to_agency": "oranga!tamariki"},
    {"from_agency": 'po"lice'},
    {"text": "MACIP-D-00"},
    {"text": "ipp 11(1)(F)"},
    {"text": "r11(2)(d)", "outcome": "allow_with_conditions"},
    {"text": "%"},
    {"text": "_"},
    {"text": "11(1)_"},
    {"text": '"outcome"'},
    {"text": "WHĀNAU"},
    {"text": "hypErlink"},
    {"text": "police", "from_agency": "health", "to_agency": "police"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[json.dumps(f, ensure_ascii=False) for f in FILTERS])
def test_every_search_finds_what_reading_every_row_finds(log, params):
    where = LogFilter.model_validate({**params, "per_page": 500})
    expected = _brute_force(log, where)
    page = search(log, where)
    assert [r.seq for r in page.rows] == expected
    assert page.matched == len(expected)
    assert [int(r["seq"]) for r in _csv(log, where)] == expected[::-1]


def test_words_typed_in_ascii_ignore_the_case_of_a_to_z_only():
    from macip_gov.disclosure.log_query import fold

    assert fold("IPP 11(1)(F)") == "ipp 11(1)(f)"
    assert fold("Straße", ascii_only=True) == "straße"  # a haystack searched for ASCII words
    assert fold("\u212a", ascii_only=True) == "\u212a"  # the Kelvin sign is not a k here
    assert fold("WHĀNAU") == "whānau"


def test_a_search_offered_many_rows_reads_them_in_one_pass(engine, tmp_path, monkeypatch):
    # Past the limit, and more than half the log, the rows offered are not read one by one.
    import macip_gov.disclosure.log_query as lq

    url = _written(engine, str(tmp_path / "d.db"))
    monkeypatch.setattr(lq, "CONFIRM_LIMIT", 1)
    with open_log(url, create=False) as opened:
        where = LogFilter(text="MACIP")
        assert search(opened, where).matched == 45 == len(_brute_force(opened, where))
        assert len(_csv(opened, where)) == 45
