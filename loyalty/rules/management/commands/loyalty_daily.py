"""manage.py loyalty_daily: the once-a-day jobs (expiry, birthdays, unclaimed shares, surveys), for cron."""

from django.core.management.base import BaseCommand

from loyalty.insights.tasks import invite_periodic_surveys, take_daily_snapshot
from loyalty.ledger.tasks import expire_due_lots
from loyalty.rules.tasks import award_todays_birthdays
from loyalty.sharing.tasks import return_unclaimed_shares

JOBS = [
    (expire_due_lots, "Expired {} Likes."),
    (award_todays_birthdays, "Gave birthday Likes to {} members."),
    (return_unclaimed_shares, "Returned {} unclaimed shares to their senders."),
    (invite_periodic_surveys, "Invited {} members to every-N-months surveys."),
    (take_daily_snapshot, "Took yesterday's insights snapshot of {} members."),
]


class Command(BaseCommand):
    help = (
        "Run the daily jobs: expire due Likes, give today's birthday Likes, return Likes shared by "
        "email that nobody claimed. Each job is idempotent, so running it twice a day is harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the jobs on the task queue instead of running them here.",
        )

    def handle(self, *args, enqueue=False, **options):
        for job, report in JOBS:
            if enqueue:
                self.stdout.write(f"Enqueued {job.name} ({job.enqueue().id}).")
            else:
                self.stdout.write(report.format(job.call()))
