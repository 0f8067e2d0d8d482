"""The OIA statutory clock: working days, the s 15(1) decision date, s 14 transfer and s 15A extension.

A *working day* (OIA s 2(1)) is any day except a Saturday or Sunday; Waitangi Day,
Good Friday, Easter Monday, Anzac Day, the Sovereign's birthday, Te Rā Aro ki a
Matariki (Matariki Observance Day) and Labour Day; the Monday after a Waitangi
Day or Anzac Day that falls on a weekend (from 2014); and every day from
25 December to 15 January. Regional anniversary days are working days. The one-off
Queen Elizabeth II Memorial Day (26 September 2022) was treated as a non-working
day for statutory timeframes by its own Act.

Holiday dates come from the ``holidays`` package's New Zealand calendar (national
holidays only, so no anniversary days); each is mapped to the limb of the
definition that excludes it. The day of receipt is day 0, whatever kind of day
it is; the decision is due on the 20th working day after it (s 15(1)); a transfer
is due by the 10th (s 14); a transferred request's 20 days run from the day the
transferee receives it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError

DECISION_DAYS = 20
"""s 15(1): decide no later than 20 working days after the day of receipt."""
TRANSFER_DAYS = 10
"""s 14: transfer no later than 10 working days after the day of receipt."""
COMMENCEMENT = date(1983, 7, 1)
"""The Official Information Act 1982 came into force on 1 July 1983."""
MATARIKI_FIRST_YEAR = 2022
"""Te Kāhui o Matariki Public Holiday Act 2022: the first Matariki holiday was in 2022."""

# The holidays package's English names -> how the OIA definition names the day.
# Christmas, Boxing and New Year days (and their Mondayised days) always fall
# inside the 25 December-15 January close-off, so they need no entry.
_OIA_NAMES = {
    "Waitangi Day": "Waitangi Day",
    "Good Friday": "Good Friday",
    "Easter Monday": "Easter Monday",
    "Anzac Day": "Anzac Day",
    "Queen's Birthday": "the Sovereign's birthday",
    "King's Birthday": "the Sovereign's birthday",
    "Sovereign's Birthday": "the Sovereign's birthday",
    "Matariki": "Te Rā Aro ki a Matariki (Matariki Observance Day)",
    "Labour Day": "Labour Day",
    "Queen Elizabeth II Memorial Day": "Queen Elizabeth II Memorial Day (Queen Elizabeth II Memorial Day Act 2022)",
}
_MONDAYISED = {"Waitangi Day", "Anzac Day"}
_OBSERVED = " (observed)"


class _Result:
    """Plain frozen records that dump like the package's pydantic models (``model_dump``, ``model_dump_json``).

    The statutory clock is on the command line's fast path, so its results are
    standard-library dataclasses: computing a deadline never imports pydantic.
    Pydantic models may still hold them as fields.
    """

    __slots__ = ()

    def model_dump(self, *, mode: str = "python", exclude: Collection[str] | None = None) -> dict[str, Any]:
        """The fields as a dict (``mode="json"``: dates as ISO strings), without those in ``exclude``."""
        skip = exclude or ()
        names = [f.name for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        return {name: _dump(getattr(self, name), mode) for name in names if name not in skip}

    def model_dump_json(self, *, exclude: Collection[str] | None = None) -> str:
        """The fields as compact JSON, in field order (the bytes pydantic's ``model_dump_json`` writes)."""
        return json.dumps(self.model_dump(mode="json", exclude=exclude), ensure_ascii=False, separators=(",", ":"))


def _dump(value: Any, mode: str) -> Any:
    if isinstance(value, _Result):
        return value.model_dump(mode=mode)
    if isinstance(value, list):
        return [_dump(item, mode) for item in value]
    if mode == "json" and isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ExcludedDay(_Result):
    """A day that is not a working day, and why."""

    date: _dt.date
    """The calendar day."""
    reason: str
    """The limb of the OIA s 2 definition that excludes it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Deadline(_Result):
    """The statutory dates for one request."""

    received: date
    """Day the request was received (day 0)."""
    transfer_by: date
    """s 14: latest day to transfer it (10th working day after receipt)."""
    transferred: date | None = None
    """Day the request was received on transfer under s 14, if it was transferred."""
    transfer_in_time: bool | None = None
    """Whether the transfer was made by transfer_by (None when not transferred)."""
    clock_starts: date
    """Day 0 of the decision clock: the transfer date, else the receipt date."""
    due: date
    """s 15(1): the 20th working day after clock_starts."""
    extended_by: int | None = None
    """s 15A: extension in working days, if any."""
    extended_due: date | None = None
    """s 15A: due date after the extension."""
    final_due: date
    """The date that binds: extended_due if extended, else due."""
    excluded: list[ExcludedDay] = field(default_factory=list)
    """Every non-working day from the day after receipt to the last date computed."""


@lru_cache(maxsize=256)
def _check_year(year: int) -> None:
    # Matariki dates are fixed by schedule, not by rule; beyond the schedule the
    # calendar cannot know them, and a deadline that silently counts Matariki as
    # a working day would be wrong. Refuse instead.
    if year < MATARIKI_FIRST_YEAR:
        return
    found = any("Matariki" in name for _, name in _year_holidays(year))
    if not found:
        raise InvalidInputError(
            f"no Matariki date is known for {year}: the holidays calendar ends before it, so working days "
            "cannot be counted"
        )


@lru_cache(maxsize=1)
def _nz_calendar() -> type[Any]:
    """The holidays package's New Zealand calendar class, without its 250 other countries.

    ``holidays.countries`` imports every country when any one is imported
    (about 220 ms); the New Zealand module itself needs only the package core,
    so it is loaded from its file. Any surprise in the package's layout falls
    back to the package's own lookup.
    """
    import importlib.util

    import holidays

    try:
        path = Path(holidays.__file__).parent / "countries" / "new_zealand.py"
        spec = importlib.util.spec_from_file_location("macip_gov._nz_holidays", path)
        if spec is None or spec.loader is None:
            raise ImportError(path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        calendar: type[Any] = module.NewZealand
    except Exception:  # pragma: no cover - a holidays release with another layout
        calendar = holidays.country_holidays("NZ").__class__
    return calendar


@lru_cache(maxsize=256)
def _year_holidays(year: int) -> tuple[tuple[date, str], ...]:
    table = _nz_calendar()(years=year, categories=("public",))
    return tuple((day, name) for day in sorted(table) for name in table.get_list(day))


@lru_cache(maxsize=4096)
def non_working_reason(day: date) -> str | None:
    """Why ``day`` is not an OIA working day, or None if it is one.

    Args:
        day: Any calendar day from the Act's commencement on.

    Returns:
        A short reason ("Saturday", "Good Friday", "close-off period 25 December to
        15 January", "Anzac Day (falls on Sunday 25 April; Monday excluded)"), or None.

    Raises:
        InvalidInputError: The day is before 1 July 1983, or in a year whose
            Matariki date the calendar does not know.
    """
    if day < COMMENCEMENT:
        raise InvalidInputError(
            f"{day.isoformat()} is before the Official Information Act 1982 came into force (1 July 1983)"
        )
    _check_year(day.year)
    if (day.month == 12 and day.day >= 25) or (day.month == 1 and day.day <= 15):
        named = [name for holiday_day, name in _year_holidays(day.year) if holiday_day == day]
        suffix = f" ({'; '.join(named)})" if named else ""
        return f"close-off period 25 December to 15 January{suffix}"
    reasons = []
    for holiday_day, name in _year_holidays(day.year):
        if holiday_day != day:
            continue
        base = name.removesuffix(_OBSERVED)
        label = _OIA_NAMES.get(base)
        if label is None:
            continue  # not a day the OIA definition excludes
        if name.endswith(_OBSERVED):
            if base not in _MONDAYISED:
                continue
            actual = _actual_date(base, day.year)
            label = f"{label} (falls on {actual:%A} {actual.day} {actual:%B}; Monday excluded)"
        reasons.append(label)
    if day.weekday() >= 5:
        weekend = day.strftime("%A")
        return f"{weekend} ({'; '.join(reasons)})" if reasons else weekend
    return "; ".join(reasons) or None


def _actual_date(name: str, year: int) -> date:
    return date(year, 2, 6) if name == "Waitangi Day" else date(year, 4, 25)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day under OIA s 2(1)."""
    return non_working_reason(day) is None


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is day 0).

    Raises:
        InvalidInputError: ``n`` is negative, or a date falls outside the known calendar.
    """
    if n < 0:
        raise InvalidInputError(f"working days cannot be negative ({n})")
    day = start
    count = 0
    while count < n:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day


def working_days_after(start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def excluded_days(first: date, last: date) -> list[ExcludedDay]:
    """Every non-working day from ``first`` to ``last`` inclusive, with its reason."""
    out = []
    day = first
    while day <= last:
        reason = non_working_reason(day)
        if reason is not None:
            out.append(ExcludedDay(date=day, reason=reason))
        day += timedelta(days=1)
    return out


def compute_deadline(
    received: date,
    *,
    transferred: date | None = None,
    extended_by: int | None = None,
) -> Deadline:
    """The statutory dates for a request.

    Args:
        received: Day the request was first received (day 0).
        transferred: Day the request was received on transfer under s 14; the
            decision clock restarts from it.
        extended_by: Working days of extension under s 15A.

    Returns:
        The dates, with every excluded day between receipt and the last date.

    Raises:
        InvalidInputError: The transfer is before receipt, the extension is not
            positive, or a date falls outside the known calendar.
    """
    if received < COMMENCEMENT:
        non_working_reason(received)  # raises: before the Act came into force
    if transferred is not None and transferred < received:
        raise InvalidInputError(
            f"the transfer date {transferred.isoformat()} is before the receipt date {received.isoformat()}"
        )
    if extended_by is not None and extended_by < 1:
        raise InvalidInputError(f"an extension must be at least 1 working day (got {extended_by})")
    transfer_by = add_working_days(received, TRANSFER_DAYS)
    clock = transferred or received
    due = add_working_days(clock, DECISION_DAYS)
    extended_due = add_working_days(due, extended_by) if extended_by else None
    final_due = extended_due or due
    return Deadline(
        received=received,
        transfer_by=transfer_by,
        transferred=transferred,
        transfer_in_time=None if transferred is None else transferred <= transfer_by,
        clock_starts=clock,
        due=due,
        extended_by=extended_by,
        extended_due=extended_due,
        final_due=final_due,
        excluded=excluded_days(received + timedelta(days=1), max(final_due, transfer_by)),
    )


__all__ = [
    "COMMENCEMENT",
    "DECISION_DAYS",
    "TRANSFER_DAYS",
    "Deadline",
    "ExcludedDay",
    "add_working_days",
    "compute_deadline",
    "excluded_days",
    "is_working_day",
    "non_working_reason",
    "working_days_after",
]
