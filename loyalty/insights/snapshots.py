"""The nightly roll-ups the dashboard reads instead of recomputing a million members.

- ``take_snapshot``: every current member's persona, engagement and level at the end of a day,
  and their persona at the end of the previous month, in one ``INSERT ... SELECT``; then the
  day's ``SnapshotTotal`` rows (the snapshot counted by persona, previous persona, level and
  activity: a few hundred rows at most).
- ``roll_up_likes``: Likes issued and redeemed per day (``DailyLikes``), from the ledger.

Taking a day again replaces it.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from loyalty.members.models import Member

from .metrics import day_end, day_start, likes_by_day, members_at
from .models import DailyLikes, MemberSnapshot, SnapshotTotal
from .personas import with_persona


def month_end_before(day: date) -> date:
    """The last day of the month before ``day``'s month: where persona flows start."""
    return day.replace(day=1) - timedelta(days=1)


def take_snapshot(day: date | None = None) -> int:
    """Snapshot the members of the program at the end of ``day`` (default: yesterday). Returns the count."""
    day = day or timezone.localdate() - timedelta(days=1)
    moment = day_end(day)
    previous = month_end_before(day)
    previous_taken = has_snapshot(previous)
    earlier = MemberSnapshot.objects.filter(day=previous, member=OuterRef("pk")).values("persona")[:1]
    members = with_persona(Member.objects.filter(members_at(moment)), at=moment).annotate(  # with engagement
        previous_persona=Coalesce(Subquery(earlier), Value("")) if previous_taken else Value("")
    )
    select = members.values_list("pk", "persona", "engagement", "level", "previous_persona")
    sql, params = select.query.sql_with_params()
    table = MemberSnapshot._meta.db_table
    with transaction.atomic():
        MemberSnapshot.objects.filter(day=day).delete()
        SnapshotTotal.objects.filter(day=day).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, member_id, persona, engagement, level, previous_persona) "  # noqa: S608
                f"SELECT %s, q.* FROM ({sql}) AS q",
                [day, *params],
            )
            taken = cursor.rowcount
        groups = (
            MemberSnapshot.objects.filter(day=day)
            .annotate(active=Case(When(engagement__gt=0, then=Value(True)), default=Value(False)))
            .values("persona", "previous_persona", "level", "active")
            .annotate(n=Count("pk"))
        )
        SnapshotTotal.objects.bulk_create(
            SnapshotTotal(
                day=day,
                previous_day=previous if previous_taken else None,
                persona=group["persona"],
                previous_persona=group["previous_persona"],
                level=group["level"],
                active=group["active"],
                members=group["n"],
            )
            for group in groups
        )
    if connection.vendor == "postgresql":  # a million new rows: give the planner their real numbers
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return taken


def keep_daily_snapshots_days() -> int:
    """How long every day's member snapshot is kept (``LOYALTY_INSIGHTS_SNAPSHOT_DAYS``, default 120):
    long enough for the start of the default 90-day period. Month ends are kept for good."""
    return getattr(settings, "LOYALTY_INSIGHTS_SNAPSHOT_DAYS", 120)


