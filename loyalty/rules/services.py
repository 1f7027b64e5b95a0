"""Record purchases and refunds, and award Likes for purchases and actions through the rules in force.

Every award goes through ``_award``: it applies the rule's caps (per day, per month, per member),
books the Likes with ``loyalty.ledger.services.earn`` and records an ``Award`` row that later caps
count. A member's row is locked first, so two requests for the same member cannot both slip
under a cap. Community and insights call ``award_for_action``; partners reach
``record_purchase`` and ``refund_purchase`` through the API.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.core.dates import days_after, start_of_local_day, start_of_local_month
from loyalty.core.money import MAX_MONEY
from loyalty.ledger import services as ledger
from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.exceptions import IdempotencyConflict, InactiveMember
from loyalty.ledger.models import Lot
from loyalty.ledger.services import fingerprint
from loyalty.members.models import Member
from loyalty.members.services import lock_members

from .exceptions import InvalidPurchase, InvalidRefund, UnknownAction
from .models import Award, EarningRule, InviteCode, Purchase, PurchaseItem, Referral, Refund
from .signals import purchase_recorded

ACTIONS = {
    EarningRule.Trigger.SIGNUP,
    EarningRule.Trigger.POST,
    EarningRule.Trigger.COMMENT,
    EarningRule.Trigger.SURVEY,
    EarningRule.Trigger.BIRTHDAY,
}


@dataclass(frozen=True)
class PurchaseItemData:
    sku: str
    quantity: int
    unit_price: Decimal
    category: str = ""


# --------------------------------------------------------------------------- awarding


def _window_starts(at: datetime) -> dict[str, datetime]:
    return {"cap_per_day": start_of_local_day(at), "cap_per_month": start_of_local_month(at)}


def likes_left_under_caps(rule: EarningRule, member: Member, at: datetime) -> int | None:
    """How many more Likes ``rule`` may give ``member`` at ``at``; None when it has no caps."""
    awards = Award.objects.filter(rule=rule, member=member)
    left = None
    for cap_field, since in _window_starts(at).items():
        cap = getattr(rule, cap_field)
        if cap is not None:
            used = awards.filter(occurred_at__gte=since).aggregate(total=Sum("likes"))["total"] or 0
            left = cap - used if left is None else min(left, cap - used)
    if rule.cap_per_member is not None:
        used = awards.aggregate(total=Sum("likes"))["total"] or 0
        left = rule.cap_per_member - used if left is None else min(left, rule.cap_per_member - used)
    return None if left is None else max(left, 0)


def _award(
    rule: EarningRule,
    member: Member,
    likes: int,
    *,
    reference: str,
    occurred_at: datetime,
    description: str,
    purchase: Purchase | None = None,
    metadata: dict | None = None,
) -> Award | None:
    """Book up to ``likes`` for ``rule`` within its caps; the caller holds the member's lock."""
    existing = Award.objects.filter(rule=rule, member=member, reference=reference).first()
    if existing is not None:
        existing.replayed = True
        return existing
    left = likes_left_under_caps(rule, member, occurred_at)
    if left is not None:
        likes = min(likes, left)
    if likes <= 0:
        return None
    now = timezone.now()
    available_at = max(now, days_after(occurred_at, rule.pending_days))
    lifetime = rule.valid_days or ledger_settings().lot_lifetime_days
    journal = ledger.earn(
        member=member,
        amount=likes,
        description=description,
        available_at=available_at,
        expires_at=days_after(available_at, lifetime),
        metadata={**(metadata or {}), "rule": rule.pk},
    )
    award = Award.objects.create(
        rule=rule,
        member=member,
        reference=reference,
        likes=likes,
        occurred_at=occurred_at,
        purchase=purchase,
        journal=journal,
    )
    award.replayed = False
    return award


def _action_description(trigger: str) -> str:
    return {
        EarningRule.Trigger.SIGNUP: _("Welcome to the club"),
        EarningRule.Trigger.FIRST_PURCHASE: _("Your first purchase"),
        EarningRule.Trigger.POST: _("For your community post"),
        EarningRule.Trigger.COMMENT: _("For your comment"),
        EarningRule.Trigger.SURVEY: _("Thank you for your answers"),
        EarningRule.Trigger.REFERRAL: _("For bringing a friend"),
        EarningRule.Trigger.BIRTHDAY: _("Happy birthday!"),
    }.get(trigger, _("Likes earned"))


