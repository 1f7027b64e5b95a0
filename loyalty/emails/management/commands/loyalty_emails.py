"""manage.py loyalty_emails: the email scheduler's round (run it from cron every few minutes)."""

from django.core.management.base import BaseCommand

from loyalty.emails.services import run_due
from loyalty.emails.tasks import run_due_campaigns


class Command(BaseCommand):
    help = (
        "Queue scheduled and lifecycle campaigns whose moment has come, and start delivery wherever "
        "messages wait (including those a stopped worker left). Safe to run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Put the round on the task queue instead.")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            run_due_campaigns.enqueue()
            self.stdout.write("Email round queued.")
            return
        queued = run_due()
        self.stdout.write(f"{queued} messages queued; delivery started where messages wait.")
