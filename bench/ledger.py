"""Benchmark (not a test): ledger postings through the services versus pgbench, and balance reads.

Usage: .venv/bin/python bench/ledger.py [--seconds 8] [--clients 1,4,8]
Needs the PostgreSQL on 127.0.0.1:5432 (BENCH_PG_URL overrides) and pgbench on PATH. It creates
the databases loyalty_bench and loyalty_pgbench and prints each figure and the ratio ours/pgbench.
"""

import argparse
import multiprocessing as mp
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_DB, PGBENCH_DB = "loyalty_bench", "loyalty_pgbench"
MEMBERS = 400


def setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings")
    os.environ.setdefault("TASK_BACKEND", "immediate")
    import django

    django.setup()


def psql(sql, db="postgres"):
    subprocess.run(["psql", f"{PG}/{db}", "-qAtc", sql], check=True, capture_output=True)


def recreate_database(name):
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")


def prepare():
    recreate_database(BENCH_DB)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fixtures import synthetic

    synthetic.seed(members=MEMBERS, months=1, seed=1, progress=False)
    from loyalty.ledger import services
    from loyalty.members.models import Member

    for member in Member.objects.filter(left_at__isnull=True):
        services.earn(member=member, amount=1_000_000)


def _worker(kind, seconds, seed, counter):
    setup_django()
    from loyalty.ledger import services
    from loyalty.members.models import Member

    members = list(Member.objects.filter(left_at__isnull=True).select_related("user"))
    rng = random.Random(seed)
    done = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if kind == "earn":
            services.earn(member=rng.choice(members), amount=rng.randint(1, 100))
        else:
            sender, receiver = rng.sample(members, 2)
            services.transfer(sender=sender, receiver=receiver, amount=rng.randint(1, 20))
        done += 1
    with counter.get_lock():
        counter.value += done


def our_rate(kind, clients, seconds):
    from django.db import connections

    connections.close_all()  # never share a parent's connection with forked workers
    counter = mp.Value("l", 0)
    procs = [mp.Process(target=_worker, args=(kind, seconds, i, counter)) for i in range(clients)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return counter.value / seconds


def pgbench_rate(clients, seconds):
    out = subprocess.run(
        [
            "pgbench",
            "-n",
            "-b",
            "tpcb-like",
            "-c",
            str(clients),
            "-j",
            str(clients),
            "-T",
            str(seconds),
            f"{PG}/{PGBENCH_DB}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def balance_read_latency():
    """Median time of balance_summary for a member with 10 entries and one with 100,000."""
    from datetime import timedelta

    from django.utils import timezone

    from loyalty.ledger.bulkload import next_id
    from loyalty.ledger.models import Account, Entry, Journal, Lot
    from loyalty.ledger.selectors import balance_summary
    from loyalty.ledger.services import earn, load_history, system_account_id
    from loyalty.members.services import enrol_member

    small = enrol_member(email="small@bench.test")
    for _ in range(5):
        earn(member=small, amount=3)
    big = enrol_member(email="big@bench.test")
    big_account = Account.objects.get(member=big)
    # 50,000 earns of 1 Like each spent again: 100,000 entries on one member account.
    issued, redeemed = system_account_id("issued"), system_account_id("redeemed")
    j, lot, e = next_id(Journal), next_id(Lot), next_id(Entry)
    now = timezone.now() - timedelta(days=30)
    journals, lots, entries = [], [], []
    for i in range(50_000):
        at = now + timedelta(seconds=i)
        journals += [(j, "earn", at, "", {}), (j + 1, "redeem", at, "", {})]
        lots.append((lot, big_account.pk, j, 1, 0, at, at + timedelta(days=365)))
        entries += [
            (e, j, issued, None, -1),
            (e + 1, j, big_account.pk, lot, 1),
            (e + 2, j + 1, big_account.pk, lot, -1),
            (e + 3, j + 1, redeemed, None, 1),
        ]
        j, lot, e = j + 2, lot + 1, e + 4
    Account.objects.filter(pk=big_account.pk).delete()  # load_history creates it with its balance
    load_history(accounts=[(big_account.pk, big.pk, 0)], journals=journals, lots=lots, entries=entries)
    earn(member=big, amount=3)

    def median_ms(member, runs=400):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            balance_summary(member)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    median_ms(small, 50)
    return (
        Entry.objects.filter(account__member=small).count(),
        median_ms(small),
        Entry.objects.filter(account__member=big).count(),
        median_ms(big),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", default="1,4,8")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]

    print("Preparing databases ...", flush=True)
    prepare()
    recreate_database(PGBENCH_DB)
    subprocess.run(["pgbench", "-i", "-q", "-s", "8", f"{PG}/{PGBENCH_DB}"], check=True, capture_output=True)

    print(f"\n{'clients':>7} {'pgbench tps':>12} {'earn/s':>9} {'ratio':>6} {'transfer/s':>11} {'ratio':>6}")
    for n in clients:
        base = pgbench_rate(n, args.seconds)
        earns = our_rate("earn", n, args.seconds)
        transfers = our_rate("transfer", n, args.seconds)
        print(
            f"{n:>7} {base:>12.0f} {earns:>9.0f} {earns / base:>6.2f} {transfers:>11.0f} "
            f"{transfers / base:>6.2f}",
            flush=True,
        )

    from django.db import connection

    connection.close()
    small_n, small_ms, big_n, big_ms = balance_read_latency()
    print(
        f"\nbalance read: {small_n} entries {small_ms:.2f} ms, {big_n} entries {big_ms:.2f} ms, "
        f"ratio {big_ms / small_ms:.2f} (target <= 1.1)"
    )


if __name__ == "__main__":
    mp.set_start_method("fork")
    main()