def _award_trigger(
    trigger: str, member: Member, *, reference: str, occurred_at: datetime, **extra
) -> list[Award]:
    awards = []
    for rule in EarningRule.objects.in_force(occurred_at).filter(trigger=trigger).order_by("pk"):
        award = _award(
            rule,
            member,
            rule.likes,
            reference=reference,
            occurred_at=occurred_at,
            description=_action_description(trigger),
            **extra,
        )
        if award is not None:
            awards.append(award)
    return awards


def award_for_action(
    *, member: Member, action: str, reference: str, occurred_at: datetime | None = None
) -> list[Award]:
    """Award the Likes that the action rules in force give for ``action`` (a post, a survey answer...).

    ``reference`` names the thing acted on ("post:12"): the same reference never earns twice.
    Caps apply; a capped action earns less or nothing. Returns the awards made (or made before).
    """
    if action not in ACTIONS:
        raise UnknownAction()
    if not member.is_active:
        return []
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic():
        lock_members([member])
        awards = _award_trigger(action, member, reference=reference, occurred_at=occurred_at)
        if awards:
            ledger.settle_debt(member=member, description=_("Paid towards an earlier refund"))
    return awards


# --------------------------------------------------------------------------- purchases

MAX_QUANTITY = 1_000_000


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidPurchase(
            _("%(field)s must be an amount of money, such as 12.50.") % {"field": field}
        ) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidPurchase(
            _("%(field)s must be zero or more, with at most two decimals.") % {"field": field}
        )
    if amount > MAX_MONEY:
        raise InvalidPurchase(_("%(field)s is more than %(max)s.") % {"field": field, "max": MAX_MONEY})
    return amount


def _checked_item(item: PurchaseItemData) -> PurchaseItemData:
    if isinstance(item.quantity, bool) or not isinstance(item.quantity, int) or item.quantity <= 0:
        raise InvalidPurchase(_("Every item needs a whole quantity of at least 1."))
    if item.quantity > MAX_QUANTITY:
        raise InvalidPurchase(_("An item's quantity can be at most %(max)d.") % {"max": MAX_QUANTITY})
    return PurchaseItemData(
        sku=str(item.sku).strip(),
        quantity=item.quantity,
        unit_price=_money(item.unit_price, _("An item's unit price")),
        category=str(item.category or "").strip(),
    )


def _amount_by_category(amount: Decimal, items: list[PurchaseItemData]) -> dict[str, Decimal]:
    """Spread the amount paid over the items' categories in proportion to their prices (discounts too)."""
    totals: dict[str, Decimal] = {}
    for item in items:
        if item.category:
            totals[item.category] = totals.get(item.category, Decimal(0)) + item.quantity * item.unit_price
    items_total = sum((item.quantity * item.unit_price for item in items), Decimal(0))
    if not items_total:
        return {}
    share = min(amount / items_total, Decimal(1))
    return {category: total * share for category, total in totals.items()}


def record_purchase(
    *,
    member: Member,
    partner: str,
    order_reference: str,
    amount,
    currency: str,
    occurred_at: datetime | None = None,
    items: Iterable[PurchaseItemData] = (),
) -> Purchase:
    """Store a purchase and award its Likes through the rules in force, in one transaction.

    The same (partner, order reference) books once: a retry with the same data returns the
    stored purchase (``replayed`` is True), a different one raises IdempotencyConflict. The
    member's first purchase also earns the first-purchase rules and, when they joined through
    an invite link, the referral rules for both friends. Any refund debt is paid off first.
    """
    amount = _money(amount, _("The amount"))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidPurchase(_("The currency must be a three-letter code such as EUR."))
    order_reference = (order_reference or "").strip()
    if not order_reference:
        raise InvalidPurchase(_("The order reference is missing."))
    items = [_checked_item(item) for item in items]
    if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
        raise InvalidPurchase(_("The purchase time is in the future."))
    digest = fingerprint(
        "purchase",
        {
            "member": member.pk,
            "amount": amount,
            "currency": currency,
            "occurred_at": occurred_at.isoformat() if occurred_at else None,
            "items": [(i.sku, i.category, i.quantity, str(i.unit_price)) for i in items],
        },
    )
    existing = Purchase.objects.filter(partner=partner, order_reference=order_reference).first()
    if existing is not None:
        return _replay_purchase(existing, digest)
    if not member.is_active:
        raise InactiveMember()
    occurred_at = occurred_at or timezone.now()
    try:
        with transaction.atomic():
            return _book_purchase(
                member, partner, order_reference, amount, currency, occurred_at, items, digest
            )
    except IntegrityError:
        existing = Purchase.objects.filter(partner=partner, order_reference=order_reference).first()
        if existing is None:
            raise
        return _replay_purchase(existing, digest)


