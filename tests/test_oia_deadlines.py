"""The OIA statutory clock, against dates worked by hand from the Act's rules.

Each expected date below was counted on a calendar by hand: the day of receipt is
day 0; weekends, the holidays named in the s 2 definition (Waitangi and Anzac Days
Mondayised from 2014) and 25 December-15 January are skipped; regional anniversary
days are counted. The count is written out in the comment beside each case.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from macip_gov.errors import InvalidInputError
from macip_gov.oia.deadlines import (
    add_working_days,
    compute_deadline,
    excluded_days,
    is_working_day,
    non_working_reason,
    working_days_after,
)

# Te Kāhui o Matariki Public Holiday Act 2022, Schedule 1 (the years the project's law notes verified).
MATARIKI = {
    2022: date(2022, 6, 24),
    2023: date(2023, 7, 14),
    2024: date(2024, 6, 28),
    2025: date(2025, 6, 20),
    2026: date(2026, 7, 10),
    2027: date(2027, 6, 25),
    2028: date(2028, 7, 14),
    2029: date(2029, 7, 6),
    2030: date(2030, 6, 21),
}


@pytest.mark.parametrize(
    ("received", "due", "transfer_by"),
    [
        # Easter 2021: Good Friday 2 Apr, Easter Monday 5 Apr; Anzac Day Sun 25 Apr -> Mon 26 Apr.
        # Apr 6-9 (1-4), 12-16 (5-9), 19-23 (10-14), 27-30 (15-18), May 3 (19), May 4 (20).
        (date(2021, 4, 1), date(2021, 5, 4), date(2021, 4, 19)),
        # Easter 2022 then Anzac Day Mon 25 Apr 2022: Apr 14 (1), 19-22 (2-5), 26-29 (6-9),
        # May 2-6 (10-14), 9-13 (15-19), May 16 (20).
        (date(2022, 4, 13), date(2022, 5, 16), date(2022, 5, 2)),
        # Queen's Birthday Mon 6 Jun 2022 and the first Matariki, Fri 24 Jun 2022:
        # Jun 2-3 (1-2), 7-10 (3-6), 13-17 (7-11), 20-23 (12-15), 27-30 (16-19), Jul 1 (20).
        (date(2022, 6, 1), date(2022, 7, 1), date(2022, 6, 16)),
        # Matariki Fri 14 Jul 2023: Jul 4-7 (1-4), 10-13 (5-8), 17-21 (9-13), 24-28 (14-18),
        # Jul 31 (19), Aug 1 (20).
        (date(2023, 7, 3), date(2023, 8, 1), date(2023, 7, 18)),
        # Labour Day Mon 23 Oct 2023; Hawke's Bay anniversary Fri 20 Oct is a working day:
        # Oct 9-13 (1-5), 16-20 (6-10), 24-27 (11-14), 30-31 (15-16), Nov 1-3 (17-19), Nov 6 (20).
        (date(2023, 10, 6), date(2023, 11, 6), date(2023, 10, 20)),
        # Close-off: 25 Nov 2022 -> Nov 28-Dec 2 (1-5), 5-9 (6-10), 12-16 (11-15), 19-23 (16-20).
        (date(2022, 11, 25), date(2022, 12, 23), date(2022, 12, 9)),
        # The first receipt date the 2022/23 close-off reaches: Nov 29-Dec 2 (1-4), 5-9 (5-9),
        # 12-16 (10-14), 19-23 (15-19), then nothing until Mon 16 Jan 2023 (20).
        (date(2022, 11, 28), date(2023, 1, 16), date(2022, 12, 12)),
        # Received inside the close-off: Jan 16-20 2023 (1-5; Wellington anniversary Jan 23 and
        # Auckland anniversary Jan 30 count), 23-27 (6-10), Jan 30-Feb 3 (11-15),
        # Waitangi Day Mon 6 Feb skipped, Feb 7-10 (16-19), Feb 13 (20).
        (date(2022, 12, 27), date(2023, 2, 13), date(2023, 1, 27)),
        # Waitangi Day Sat 6 Feb 2021 -> Mon 8 Feb skipped: Feb 2-5 (1-4), 9-12 (5-8),
        # 15-19 (9-13), 22-26 (14-18), Mar 1 (19), Mar 2 (20).
        (date(2021, 2, 1), date(2021, 3, 2), date(2021, 2, 16)),
        # Received on a Saturday: Waitangi Day Mon 6 Feb 2023 skipped; Feb 7-10 (1-4),
        # 13-17 (5-9), 20-24 (10-14), 27-28 (15-16), Mar 1-3 (17-19), Mar 6 (20).
        (date(2023, 2, 4), date(2023, 3, 6), date(2023, 2, 20)),
        # Queen Elizabeth II Memorial Day Mon 26 Sep 2022: Sep 2 (1), 5-9 (2-6), 12-16 (7-11),
        # 19-23 (12-16), 27-30 (17-20).
        (date(2022, 9, 1), date(2022, 9, 30), date(2022, 9, 15)),
        # Before 2014 Anzac Day on a Sunday (25 Apr 2010) was not Mondayised: Apr 23 (1),
        # Apr 26-30 (2-6), May 3-7 (7-11), 10-14 (12-16), 17-20 (17-20).
        (date(2010, 4, 22), date(2010, 5, 20), date(2010, 5, 6)),
    ],
)
def test_due_dates_worked_by_hand(received, due, transfer_by):
    result = compute_deadline(received)
    assert result.due == due
    assert result.final_due == due
    assert result.transfer_by == transfer_by


def test_transfer_restarts_the_clock_and_extension_adds_working_days():
    # Received 12 Jul 2021, transferred 19 Jul 2021 (the reference release's transfer date).
    # Transfer by: Jul 13-16 (1-4), 19-23 (5-9), Jul 26 (10).
    # Due: Jul 20-23 (1-4), 26-30 (5-9), Aug 2-6 (10-14), 9-13 (15-19), Aug 16 (20).
    # Extended 25: Aug 17-20 (1-4), 23-27 (5-9), Aug 30-Sep 3 (10-14), 6-10 (15-19),
    # 13-17 (20-24), Sep 20 (25).
    result = compute_deadline(date(2021, 7, 12), transferred=date(2021, 7, 19), extended_by=25)
    assert result.model_dump(mode="json", exclude={"excluded"}) == {
        "received": "2021-07-12",
        "transfer_by": "2021-07-26",
        "transferred": "2021-07-19",
        "transfer_in_time": True,
        "clock_starts": "2021-07-19",
        "due": "2021-08-16",
        "extended_by": 25,
        "extended_due": "2021-09-20",
        "final_due": "2021-09-20",
    }


def test_late_transfer_is_reported():
    result = compute_deadline(date(2021, 7, 1), transferred=date(2021, 7, 19))
    assert result.transfer_by == date(2021, 7, 15)
    assert result.transfer_in_time is False


def test_excluded_days_name_their_reason():
    result = compute_deadline(date(2021, 4, 1))
    assert [(d.date.isoformat(), d.reason) for d in result.excluded[:5]] == [
        ("2021-04-02", "Good Friday"),
        ("2021-04-03", "Saturday"),
        ("2021-04-04", "Sunday"),
        ("2021-04-05", "Easter Monday"),
        ("2021-04-10", "Saturday"),
    ]
    assert non_working_reason(date(2021, 4, 25)) == "Sunday (Anzac Day)"
    assert non_working_reason(date(2021, 4, 26)) == "Anzac Day (falls on Sunday 25 April; Monday excluded)"
    assert non_working_reason(date(2023, 7, 14)) == "Te Rā Aro ki a Matariki (Matariki Observance Day)"
    assert non_working_reason(date(2023, 6, 5)) == "the Sovereign's birthday"
    assert non_working_reason(date(2021, 12, 27)) == (
        "close-off period 25 December to 15 January (Christmas Day (observed))"
    )
    assert non_working_reason(date(2023, 1, 30)) is None  # Auckland anniversary
    assert non_working_reason(date(2023, 11, 17)) is None  # Canterbury show day


def test_counting_helpers():
    assert add_working_days(date(2021, 7, 19), 0) == date(2021, 7, 19)
    assert working_days_after(date(2021, 8, 16), date(2021, 9, 17)) == 24
    assert working_days_after(date(2021, 8, 16), date(2021, 8, 16)) == 0
    assert working_days_after(date(2021, 8, 16), date(2021, 8, 1)) == 0
    assert excluded_days(date(2022, 6, 24), date(2022, 6, 26))[0].reason.startswith("Te Rā Aro")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"received": date(1983, 6, 30)},
            "1983-06-30 is before the Official Information Act 1982 came into force (1 July 1983)",
        ),
        (
            {"received": date(2021, 7, 19), "transferred": date(2021, 7, 18)},
            "the transfer date 2021-07-18 is before the receipt date 2021-07-19",
        ),
        ({"received": date(2021, 7, 19), "extended_by": 0}, "an extension must be at least 1 working day (got 0)"),
        (
            {"received": date(2060, 3, 1)},
            "no Matariki date is known for 2060: the holidays calendar ends before it, so working days cannot be "
            "counted",
        ),
    ],
)
def test_invalid_requests(kwargs, message):
    with pytest.raises(InvalidInputError) as info:
        compute_deadline(**kwargs)
    assert info.value.message == message


def _easter(year: int) -> date:
    # Anonymous Gregorian computus, written out here to check the holidays package independently.
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    return date(year, month, (h + ell - 7 * m + 114) % 31 + 1)


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def _rule_based_exclusions(year: int, matariki: dict[int, date]) -> set[date]:
    """The weekday exclusions outside the close-off, from the rules in working-days.yaml."""
    out = {
        _easter(year) - timedelta(days=2),
        _easter(year) + timedelta(days=1),
        _nth_monday(year, 6, 1),
        _nth_monday(year, 10, 4),
    }
    for fixed in (date(year, 2, 6), date(year, 4, 25)):
        if fixed.weekday() < 5:
            out.add(fixed)
        elif year >= 2014:
            out.add(fixed + timedelta(days=7 - fixed.weekday()))
    if year in matariki:
        out.add(matariki[year])
    if year == 2022:
        out.add(date(2022, 9, 26))
    return out


def test_holidays_package_agrees_with_the_rules():
    """The holidays package's NZ calendar, checked against the working-day rules year by year."""
    matariki = MATARIKI
    for year in range(1990, max(matariki) + 1):
        expected = _rule_based_exclusions(year, matariki)
        actual = set()
        day = date(year, 1, 16)
        while day < date(year, 12, 25):
            if day.weekday() < 5 and not is_working_day(day):
                actual.add(day)
            day += timedelta(days=1)
        assert actual == expected, year


