"""Benchmark (not a test): render and send a campaign with every block type to 10,000 and 100,000 members.

Usage: .venv/bin/python bench/emails.py [--sizes 10000,100000] [--batch 500]
Needs PostgreSQL on 127.0.0.1:5432 (BENCH_PG_URL overrides). For each size it builds a fresh
``loyalty_bench_emails`` database in one process (synthetic members with a month of history, one
categorised purchase each, tip pages, community posts, rewards), then delivers the campaign in a
second process, whose peak memory is therefore the delivery's own. Messages go to Django's
in-memory backend, which this script empties after every batch as a mail server would. Prints
messages per second, peak memory (max RSS), and database statements (not counting each message's
BEGIN/COMMIT) per member and per batch.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = "loyalty_bench_emails"
CATEGORIES = ["plants", "pots", "tools"]
CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}  # transaction control, one pair per message


def setup_django():
    os.environ["DATABASE_URL"] = f"{PG}/{DB}"
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms_site.settings")
    # Enqueued delivery tasks wait in the database queue; this script delivers in-process.
    os.environ["TASK_BACKEND"] = "database"
    import django

    django.setup()


def prepare(size: int) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", f"CREATE DATABASE {DB}"], check=True)
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from wagtail.models import Site

    from community.models import CommunityIndexPage
    from community.services import write_post
    from fixtures import synthetic
    from loyalty.emails.models import TipPage
    from loyalty.members.models import Member
    from loyalty.rewards.models import Reward
    from loyalty.rules.models import ProductCategory, Purchase, PurchaseItem

    synthetic.seed(members=size, months=1, seed=7, progress=False)
    now = timezone.now()
    Member.objects.filter(left_at__isnull=True).update(marketing_consent=True, marketing_consent_at=now)
    categories = [ProductCategory.objects.create(name=slug.title(), slug=slug) for slug in CATEGORIES]
    root = Site.objects.get(is_default_site=True).root_page
    for index, category in enumerate(categories * 2):
        page = TipPage(title=f"Tip {index} for {category.name}", slug=f"tip-{index}", summary="A useful tip.")
        root.add_child(instance=page)
        page.categories.add(category)
        page.save_revision().publish()
    community = CommunityIndexPage(title="Community", slug="community")
    root.add_child(instance=community)
    authors = list(Member.objects.filter(left_at__isnull=True)[:3])
    for index, category in enumerate(categories):
        write_post(author=authors[index], title=f"About {category.name}", body="Great!", topic=category)
    for cost in (100, 500, 2000):
        Reward.objects.create(title=f"Reward {cost}", cost=cost)
    ids = list(Member.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        purchases = Purchase.objects.bulk_create(
            Purchase(
                member_id=member_id,
                partner="bench",
                order_reference=f"bench-{member_id}",
                amount=Decimal("20.00"),
                currency="EUR",
                occurred_at=now - timedelta(days=member_id % 30 + 1),
            )
            for member_id in chunk
        )
        PurchaseItem.objects.bulk_create(
            PurchaseItem(
                purchase=purchase,
                sku="SKU",
                category=CATEGORIES[purchase.member_id % 3],
                quantity=1,
                unit_price=Decimal("20.00"),
            )
            for purchase in purchases
        )


def deliver(batch: int) -> dict:
    setup_django()
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from fixtures import campaigns
    from loyalty.emails import services
    from loyalty.emails.models import Campaign, EmailSettings, Send

    settings = EmailSettings.for_site(Site.objects.get(is_default_site=True))
    settings.weekly_cap = 100
    settings.save()
    campaign = Campaign.objects.create(
        name="Bench", subject="For you, {first_name}", body=json.dumps(campaigns.every_block())
    )
    started = time.perf_counter()
    queued = services.launch(campaign)
    queue_seconds = time.perf_counter() - started
    mail.outbox = []
    sent = 0
    statements = []
    started = time.perf_counter()
    while True:
        connection.queries_log.clear()  # the log holds 9,000 queries; a full one shifts the capture
        with CaptureQueriesContext(connection) as captured:
            settled = services.deliver_batch(campaign.pk, limit=batch)
        if not settled:
            break
        statements.append((settled, sum(1 for q in captured.captured_queries if q["sql"] not in CONTROL)))
        sent += len(mail.outbox)
        mail.outbox = []
    seconds = time.perf_counter() - started
    full = [(n, q) for n, q in statements if n == batch]
    per_member = full[0][1] / batch if full else 0
    return {
        "queued": queued,
        "sent": sent,
        "skipped": Send.objects.filter(campaign=campaign, state="skipped").count(),
        "queue_seconds": round(queue_seconds, 2),
        "seconds": round(seconds, 2),
        "per_second": round(sent / seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "statements_per_full_batch": sorted({q for n, q in full}),
        "statements_per_member": round(per_member, 2),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--phase", choices=["prepare", "deliver"])
    parser.add_argument("--size", type=int)
    args = parser.parse_args()
    if args.phase == "prepare":
        prepare(args.size)
        return
    if args.phase == "deliver":
        print(json.dumps(deliver(args.batch)))
        return
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"preparing {size:,} members...", flush=True)
        subprocess.run([sys.executable, __file__, "--phase", "prepare", "--size", str(size)], check=True)
        out = subprocess.run(
            [sys.executable, __file__, "--phase", "deliver", "--batch", str(args.batch)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[size] = json.loads(out.strip().splitlines()[-1])
        result = results[size]
        print(
            f"{size:>7,} members: {result['sent']:,} sent, {result['skipped']:,} skipped, "
            f"{result['per_second']} messages/s, peak memory {result['peak_rss_mb']} MB, "
            f"{result['statements_per_member']} statements per member "
            f"(full batches of {args.batch}: {result['statements_per_full_batch']} statements), "
            f"queueing {result['queue_seconds']} s",
            flush=True,
        )
    sizes = sorted(results)
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        ratio = large["peak_rss_mb"] / small["peak_rss_mb"]
        print(f"peak memory ratio {sizes[-1]:,} / {sizes[0]:,}: {ratio:.2f}x (target: at most 1.2x)")


if __name__ == "__main__":
    main()