def _replay_purchase(purchase: Purchase, digest: str) -> Purchase:
    if purchase.fingerprint != digest:
        raise IdempotencyConflict(_("This order reference was already recorded with different details."))
    purchase.replayed = True
    return purchase


def _book_purchase(
    member, partner, order_reference, amount, currency, occurred_at, items, digest
) -> Purchase:
    referral = Referral.objects.filter(referred=member, rewarded_at__isnull=True).first()
    lock_members([member] + ([referral.referrer] if referral else []))
    purchase = Purchase.objects.create(
        member=member,
        partner=partner,
        order_reference=order_reference,
        amount=amount,
        currency=currency,
        occurred_at=occurred_at,
        fingerprint=digest,
    )
    PurchaseItem.objects.bulk_create(
        PurchaseItem(
            purchase=purchase, sku=i.sku, category=i.category, quantity=i.quantity, unit_price=i.unit_price
        )
        for i in items
    )
    reference = f"purchase:{purchase.pk}"
    metadata = {"partner": partner, "order": order_reference, "purchase": purchase.pk}
    by_category = _amount_by_category(amount, items)
    rounding = ledger_settings().rounding
    awards = []
    rules = EarningRule.objects.in_force(occurred_at).filter(trigger=EarningRule.Trigger.PURCHASE)
    for rule in rules.prefetch_related("category_multipliers__category").order_by("pk"):
        likes = rule.likes_for_purchase(
            amount=amount, currency=currency, amount_by_category=by_category, rounding=rounding
        )
        award = _award(
            rule,
            member,
            likes,
            reference=reference,
            occurred_at=occurred_at,
            description="",
            purchase=purchase,
            metadata=metadata,
        )
        if award is not None:
            awards.append(award)
    is_first = not Purchase.objects.filter(member=member).exclude(pk=purchase.pk).exists()
    if is_first:
        awards += _award_trigger(
            EarningRule.Trigger.FIRST_PURCHASE,
            member,
            reference=reference,
            occurred_at=occurred_at,
            purchase=purchase,
        )
        if referral is not None:
            _reward_referral(referral, occurred_at)
    purchase.likes_earned = sum(award.likes for award in awards)
    purchase.save(update_fields=["likes_earned"])
    ledger.settle_debt(member=member, description=_("Paid towards an earlier refund"))
    purchase.replayed = False
    transaction.on_commit(lambda: purchase_recorded.send(sender=Purchase, purchase=purchase))
    return purchase


def _reward_referral(referral: Referral, occurred_at: datetime) -> None:
    reference = f"referral:{referral.pk}"
    for member in (referral.referred, referral.referrer):
        if member.is_active:
            _award_trigger(EarningRule.Trigger.REFERRAL, member, reference=reference, occurred_at=occurred_at)
    referral.rewarded_at = timezone.now()
    referral.save(update_fields=["rewarded_at"])


# --------------------------------------------------------------------------- refunds