def test_new_zealand_calendar_is_the_packages_own_for_every_year():
    import holidays

    from macip_gov.oia.deadlines import _year_holidays

    for year in range(1984, 2045):
        reference = holidays.country_holidays("NZ", years=year, categories=("public",))
        expected = tuple((day, name) for day in sorted(reference) for name in reference.get_list(day))
        assert _year_holidays(year) == expected, year


def test_deadline_loads_no_other_country():
    code = (
        "import sys; from datetime import date; from macip_gov.oia.deadlines import non_working_reason; "
        "print(non_working_reason(date(2021, 4, 2))); print('holidays.countries' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "Good Friday\nFalse\n"


def test_deadline_command_imports_no_pydantic():
    # The statutory clock is on the command line's fast path: neither the
    # results nor the command import pydantic, the policy engine or the
    # holidays of other countries.
    code = (
        "import sys; from macip_gov.cli import cli\n"
        "try:\n"
        "    cli(['oia', 'deadline', '2021-07-19', '--explain'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('holidays.countries', 'macip_gov.engine')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' or m in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
    assert out.stdout.splitlines()[0].startswith("received:")


def test_deadline_results_dump_like_models():
    result = compute_deadline(date(2022, 6, 1), transferred=date(2022, 6, 10), extended_by=5)
    assert dataclasses.is_dataclass(result)
    dumped = json.loads(result.model_dump_json())
    assert list(dumped) == [
        "received",
        "transfer_by",
        "transferred",
        "transfer_in_time",
        "clock_starts",
        "due",
        "extended_by",
        "extended_due",
        "final_due",
        "excluded",
    ]
    assert dumped["excluded"][0] == {"date": "2022-06-04", "reason": "Saturday"}
    assert "Te Rā Aro ki a Matariki" in result.model_dump_json()
    assert result.model_dump()["excluded"][0] == {"date": date(2022, 6, 4), "reason": "Saturday"}
    assert "excluded" not in result.model_dump(exclude={"excluded"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.due = date(2022, 1, 1)  # type: ignore[misc]
