"""Benchmark (not a test): the whole Insights dashboard against one full count over the activity tables.

Usage: .venv/bin/python bench/insights.py [--members 1000000] [--months 3] [--reuse]
Needs PostgreSQL on 127.0.0.1:5432 (BENCH_PG_URL overrides). It seeds ``loyalty_bench_insights``
with ``loyalty_seed`` data (skipped with --reuse when it is already there) plus one NPS answer for
a tenth of the members, then, in one run, times:
- ``SELECT count(*)`` over the activity stream ``loyalty_insights_activity`` (every purchase,
  redemption and share the seed made; the denominator of the target) and over the ledger's entries;
- the snapshots the dashboard reads (the nightly task's work, timed apart);
- the whole dashboard: ``dashboard.insights()`` for the last 90 days (summary, activity retention,
  NPS by month, cohorts, personas and their flows, engagement versus loyalty, comments) and the
  home screen's ``kpis()``.
It prints each time and the ratio to the activity count (the target in DESIGN.md is at most 3x),
and what each part of the page costs.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = "loyalty_bench_insights"


def setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings")
    os.environ["TASK_BACKEND"] = "database"
    import django

    django.setup()


def prepare(members: int, months: int) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", f"CREATE DATABASE {DB}"], check=True)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("loyalty_seed", members=members, months=months, seed=11, verbosity=0)
    with connection.cursor() as cursor:
        # One NPS answer for every tenth member, spread over the last 90 days (a bulk statement).
        cursor.execute(
            """
            INSERT INTO loyalty_insights_surveyresponse
                (member_id, kind, score, comment, touchpoint, occurred_at, recorded_at, source, answers)
            SELECT id, 'nps', (id * 7) % 11, '', 'bench', now() - ((id % 90) || ' days')::interval, now(),
                   'bench', '[]'::jsonb
            FROM loyalty_members_member WHERE id % 10 = 0
            """
        )
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps a live database in


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure() -> None:
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from loyalty.insights import dashboard, metrics, snapshots
    from loyalty.insights.snapshots import roll_up_likes, take_snapshot
    from loyalty.members.models import Member

    def count(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            return cursor.fetchone()[0]

    today = timezone.localdate()
    first = today - timedelta(days=89)
    members = Member.objects.count()
    activities, entries = count("loyalty_insights_activity"), count("loyalty_ledger_entry")
    count_activity = min(timed(lambda: count("loyalty_insights_activity")) for _ in range(3))
    count_entries = min(timed(lambda: count("loyalty_ledger_entry")) for _ in range(3))
    yesterday = today - timedelta(days=1)
    # what the nightly job leaves: the day before the period, the last month end, yesterday
    days = sorted({first - timedelta(days=1), snapshots.month_end_before(yesterday), yesterday})
    snapshot_seconds = timed(lambda: [take_snapshot(day) for day in days])
    likes_seconds = timed(lambda: roll_up_likes(since=today - timedelta(days=400)))
    print(f"{members:,} members, {activities:,} activities, {entries:,} ledger entries")
    print(f"snapshots of {len(days)} days (the nightly task, not the page): {snapshot_seconds:.1f} s")
    print(f"Likes per day for 400 days (the nightly task, not the page): {likes_seconds:.1f} s")
    print(f"SELECT count(*) over loyalty_insights_activity: {count_activity:.3f} s")
    print(f"SELECT count(*) over loyalty_ledger_entry: {count_entries:.3f} s")

    dashboard.insights(first, today)  # warm the process (imports and caches)
    taken = snapshots.days_taken(*days)
    state = dashboard.state_day(today, taken)
    parts = {
        "summary": lambda: metrics.summary(first, today),
        "activity retention": lambda: dashboard.activity_retention_of(first, state, taken),
        "NPS by month": lambda: dashboard.nps_by_month(today),
        "cohorts": lambda: metrics.cohort_retention(metrics.add_months(today.replace(day=1), -11), today),
        "persona sizes": lambda: dashboard.persona_sizes(snapshot_day=state),
        "persona flows": lambda: dashboard.persona_flow_table(state, taken=taken),
        "engagement and loyalty": lambda: dashboard.level_table(first, today, taken),
        "retention curves": lambda: dashboard.survival_table(first),
    }
    for name, function in parts.items():
        print(f"  {name}: {timed(function):.3f} s")
    for name, function in {
        "whole dashboard (90 days)": lambda: dashboard.insights(first, today),
        "home-screen KPIs": dashboard.kpis,
    }.items():
        seconds = timed(function)
        print(f"{name}: {seconds:.2f} s = {seconds / count_activity:.1f}x the activity count (target: 3x)")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="Measure the database seeded by an earlier run.")
    args = parser.parse_args()
    if not args.reuse:
        print(f"seeding {args.members:,} members with {args.months} months of history...", flush=True)
        subprocess.run(
            [sys.executable, __file__, "--phase-prepare", str(args.members), str(args.months)], check=True
        )
    measure()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--phase-prepare":
        prepare(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
