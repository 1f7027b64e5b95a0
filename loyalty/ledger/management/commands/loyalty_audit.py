"""manage.py loyalty_audit: prove the cached balances and lots equal what the entries say."""

from django.core.management.base import BaseCommand, CommandError

from loyalty.ledger.audit import audit_ledger
from loyalty.ledger.selectors import system_balances


class Command(BaseCommand):
    help = (
        "Recompute every member balance and lot from the ledger entries, check that every journal "
        "sums to zero, and exit non-zero naming the accounts when anything differs."
    )

    def handle(self, *args, **options):
        problems = audit_ledger()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"ledger audit found {len(problems)} problem(s)")
        totals = ", ".join(f"{kind} {amount}" for kind, amount in system_balances().items())
        self.stdout.write(self.style.SUCCESS(f"Ledger audit clean. System accounts: {totals}."))
