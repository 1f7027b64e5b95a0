"""Calendar arithmetic in the site's time zone, so days, months and lifetimes follow the members' clock.

A member's "today" starts at local midnight, not UTC's, and "valid for 15 days" means the same local
time of day 15 days later, even when a change to or from summer time falls in between.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the site's time zone."""
    return _normalised(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """The first moment after ``day`` (exclusive bound), in the site's time zone."""
    return day_start(day + timedelta(days=1))


def start_of_local_day(instant: datetime) -> datetime:
    """Local midnight of the day ``instant`` falls on."""
    return day_start(timezone.localdate(instant))


def start_of_local_month(instant: datetime) -> datetime:
    """Local midnight of the first day of the month ``instant`` falls on."""
    return day_start(timezone.localdate(instant).replace(day=1))


def days_after(instant: datetime, days: int) -> datetime:
    """The same local time of day, ``days`` calendar days after ``instant``.

    Adding 24-hour periods to a UTC instant would move a lifetime that spans the end of summer
    time to 23:xx of the day before; wall-clock arithmetic in the local zone does not.
    """
    local = timezone.localtime(instant)
    return _normalised(datetime.combine(local.date() + timedelta(days=days), local.time()))


def _normalised(wall_time: datetime) -> datetime:
    """A local wall-clock time as a real instant: a time in the hour skipped when summer time
    starts becomes the moment just after it (02:30 is read as 03:30)."""
    if not settings.USE_TZ:  # a site without time zones works in naive local times
        return wall_time
    return timezone.localtime(timezone.make_aware(wall_time))
