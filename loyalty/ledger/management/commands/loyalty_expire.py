"""manage.py loyalty_expire: run (or enqueue) the expiry of due Likes; schedule it daily with cron."""

from django.core.management.base import BaseCommand

from loyalty.ledger.tasks import expire_due_lots


class Command(BaseCommand):
    help = "Expire what is left of every lot past its expiry date (safe to run twice at once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the job on the task queue instead of running it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = expire_due_lots.enqueue()
            self.stdout.write(f"Enqueued expiry task {result.id}.")
            return
        expired = expire_due_lots.call()
        self.stdout.write(f"Expired {expired} Likes.")
