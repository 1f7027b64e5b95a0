"""Background work for surveys: the invitation email, and the daily every-N-months invitations."""

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from loyalty.members.mail import site_url


@task()
def send_survey_invitation(invitation_id: int) -> bool:
    """Email the answer link through the emails app (consent, the member's choice of "surveys" emails,
    one-click unsubscribe, the email log). Idempotent: each invitation is emailed at most once."""
    from loyalty.emails.models import EmailKind, Send
    from loyalty.emails.services import send_personal_email

    from .models import SurveyInvitation
    from .surveys import link_token, shop_name

    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "member__user")
            .filter(pk=invitation_id, emailed_at__isnull=True, answered_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        send = send_personal_email(
            invitation.member,
            kind=EmailKind.SURVEYS,
            template="loyalty/insights/email/invitation",
            context={
                "question": invitation.survey.question_text(shop_name()),
                "answer_url": site_url(reverse("loyalty:survey_answer", args=[link_token(invitation)])),
            },
            occasion=f"survey-invitation:{invitation.pk}",
        )
        if send.state != Send.State.SENT:
            return False  # the invitation still waits on the member's account page
        invitation.emailed_at = send.sent_at
        invitation.save(update_fields=["emailed_at"])
    return True


@task()
def send_survey_invitations(invitation_ids: list[int]) -> int:
    """Email a batch of invitations (the periodic ones); each at most once, as above."""
    return sum(send_survey_invitation.call(invitation_id) for invitation_id in invitation_ids)


@task()
def invite_periodic_surveys() -> int:
    from .surveys import invite_periodic

    return invite_periodic()


@task()
def take_daily_snapshot() -> int:
    """Yesterday's persona and engagement of every current member, and the Likes per day up to
    yesterday, for the dashboard; old daily snapshots are pruned (month ends are kept)."""
    from .snapshots import prune_snapshots, roll_up_likes, take_snapshot

    roll_up_likes()
    taken = take_snapshot()
    prune_snapshots()
    return taken
