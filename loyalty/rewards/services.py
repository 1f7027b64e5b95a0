"""Redeem a reward for a voucher, and let an editor cancel one (the Likes go back)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.ledger import services as ledger
from loyalty.ledger.exceptions import ReasonRequired

from .exceptions import AlreadyCancelled, OutOfStock, RewardUnavailable
from .models import Redemption, Reward, new_voucher_code
from .tasks import send_voucher_email

MAX_CODE_ATTEMPTS = 5


def redeem_reward(
    *, member, reward: Reward, idempotency_source: str = "", idempotency_key: str | None = None
):
    """Spend the reward's cost in Likes and issue a voucher, atomically.

    The stock is decremented with a conditional UPDATE in the same transaction as the ledger
    posting, so under any number of concurrent redemptions exactly ``stock`` vouchers are
    issued and nobody pays for a reward they did not get. A retry with the same key returns
    the original redemption (``replayed`` is True). The voucher is emailed after commit.
    """
    if idempotency_key:
        earlier = _redemption_for_key(idempotency_source, idempotency_key)
        if earlier is not None:
            earlier.replayed = True
            return earlier
    with transaction.atomic():
        if not Reward.objects.available(in_stock=False).filter(pk=reward.pk).exists():
            raise RewardUnavailable()
        journal = ledger.redeem(
            member=member,
            amount=reward.cost,
            description=_("Reward: %(title)s") % {"title": reward.title},
            metadata={"reward": reward.pk},
            idempotency_source=idempotency_source,
            idempotency_key=idempotency_key,
        )
        if getattr(journal, "replayed", False):
            earlier = Redemption.objects.get(journal=journal)
            earlier.replayed = True
            return earlier
        # Last, so the reward's row is locked only briefly; WHERE stock > 0 re-checks under the lock.
        limited = Reward.objects.filter(pk=reward.pk, stock__isnull=False)
        if limited.exists() and not limited.filter(stock__gt=0).update(stock=F("stock") - 1):
            raise OutOfStock()
        redemption = _issue_voucher(reward=reward, member=member, journal=journal)
        transaction.on_commit(lambda: send_voucher_email.enqueue(redemption.pk))
    redemption.replayed = False
    return redemption


def _redemption_for_key(source: str, key: str) -> Redemption | None:
    return (
        Redemption.objects.select_related("reward")
        .filter(journal__idempotency_source=source, journal__idempotency_key=key)
        .first()
    )


def _issue_voucher(*, reward, member, journal) -> Redemption:
    for attempt in range(MAX_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Redemption.objects.create(
                    reward=reward, member=member, cost=reward.cost, journal=journal, code=new_voucher_code()
                )
        except IntegrityError:
            if attempt == MAX_CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def cancel_redemption(*, redemption: Redemption, editor, reason: str) -> Redemption:
    """Cancel a voucher: its Likes go back to the member's original lots and the stock is restored."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Cancelling a voucher needs a reason."))
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().select_related("journal").get(pk=redemption.pk)
        if redemption.status == Redemption.Status.CANCELLED:
            raise AlreadyCancelled()
        ledger.reverse(journal=redemption.journal, reason=reason, editor=editor)
        Reward.objects.filter(pk=redemption.reward_id, stock__isnull=False).update(stock=F("stock") + 1)
        redemption.status = Redemption.Status.CANCELLED
        redemption.cancelled_at = timezone.now()
        redemption.cancelled_by = editor
        redemption.cancel_reason = reason
        redemption.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return redemption
