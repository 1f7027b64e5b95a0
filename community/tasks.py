"""Background email: a moderator's decision, explained to the member it concerns."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from loyalty.members.mail import send_member_email, site_url


@task()
def send_moderation_notice(decision_id: int) -> bool:
    """Tell the author what a moderator decided and why. Idempotent: each decision is told once."""
    from .models import ModerationDecision

    with transaction.atomic():
        decision = (
            ModerationDecision.objects.select_for_update(of=("self",))
            .select_related("member__user", "post", "comment__post")
            .filter(pk=decision_id, notified_at__isnull=True)
            .first()
        )
        if decision is None:
            return False
        post = decision.post or (decision.comment.post if decision.comment else None)
        link = post.get_url() if post is not None and post.is_published else None
        send_member_email(
            decision.member,
            template="community/email/moderation",
            context={
                "decision": decision,
                "post": post,
                "post_url": site_url(link) if link else "",
                "suspension_ends_at": _suspension_end(decision),
            },
        )
        decision.notified_at = timezone.now()
        decision.save(update_fields=["notified_at"])
    return True


def _suspension_end(decision):
    if decision.action != decision.Action.SUSPEND:
        return None
    suspension = decision.member.community_suspensions.filter(lifted_at__isnull=True).order_by("-pk").first()
    return suspension.ends_at if suspension else None