def prune_snapshots(today: date | None = None) -> int:
    """Delete member snapshots older than the kept days, except each month's last day (persona flows
    and periods starting on a month's first day read those). Their totals stay. Returns rows deleted."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=keep_daily_snapshots_days())
    oldest = MemberSnapshot.objects.filter(day__lt=cutoff).aggregate(day=Min("day"))["day"]
    if oldest is None:
        return 0
    month_ends, month = [], oldest.replace(day=1)
    while month <= cutoff:
        following = (month + timedelta(days=32)).replace(day=1)
        month_ends.append(following - timedelta(days=1))
        month = following
    deleted, _ = MemberSnapshot.objects.filter(day__lt=cutoff).exclude(day__in=month_ends).delete()
    return deleted


def roll_up_likes(until: date | None = None, *, since: date | None = None) -> int:
    """Write ``DailyLikes`` for every day from ``since`` (default: the day after the latest rolled-up
    day, or the ledger's first day) to ``until`` (default and at most: yesterday, as a day still
    going on is never final), zero days included, so the roll-up has no gaps. Returns the number
    of days written."""
    from loyalty.ledger.models import Journal

    yesterday = timezone.localdate() - timedelta(days=1)
    until = min(until or yesterday, yesterday)
    latest = DailyLikes.objects.aggregate(day=Max("day"))["day"]
    if latest is not None:
        after_latest = latest + timedelta(days=1)
        since = after_latest if since is None else min(since, after_latest)  # never leave a gap
    elif since is None:
        first_posting = Journal.objects.aggregate(at=Min("posted_at"))["at"]
        since = timezone.localtime(first_posting).date() if first_posting else until
    if since > until:
        return 0
    figures = likes_by_day(since, until)
    days = [since + timedelta(days=offset) for offset in range((until - since).days + 1)]
    with transaction.atomic():
        DailyLikes.objects.filter(day__gte=since, day__lte=until).delete()
        DailyLikes.objects.bulk_create(
            DailyLikes(day=day, **figures.get(day, {"issued": 0, "redeemed": 0})) for day in days
        )
    return len(days)


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


def snapshot_counts(day: date, field: str, members: QuerySet | None = None) -> dict[str, int]:
    """Members per ``field`` ("persona" or "level") in the day's snapshot: from its totals, or from its
    rows when narrowed to ``members`` (or taken before totals existed)."""
    if members is None:
        counts = dict(
            SnapshotTotal.objects.filter(day=day)
            .values(field)
            .annotate(n=Sum("members"))
            .values_list(field, "n")
        )
        if counts:
            return counts
    return dict(_of_day(day, members).values(field).annotate(n=Count("pk")).values_list(field, "n"))


def persona_counts(day: date, members: QuerySet | None = None) -> dict[str, int]:
    return snapshot_counts(day, "persona", members)


def gone_since(day: date, moment) -> QuerySet:
    """The members of ``day``'s snapshot who are not members at ``moment`` (by their current
    membership): the few rows the snapshot has to be joined with the members for."""
    return MemberSnapshot.objects.filter(day=day).filter(
        Q(member__left_at__lt=moment) | Q(member__joined_at__gte=moment)
    )


def has_flows(day: date) -> bool:
    """Whether ``day``'s snapshot knows each member's persona at the end of the previous month."""
    return SnapshotTotal.objects.filter(day=day, previous_day=month_end_before(day)).exists()


def persona_flows(day: date, members: QuerySet | None = None) -> dict[tuple[str, str], int]:
    """Members in the snapshots of both ``day`` and the end of the previous month, by their persona
    then and on ``day`` (from the totals, or one query over the day's rows for a segment)."""
    if members is None:
        rows = (
            SnapshotTotal.objects.filter(day=day)
            .exclude(previous_persona="")
            .values("previous_persona", "persona")
            .annotate(n=Sum("members"))
        )
    else:
        rows = (
            _of_day(day, members)
            .exclude(previous_persona="")
            .values("previous_persona", "persona")
            .annotate(n=Count("pk"))
        )
    return {(row["previous_persona"], row["persona"]): row["n"] for row in rows}


def activity_retention(then: date, now: date) -> tuple[int, int]:
    """(active on ``then`` and again on ``now``, active on ``then``), from two snapshots."""
    again = MemberSnapshot.objects.filter(day=now, member=OuterRef("member"), engagement__gt=0)
    counts = MemberSnapshot.objects.filter(day=then, engagement__gt=0).aggregate(
        active=Count("pk"), again=Count("pk", filter=Exists(again))
    )
    return counts["again"], counts["active"]


def level_counts(day: date, first: date, last: date) -> dict[str, dict]:
    """``engagement.level_counts`` from the snapshot of ``day`` (the day before ``first``): the members
    and their levels come from it; purchases and answers are grouped per member once and joined to
    it (three set-based queries instead of four subqueries per member)."""
    from loyalty.rules.models import Purchase

    from .models import SurveyResponse

    start, end = day_start(first), day_end(last)
    gone = dict(gone_since(day, end).values("level").annotate(n=Count("pk")).values_list("level", "n"))
    counts = {
        level: {"members": n, "retained": n - gone.get(level, 0)}
        for level, n in snapshot_counts(day, "level").items()
    }
    quote = connection.ops.quote_name
    snapshot = quote(MemberSnapshot._meta.db_table)
    purchases = quote(Purchase._meta.db_table)
    responses = quote(SurveyResponse._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.level, COUNT(*), SUM(CASE WHEN p.n >= 2 THEN 1 ELSE 0 END) "  # noqa: S608 - fixed names
            f"FROM (SELECT member_id, COUNT(*) AS n FROM {purchases} "
            f"WHERE occurred_at >= %s AND occurred_at < %s GROUP BY member_id) p "
            f"JOIN {snapshot} s ON s.member_id = p.member_id AND s.day = %s GROUP BY s.level",
            [start, end, day],
        )
        for level, buyers, repeaters in cursor.fetchall():
            counts.setdefault(level, {}).update(buyers=buyers, repeaters=repeaters)
        cursor.execute(
            f"SELECT s.level, SUM(CASE WHEN r.score >= 9 THEN 1 ELSE 0 END), "  # noqa: S608 - fixed names
            f"SUM(CASE WHEN r.score IN (7, 8) THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN r.score <= 6 THEN 1 ELSE 0 END) "
            f"FROM {responses} r JOIN {snapshot} s ON s.member_id = r.member_id AND s.day = %s "
            f"WHERE r.kind = 'nps' AND r.occurred_at >= %s AND r.occurred_at < %s GROUP BY s.level",
            [day, start, end],
        )
        for level, promoters, passives, detractors in cursor.fetchall():
            counts.setdefault(level, {}).update(promoters=promoters, passives=passives, detractors=detractors)
    return counts
