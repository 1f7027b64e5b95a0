"""Background emails for shares: "you received Likes", and an invitation to a friend not yet a member."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from loyalty.members.mail import send_member_email, send_templated_email, site_url


def _claim(share_id: int, **filters):
    """Lock an un-notified share so two workers never send the same email twice."""
    from .models import Share

    return (
        Share.objects.select_for_update(of=("self",))
        .select_related("sender__user", "receiver__user")
        .filter(pk=share_id, notified_at__isnull=True, **filters)
        .first()
    )


def _mark_sent(share) -> None:
    share.notified_at = timezone.now()
    share.save(update_fields=["notified_at"])


@task()
def send_share_notification(share_id: int) -> bool:
    """Tell the receiver who shared Likes with them; only when they want such emails. Idempotent."""
    with transaction.atomic():
        share = _claim(share_id, receiver__notify_likes_received=True)
        if share is None:
            return False
        send_member_email(
            share.receiver,
            template="loyalty/sharing/email/received",
            context={"share": share, "account_url": site_url(reverse("loyalty:account"))},
        )
        _mark_sent(share)
    return True


@task()
def send_gift_invitation(share_id: int) -> bool:
    """Invite the friend behind an email address to join and claim the Likes waiting for them. Idempotent."""
    from loyalty.rules.services import invite_code_for

    from .models import Share
    from .services import sharing_policy

    with transaction.atomic():
        share = _claim(share_id, status=Share.Status.WAITING, receiver__isnull=True)
        if share is None:
            return False
        join = f"{reverse('loyalty:signup')}?invite={invite_code_for(share.sender)}"
        send_templated_email(
            to=share.receiver_email,
            locale=share.sender.locale,
            template="loyalty/sharing/email/invitation",
            context={
                "share": share,
                "join_url": site_url(join),
                "claim_days": sharing_policy().invitation_days,
            },
        )
        _mark_sent(share)
    return True


@task()
def return_unclaimed_shares() -> int:
    """Give Likes nobody claimed in time back to their senders. Idempotent."""
    from . import services

    return services.return_unclaimed_shares()
