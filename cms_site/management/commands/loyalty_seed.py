"""manage.py loyalty_seed: generate realistic synthetic members and history, deterministically, in bulk."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fixtures import synthetic


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Generate N synthetic members with M months of purchases, redemptions, shares and "
        "expiries. The same --seed (and --until) gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=_positive, default=1000)
        parser.add_argument("--months", type=_positive, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--until", help="last day of the history, YYYY-MM-DD (default: today)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, members, months, seed: int, until=None, no_progress=False, **options):
        end = None
        if until:
            try:
                day = datetime.strptime(until, "%Y-%m-%d").date()
            except ValueError as exc:
                raise CommandError(f"--until must be a date like 2026-11-30, not {until!r}") from exc
            end = timezone.make_aware(datetime.combine(day, time(23, 59)))
        try:
            report = synthetic.seed(
                members=members, months=months, seed=seed, until=end, progress=not no_progress
            )
        except synthetic.SeedAlreadyLoaded as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {report.members} members: {report.journals} journals, {report.entries} "
                f"entries, {report.lots} lots in {report.seconds:.1f}s."
            )
        )