def refund_purchase(*, purchase: Purchase, amount, reference: str = "") -> Refund:
    """Refund part or all of a purchase and take back the same share of the Likes it earned.

    The Likes come from the purchase's own lot first, then the member's oldest Likes. What the
    member has already spent becomes a debt (``Account.debt``) that their next earnings pay
    off: a refund at the till is never refused because of Likes, and a balance never goes
    below zero. The same non-empty ``reference`` refunds once.
    """
    amount = _money(amount, _("The refund amount"))
    if amount <= 0:
        raise InvalidRefund(_("The refund amount must be more than zero."))
    reference = (reference or "").strip()
    digest = fingerprint("refund", {"purchase": purchase.pk, "amount": amount})
    if reference:
        existing = Refund.objects.filter(purchase=purchase, reference=reference).first()
        if existing is not None:
            return _replay_refund(existing, digest)
    try:
        with transaction.atomic():
            return _book_refund(purchase, amount, reference, digest)
    except IntegrityError:
        existing = (
            Refund.objects.filter(purchase=purchase, reference=reference).first() if reference else None
        )
        if existing is None:
            raise
        return _replay_refund(existing, digest)


def _replay_refund(refund: Refund, digest: str) -> Refund:
    if refund.fingerprint != digest:
        raise IdempotencyConflict(_("This refund reference was already used with a different amount."))
    refund.replayed = True
    return refund


def _book_refund(purchase: Purchase, amount: Decimal, reference: str, digest: str) -> Refund:
    purchase = Purchase.objects.select_for_update().select_related("member").get(pk=purchase.pk)
    if amount > purchase.refundable_amount:
        raise InvalidRefund(
            _("The refund (%(amount)s) is more than what is left to refund (%(left)s).")
            % {"amount": amount, "left": purchase.refundable_amount}
        )
    refunded = purchase.refunded_amount + amount
    target = int((purchase.likes_earned * refunded / purchase.amount).quantize(Decimal(1), ROUND_HALF_UP))
    to_take = min(target, purchase.likes_earned) - purchase.likes_reversed
    refund = Refund(purchase=purchase, reference=reference, amount=amount, fingerprint=digest)
    if to_take > 0:
        own_lot = (
            Lot.objects.filter(journal__award__purchase=purchase, journal__award__member=purchase.member)
            .order_by("-amount")
            .values_list("pk", flat=True)
            .first()
        )
        taken = ledger.claw_back(
            member=purchase.member,
            amount=to_take,
            description=_("Refund at %(partner)s") % {"partner": purchase.partner},
            metadata={
                "partner": purchase.partner,
                "order": purchase.order_reference,
                "purchase": purchase.pk,
            },
            prefer_lot_id=own_lot,
        )
        refund.likes_reversed, refund.likes_owed = to_take, taken.owed
    refund.save()
    purchase.refunded_amount = refunded
    purchase.likes_reversed += refund.likes_reversed
    purchase.save(update_fields=["refunded_amount", "likes_reversed"])
    refund.replayed = False
    return refund


# --------------------------------------------------------------------------- referrals and birthdays


def invite_code_for(member: Member) -> str:
    """The member's invite code, made on first use."""
    invite, _created = InviteCode.objects.get_or_create(member=member)
    return invite.code


def record_referral(*, member: Member, code: str) -> Referral | None:
    """Remember who invited a new member; an unknown code or the member's own is ignored."""
    invite = InviteCode.objects.filter(code=(code or "").strip()).select_related("member").first()
    if invite is None or invite.member_id == member.pk or Referral.objects.filter(referred=member).exists():
        return None
    return Referral.objects.create(referrer=invite.member, referred=member)


def members_with_birthday(day: date):
    """Active members whose birthday is ``day`` (those born on 29 February celebrate on the 28th)."""
    members = Member.objects.active().filter(birth_date__month=day.month, birth_date__day=day.day)
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        members = Member.objects.active().filter(birth_date__month=2, birth_date__day__in=[28, 29])
    return members


def award_birthdays(*, day: date | None = None) -> int:
    """Give the birthday rules' Likes to everyone celebrating on ``day``; returns how many got them now.

    Safe to run twice: a member's birthday Likes for a year are given once.
    """
    day = day or timezone.localdate()
    count = 0
    for member in members_with_birthday(day).iterator():
        awards = award_for_action(
            member=member, action=EarningRule.Trigger.BIRTHDAY, reference=f"birthday:{day.year}"
        )
        count += any(not award.replayed for award in awards)
    return count
