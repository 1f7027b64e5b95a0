"""Benchmark (not a test): purchases per second through the real HTTP stack, beside pgbench and the service.

Usage: .venv/bin/python bench/api.py [--seconds 8] [--clients 1,8,32] [--workers N]
Needs PostgreSQL on 127.0.0.1:5432 (BENCH_PG_URL overrides), pgbench on PATH and gunicorn
(the `server` extra). It serves the site with gunicorn (N sync workers, default 2 x CPUs + 1) on
the loyalty_bench database, posts purchases from C client processes over keep-alive connections,
and prints purchases/s with p50/p95/p99 latency, then pgbench's TPC-B-like rate and
record_purchase() called directly at 8 processes, all in the same run.
"""

import argparse
import http.client
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ledger import BENCH_DB, PG, PGBENCH_DB, pgbench_rate, prepare, recreate_database  # noqa: E402

PORT = 8799


def program():
    from loyalty.api.scopes import SCOPES
    from loyalty.api.services import issue_key
    from loyalty.members.models import Member
    from loyalty.rules.models import EarningRule

    EarningRule.objects.create(name="10 per euro", trigger="purchase", likes_per_unit=10)
    numbers = list(Member.objects.filter(left_at__isnull=True).values_list("number", flat=True))
    return issue_key(partner_name="Bench shop", scopes=list(SCOPES))[1], numbers


def client(key, numbers, seconds, seed, results):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
    latencies, errors, i = [], 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = {
            "member": numbers[(seed * 7919 + i) % len(numbers)],
            "order_reference": f"b-{seed}-{uuid.uuid4().hex[:12]}",
            "amount": "12.50",
            "currency": "EUR",
            "items": [{"sku": "S1", "category": "plants", "quantity": 1, "unit_price": "12.50"}],
        }
        start = time.perf_counter()
        conn.request("POST", "/api/v1/purchases/", json.dumps(body), headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        errors += response.status != 201
        i += 1
    results.put((latencies, errors))


def http_rate(key, numbers, clients, seconds):
    results = mp.Queue()
    procs = [mp.Process(target=client, args=(key, numbers, seconds, n, results)) for n in range(clients)]
    for proc in procs:
        proc.start()
    collected = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    latencies = sorted(t for lat, _ in collected for t in lat)
    errors = sum(e for _, e in collected)
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49] * 1000, q[94] * 1000, q[98] * 1000, errors


def _service_worker(numbers, seconds, seed, counter):
    from bench.ledger import setup_django

    setup_django()
    from loyalty.members.models import Member
    from loyalty.rules.services import record_purchase

    members = list(Member.objects.filter(number__in=numbers[:200]).select_related("user"))
    done, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        record_purchase(
            member=members[(seed + done) % len(members)],
            partner="bench-direct",
            order_reference=uuid.uuid4().hex,
            amount="12.50",
            currency="EUR",
        )
        done += 1
    with counter.get_lock():
        counter.value += done


def service_rate(numbers, clients, seconds):
    from django.db import connections

    connections.close_all()
    counter = mp.Value("l", 0)
    procs = [mp.Process(target=_service_worker, args=(numbers, seconds, n, counter)) for n in range(clients)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    return counter.value / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()

    print("Preparing databases ...", flush=True)
    prepare()
    key, numbers = program()
    recreate_database(PGBENCH_DB)
    subprocess.run(["pgbench", "-i", "-q", "-s", "8", f"{PG}/{PGBENCH_DB}"], check=True, capture_output=True)
    from django.db import connections

    connections.close_all()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{BENCH_DB}",
        "TASK_BACKEND": "immediate",
        "LOYALTY_API_RATE": "10000000/min",
        "DJANGO_SETTINGS_MODULE": "cms_site.settings",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "cms_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        time.sleep(3)
        print(f"\ngunicorn: {args.workers} sync workers on {os.cpu_count()} CPUs")
        columns = ("purchases/s", "p50 ms", "p95 ms", "p99 ms", "p99/p50", "errors")
        print(f"{'clients':>7} " + " ".join(f"{c:>{max(len(c), 8)}}" for c in columns))
        rates = {}
        for n in [int(c) for c in args.clients.split(",")]:
            rate, p50, p95, p99, errors = http_rate(key, numbers, n, args.seconds)
            rates[n] = rate
            print(
                f"{n:>7} {rate:>12.0f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {p99 / p50:>8.1f} {errors:>7}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()
    base = pgbench_rate(8, args.seconds)
    direct = service_rate(numbers, 8, args.seconds)
    best = max(rates.values())
    print(f"\npgbench TPC-B-like at 8 clients: {base:.0f} tps")
    print(f"record_purchase() directly, 8 processes: {direct:.0f}/s ({direct / base:.2f}x pgbench)")
    print(f"best HTTP rate: {best:.0f}/s = {best / base:.2f}x pgbench (target >= 0.25x)")


if __name__ == "__main__":
    mp.set_start_method("fork")
    main()
