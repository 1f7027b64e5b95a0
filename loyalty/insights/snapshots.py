"""Nightly snapshots of every current member's persona and engagement, written in one set-based
statement (``INSERT ... SELECT``), so the dashboard's persona and level figures are grouped counts
over one table instead of per-member subqueries. Taking a day's snapshot twice replaces it."""

from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from loyalty.members.models import Member

from .metrics import day_end, members_at
from .models import MemberSnapshot
from .personas import with_persona


def take_snapshot(day: date | None = None) -> int:
    """Snapshot the members of the program at the end of ``day`` (default: yesterday). Returns the count."""
    day = day or timezone.localdate() - timedelta(days=1)
    moment = day_end(day)
    members = with_persona(Member.objects.filter(members_at(moment)), at=moment)  # with engagement too
    select = members.values_list("pk", "persona", "engagement", "level")
    sql, params = select.query.sql_with_params()
    table = MemberSnapshot._meta.db_table
    with transaction.atomic():
        MemberSnapshot.objects.filter(day=day).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, member_id, persona, engagement, level) "  # noqa: S608 - fixed names
                f"SELECT %s, q.* FROM ({sql}) AS q",
                [day, *params],
            )
            return cursor.rowcount


def latest_snapshot_day(on_or_before: date) -> date | None:
    return (
        MemberSnapshot.objects.filter(day__lte=on_or_before)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def has_snapshot(day: date) -> bool:
    return MemberSnapshot.objects.filter(day=day).exists()


def days_taken(*days: date) -> set[date]:
    """Which of ``days`` have a snapshot (one query)."""
    return set(MemberSnapshot.objects.filter(day__in=days).values_list("day", flat=True).distinct())


def _of_day(day: date, members: QuerySet | None):
    rows = MemberSnapshot.objects.filter(day=day)
    return rows if members is None else rows.filter(member__in=members)


def persona_counts(day: date, members: QuerySet | None = None) -> dict[str, int]:
    return dict(_of_day(day, members).values("persona").annotate(n=Count("pk")).values_list("persona", "n"))


def persona_flows(then: date, now: date, members: QuerySet | None = None) -> dict[tuple[str, str], int]:
    """Members in both snapshots, by their persona on ``then`` and on ``now`` (one query)."""
    earlier = MemberSnapshot.objects.filter(day=then, member=OuterRef("member")).values("persona")[:1]
    rows = (
        _of_day(now, members)
        .annotate(then_persona=Subquery(earlier))
        .exclude(then_persona=None)
        .values("then_persona", "persona")
        .annotate(n=Count("pk"))
    )
    return {(row["then_persona"], row["persona"]): row["n"] for row in rows}


def activity_retention(then: date, now: date) -> tuple[int, int]:
    """(active on ``then`` and again on ``now``, active on ``then``), from two snapshots."""
    again = MemberSnapshot.objects.filter(day=now, member=OuterRef("member"), engagement__gt=0)
    counts = MemberSnapshot.objects.filter(day=then, engagement__gt=0).aggregate(
        active=Count("pk"), again=Count("pk", filter=Exists(again))
    )
    return counts["again"], counts["active"]


def level_on(day: date):
    """A subquery giving each member's engagement level in the snapshot of ``day``."""
    return Subquery(MemberSnapshot.objects.filter(day=day, member=OuterRef("pk")).values("level")[:1])
