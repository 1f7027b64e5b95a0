"""Recompute every balance and lot from entries and check every journal sums to zero.

Each check is one SQL aggregate, so the audit scales with the database, not with Python loops.
"""

from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Account, Entry, Journal, Lot


@dataclass(frozen=True)
class AuditProblem:
    what: str
    subject: str
    expected: int | None = None
    found: int | None = None

    def __str__(self):
        detail = f" (entries say {self.expected}, stored {self.found})" if self.expected is not None else ""
        return f"{self.what}: {self.subject}{detail}"


def _sum_of_entries(field: str):
    """Correlated sum of the entries whose ``field`` points at the outer row."""
    return Coalesce(
        Subquery(
            Entry.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        Value(0),
    )


def unbalanced_journals() -> list[AuditProblem]:
    rows = (
        Entry.objects.values("journal_id")
        .annotate(total=Sum("amount"), lines=Count("id"))
        .filter(~Q(total=0) | Q(lines__lt=2))
        .order_by("journal_id")
    )
    problems = [
        AuditProblem("journal does not sum to zero", f"journal #{row['journal_id']}", 0, row["total"])
        for row in rows
    ]
    empty = Journal.objects.filter(entries__isnull=True).values_list("pk", flat=True)
    problems += [AuditProblem("journal has no entries", f"journal #{pk}") for pk in empty]
    return problems


def wrong_balances() -> list[AuditProblem]:
    accounts = (
        Account.objects.filter(kind=Account.Kind.MEMBER)
        .annotate(from_entries=_sum_of_entries("account_id"))
        .filter(~Q(balance=F("from_entries")) | Q(balance__lt=0))
        .select_related("member")
        .order_by("pk")
    )
    return [
        AuditProblem(
            "member balance differs from its entries",
            f"account #{a.pk} (member {a.member.number})",
            a.from_entries,
            a.balance,
        )
        for a in accounts
    ]


def wrong_lots() -> list[AuditProblem]:
    lots = (
        Lot.objects.annotate(from_entries=_sum_of_entries("lot_id"))
        .filter(~Q(remaining=F("from_entries")))
        .order_by("pk")
    )
    return [
        AuditProblem(
            "lot remaining differs from its entries",
            f"lot #{lot.pk} (account #{lot.account_id})",
            lot.from_entries,
            lot.remaining,
        )
        for lot in lots
    ]


def misplaced_entries() -> list[AuditProblem]:
    """Member lines must name a lot of the same account; system lines never name a lot."""
    bad = Entry.objects.filter(
        (Q(account__kind=Account.Kind.MEMBER) & (Q(lot__isnull=True) | ~Q(lot__account=F("account"))))
        | (~Q(account__kind=Account.Kind.MEMBER) & Q(lot__isnull=False))
    ).values_list("pk", "account_id")
    return [
        AuditProblem("entry on the wrong lot", f"entry #{pk} (account #{account_id})")
        for pk, account_id in bad
    ]


def audit_ledger() -> list[AuditProblem]:
    return unbalanced_journals() + wrong_balances() + wrong_lots() + misplaced_entries()
