"""Background work for rewards: emailing a voucher once it is issued."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from loyalty.members.mail import send_member_email


@task()
def send_voucher_email(redemption_id: int) -> bool:
    """Email the voucher code; idempotent (a second run finds ``emailed_at`` set and sends nothing)."""
    from .models import Redemption

    with transaction.atomic():
        redemption = (
            Redemption.objects.select_for_update(of=("self",))
            .select_related("reward", "member__user")
            .filter(pk=redemption_id, emailed_at__isnull=True)
            .first()
        )
        if redemption is None:
            return False
        send_member_email(
            redemption.member, template="loyalty/rewards/email/voucher", context={"redemption": redemption}
        )
        redemption.emailed_at = timezone.now()
        redemption.save(update_fields=["emailed_at"])
    return True
