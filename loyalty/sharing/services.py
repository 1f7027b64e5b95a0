"""Share Likes with another member: the website, the partner API and community tips all come here.

``share_likes`` checks the editor's sharing policy, then books a ledger transfer. A share to
an email address that is not (or cannot now be) a member's is booked into the ``held`` account
and waits: the friend gets an invitation and the Likes when they join, otherwise they go back
after the policy's invitation period. The sender sees the same result either way, so the form
never reveals whether an address belongs to a member.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from loyalty.core.dates import days_after, start_of_local_day
from loyalty.ledger import services as ledger
from loyalty.ledger.conf import default_site_setting
from loyalty.ledger.exceptions import InvalidAmount, SelfTransfer
from loyalty.members.models import Member
from loyalty.members.services import lock_members

from .exceptions import (
    AmountOutsideLimits,
    DailyReceiveLimitReached,
    DailySendLimitReached,
    InactiveReceiver,
    SharingDisabled,
    TipsDisabled,
)
from .models import Share, SharingPolicy
from .tasks import send_gift_invitation, send_share_notification


def sharing_policy() -> SharingPolicy:
    return default_site_setting(SharingPolicy)


def shared_today(sender: Member, *, now: datetime | None = None) -> int:
    since = start_of_local_day(now or timezone.now())
    return Share.objects.filter(sender=sender, created_at__gte=since).aggregate(t=Sum("amount"))["t"] or 0


def received_today(receiver: Member, *, now: datetime | None = None) -> int:
    since = start_of_local_day(now or timezone.now())
    shares = Share.objects.filter(receiver=receiver, created_at__gte=since, status=Share.Status.DELIVERED)
    return shares.aggregate(t=Sum("amount"))["t"] or 0


def left_to_share_today(sender: Member, policy: SharingPolicy | None = None) -> int:
    policy = policy or sharing_policy()
    return max(policy.daily_send_limit - shared_today(sender), 0)


def share_likes(
    *,
    sender: Member,
    amount: int,
    receiver: Member | None = None,
    receiver_email: str = "",
    message: str = "",
    context: str = "",
    client_token: str = "",
) -> Share:
    """Share ``amount`` Likes from ``sender`` with ``receiver`` (a member) or ``receiver_email``.

    Refusals raise a ``SharingError`` (or the ledger's ``InsufficientLikes``/``SelfTransfer``)
    whose message says why. The same non-empty ``client_token`` shares once: a double-click or
    a resubmitted form returns the first share (``replayed`` is True).
    """
    if client_token:
        earlier = Share.objects.filter(sender=sender, client_token=client_token).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    policy = sharing_policy()
    if not policy.enabled:
        raise SharingDisabled()
    if context.startswith("post:") and not policy.allow_tips:
        raise TipsDisabled()
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount()
    if not policy.min_per_share <= amount <= policy.max_per_share:
        raise AmountOutsideLimits(minimum=policy.min_per_share, maximum=policy.max_per_share)
    receiver_email = receiver_email.strip().lower()
    if receiver is None and receiver_email:
        receiver = Member.objects.select_related("user").filter(user__email__iexact=receiver_email).first()
        by_email = True
    else:
        by_email = False
    if receiver is not None and receiver.pk == sender.pk:
        raise SelfTransfer()
    if receiver is not None and not by_email and policy.receiver_must_be_active and not receiver.is_active:
        raise InactiveReceiver()
    try:
        with transaction.atomic():
            share = _book_share(
                policy,
                sender,
                receiver,
                receiver_email,
                by_email,
                amount,
                message.strip(),
                context,
                client_token,
            )
    except IntegrityError:
        earlier = (
            Share.objects.filter(sender=sender, client_token=client_token).first() if client_token else None
        )
        if earlier is None:
            raise
        earlier.replayed = True
        return earlier
    return share


def _book_share(
    policy, sender, receiver, receiver_email, by_email, amount, message, context, client_token
) -> Share:
    lock_members([sender, *([receiver] if receiver else [])])
    if client_token:
        earlier = Share.objects.filter(sender=sender, client_token=client_token).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    left = policy.daily_send_limit - shared_today(sender)
    if amount > left:
        raise DailySendLimitReached(limit=policy.daily_send_limit, left=max(left, 0))
    deliverable = receiver is not None
    if deliverable:
        room = policy.daily_receive_limit - received_today(receiver)
        inactive = policy.receiver_must_be_active and not receiver.is_active
        if by_email and (amount > room or inactive):
            deliverable = False  # hold it like an unknown address: the form must not tell them apart
        elif amount > room:
            raise DailyReceiveLimitReached(left=max(room, 0))
    fields = {
        "sender": sender,
        "amount": amount,
        "message": message,
        "context": context,
        "client_token": client_token,
    }
    if deliverable:
        journal = ledger.transfer(
            sender=sender,
            receiver=receiver,
            amount=amount,
            message=message,
            expires_at=days_after(timezone.now(), policy.shared_valid_days),
            # Shared by address: the sender's history names the address, whoever is behind it.
            metadata={"context": context, **({"receiver_name": receiver_email} if by_email else {})},
            require_active_receiver=policy.receiver_must_be_active,
        )
        share = Share.objects.create(
            receiver=receiver,
            receiver_email=receiver_email,
            status=Share.Status.DELIVERED,
            journal=journal,
            **fields,
        )
        if receiver.notify_likes_received:
            transaction.on_commit(lambda: send_share_notification.enqueue(share.pk))
    else:
        journal = ledger.hold(
            sender=sender,
            amount=amount,
            metadata={"receiver_name": receiver_email, "message": message, "context": context},
        )
        share = Share.objects.create(
            receiver_email=receiver_email, status=Share.Status.WAITING, journal=journal, **fields
        )
        if receiver is None:  # a member who cannot receive now is not invited to join again
            transaction.on_commit(lambda: send_gift_invitation.enqueue(share.pk))
    share.replayed = False
    return share


def claim_waiting_shares(*, member: Member) -> list[Share]:
    """Deliver the Likes friends shared with this member's email address before they joined."""
    policy = sharing_policy()
    claimed = []
    with transaction.atomic():
        waiting = (
            Share.objects.select_for_update()
            .select_related("sender__user")
            .filter(status=Share.Status.WAITING, receiver_email__iexact=member.user.email)
        )
        for share in waiting.order_by("pk"):
            ledger.release_held(
                member=member,
                amount=share.amount,
                metadata={
                    "sender": share.sender.number,
                    "sender_name": share.sender.first_name,
                    "receiver": member.number,
                    "message": share.message,
                    "share": share.pk,
                },
                expires_at=days_after(timezone.now(), policy.shared_valid_days),
            )
            share.status, share.receiver, share.settled_at = Share.Status.DELIVERED, member, timezone.now()
            share.save(update_fields=["status", "receiver", "settled_at"])
            claimed.append(share)
    return claimed


def return_unclaimed_shares(*, now: datetime | None = None) -> int:
    """Give Likes nobody claimed within the invitation period back to their senders; safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=sharing_policy().invitation_days)
    returned = 0
    for share_id in Share.objects.filter(status=Share.Status.WAITING, created_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            share = (
                Share.objects.select_for_update()
                .select_related("sender")
                .filter(pk=share_id, status=Share.Status.WAITING)
                .first()
            )
            if share is None:
                continue
            ledger.release_held(
                member=share.sender,
                amount=share.amount,
                metadata={"returned": True, "receiver_name": share.receiver_email, "share": share.pk},
            )
            share.status, share.settled_at = Share.Status.RETURNED, now
            share.save(update_fields=["status", "settled_at"])
            returned += 1
    return returned


class _PreviewOnly(Exception):
    """Raised inside ``preview_share`` to roll the trial booking back."""


def preview_share(**kwargs) -> None:
    """Raise whatever refusal ``share_likes`` would raise right now, booking nothing.

    The confirmation step uses it so a member learns about a limit before confirming; it runs
    the real service in a transaction that is always rolled back (queued emails included).
    """
    try:
        with transaction.atomic():
            share_likes(**{**kwargs, "client_token": ""})
            raise _PreviewOnly
    except _PreviewOnly:
        pass
