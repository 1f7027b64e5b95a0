"""Reads of the ledger: balances, pending and expiring Likes, and a member's history in plain words."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import ledger_settings
from .models import Account, Entry, Journal, Lot

EXPIRING_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ExpiringLikes:
    amount: int
    expires_at: datetime


@dataclass(frozen=True)
class PendingLikes:
    amount: int
    available_at: datetime


@dataclass(frozen=True)
class BalanceSummary:
    """What a member sees: total balance, what they can spend now, and what is pending."""

    balance: int
    spendable: int
    pending: int
    debt: int = 0
    expiring: list[ExpiringLikes] = field(default_factory=list)
    pending_lots: list[PendingLikes] = field(default_factory=list)

    @property
    def expiring_total(self) -> int:
        return sum(item.amount for item in self.expiring)


def member_account(member) -> Account | None:
    return Account.objects.filter(member=member).first()


def balance_summary(
    member, *, now: datetime | None = None, expiring_days: int = EXPIRING_WINDOW_DAYS
) -> BalanceSummary:
    """Two queries whatever the account's history: the cached balance and its open lots.

    Open lots (remaining > 0) are read through a partial index, so a member with 100,000
    entries costs the same as one with ten.
    """
    now = now or timezone.now()
    account = member_account(member)
    if account is None:
        return BalanceSummary(balance=0, spendable=0, pending=0)
    lots = list(
        Lot.objects.filter(account=account, remaining__gt=0, expires_at__gt=now)
        .order_by("expires_at", "pk")
        .values_list("remaining", "available_at", "expires_at")
    )
    horizon = now + timedelta(days=expiring_days)
    expiring: dict[datetime, int] = {}
    pending_lots: dict[datetime, int] = {}
    spendable = pending = 0
    for remaining, available_at, expires_at in lots:
        if available_at > now:
            pending += remaining
            pending_lots[available_at] = pending_lots.get(available_at, 0) + remaining
        else:
            spendable += remaining
        if expires_at <= horizon:
            expiring[expires_at] = expiring.get(expires_at, 0) + remaining
    return BalanceSummary(
        balance=account.balance,
        spendable=spendable,
        pending=pending,
        debt=account.debt,
        expiring=[ExpiringLikes(amount, at) for at, amount in sorted(expiring.items())],
        pending_lots=[PendingLikes(amount, at) for at, amount in sorted(pending_lots.items())],
    )


def member_history(
    member,
    *,
    kinds: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Journal]:
    """Journals that touched the member, newest first, each annotated with the member's net amount.

    A debit spread over several lots is one line with its total, as the member thinks of it.
    """
    journals = Journal.objects.filter(entries__account__member=member)
    if kinds:
        journals = journals.filter(kind__in=kinds)
    if since:
        journals = journals.filter(posted_at__gte=since)
    if until:
        journals = journals.filter(posted_at__lt=until)
    return (
        journals.annotate(amount=Sum("entries__amount"))
        .select_related("reverses", "created_by")
        .order_by("-posted_at", "-pk")
    )


def describe(journal: Journal, amount: int) -> str:
    """One line in plain words for a member's history ("Purchase at Shop X", "Shared with Anna")."""
    meta = journal.metadata or {}
    kind = journal.kind
    if kind == Journal.Kind.EARN:
        if meta.get("partner"):
            return _("Purchase at %(partner)s") % {"partner": meta["partner"]}
        return journal.description or _("Likes earned")
    if kind == Journal.Kind.REDEEM:
        return journal.description or _("Likes redeemed")
    if kind == Journal.Kind.TRANSFER:
        note = meta.get("message") or ""
        if meta.get("returned"):
            return _("Returned: %(name)s did not claim the Likes you shared") % {
                "name": meta.get("receiver_name", "")
            }
        if amount < 0:
            text = _("Shared with %(name)s") % {"name": meta.get("receiver_name", "")}
        else:
            text = _("Received %(amount)s %(currency)s from %(name)s") % {
                "amount": amount,
                "currency": ledger_settings().currency_label(amount),
                "name": meta.get("sender_name", ""),
            }
        return f"{text}: \u2018{note}\u2019" if note else text
    if kind == Journal.Kind.ADJUST:
        return _("Correction: %(reason)s") % {"reason": journal.reason}
    if kind == Journal.Kind.REVERSAL:
        original = journal.reverses
        what = describe(original, -amount) if original else ""
        return _("Reversed: %(what)s") % {"what": what}
    if kind == Journal.Kind.EXPIRY:
        return _("Expired")
    if kind == Journal.Kind.REFUND:
        return journal.description or _("Refund")
    return journal.get_kind_display()


def history_lines(journals) -> list[dict]:
    """Rows for a history table: each journal from ``member_history`` with its plain-words line."""
    return [
        {"journal": journal, "amount": journal.amount, "text": describe(journal, journal.amount)}
        for journal in journals
    ]


def system_balances() -> dict[str, int]:
    """Balances of the system accounts, derived from entries (they have no cached balance)."""
    rows = (
        Entry.objects.filter(~Q(account__kind=Account.Kind.MEMBER))
        .values("account__kind")
        .annotate(total=Sum("amount"))
    )
    balances = {kind: 0 for kind in Account.Kind.values if kind != Account.Kind.MEMBER}
    balances.update({row["account__kind"]: row["total"] for row in rows})
    return balances
