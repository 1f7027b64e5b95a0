"""Local calendar arithmetic: days start at local midnight, and lifetimes keep the local time of day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loyalty.core.dates import day_end, day_start, days_after, start_of_local_day, start_of_local_month

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _amsterdam(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"


def test_a_lifetime_across_the_end_of_summer_time_keeps_the_local_day_and_hour():
    earned = datetime(2027, 10, 20, 0, 30, tzinfo=AMS)  # 22:30 UTC the day before

    expires = days_after(earned, 15)

    assert expires.astimezone(AMS) == datetime(2027, 11, 4, 0, 30, tzinfo=AMS)
    assert expires.astimezone(UTC) - earned.astimezone(UTC) == timedelta(days=15, hours=1)  # a 25-hour day


def test_a_lifetime_across_the_start_of_summer_time_keeps_the_local_day_and_hour():
    earned = datetime(2027, 3, 20, 23, 30, tzinfo=AMS)

    assert days_after(earned, 15).astimezone(AMS) == datetime(2027, 4, 4, 23, 30, tzinfo=AMS)


def test_a_lifetime_that_ends_in_the_missing_hour_lands_just_after_it():
    earned = datetime(2027, 3, 27, 2, 30, tzinfo=AMS)

    assert days_after(earned, 1).astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 local


def test_a_day_and_a_month_start_at_local_midnight_not_utc_midnight():
    new_years_eve = datetime(2026, 12, 31, 23, 40, tzinfo=AMS)
    just_after = datetime(2026, 12, 31, 23, 10, tzinfo=UTC)  # 00:10 on 1 January in Amsterdam

    assert start_of_local_day(new_years_eve) == datetime(2026, 12, 31, tzinfo=AMS)
    assert start_of_local_day(just_after) == datetime(2027, 1, 1, tzinfo=AMS)
    assert start_of_local_month(just_after) == datetime(2027, 1, 1, tzinfo=AMS)
    assert start_of_local_month(new_years_eve) == datetime(2026, 12, 1, tzinfo=AMS)


def hours_in(day: date) -> float:
    return (day_end(day).astimezone(UTC) - day_start(day).astimezone(UTC)).total_seconds() / 3600


def test_the_day_summer_time_starts_has_23_hours_and_the_day_it_ends_25():
    assert (hours_in(date(2027, 3, 28)), hours_in(date(2027, 10, 31)), hours_in(date(2027, 4, 30))) == (
        23,
        25,
        24,
    )
