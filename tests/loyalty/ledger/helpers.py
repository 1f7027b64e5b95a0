"""Helpers for ledger tests: read balances as the member sees them."""

from loyalty.ledger.audit import audit_ledger
from loyalty.ledger.models import Account


def balance_of(member) -> int:
    return Account.objects.get(member=member).balance


def assert_ledger_consistent():
    problems = audit_ledger()
    assert problems == [], [str(p) for p in problems]
