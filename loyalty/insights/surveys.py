"""Survey invitations and answers: who is asked when, the signed answer link, one answer per invitation.

A member is invited at a touchpoint (after a purchase, a support contact a partner reports, or
every N months) by every active survey for it, unless they were invited to any survey within the
minimum gap: nobody is over-asked. The answer link is signed, needs no login, and takes one
answer; it stays open for the settings' number of days.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.ledger.conf import default_site_setting
from loyalty.ledger.exceptions import LedgerError
from loyalty.members.models import Member

from .models import Survey, SurveyInvitation, SurveySettings
from .services import record_survey_response

LINK_SALT = "loyalty.insights.survey"


class SurveyClosed(LedgerError):
    code = "survey_closed"


def survey_settings() -> SurveySettings:
    return default_site_setting(SurveySettings)


def shop_name() -> str:
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or _("our shop")


def _recently_invited(member: Member, now: datetime) -> bool:
    since = now - timedelta(days=survey_settings().min_gap_days)
    return SurveyInvitation.objects.filter(member=member, created_at__gt=since).exists()


def invite(*, member: Member, touchpoint: str, reference: str, now: datetime | None = None) -> list:
    """Invite ``member`` to the active surveys for ``touchpoint``; nothing within the minimum gap."""
    now = now or timezone.now()
    if not member.is_active:
        return []
    # Every purchase comes here: with no survey for the touchpoint, this is the only query.
    surveys = list(Survey.objects.filter(is_active=True, touchpoint=touchpoint).order_by("pk"))
    if not surveys or _recently_invited(member, now):
        return []
    invitations = []
    for survey in surveys:
        try:
            with transaction.atomic():
                invitation = SurveyInvitation.objects.create(
                    survey=survey, member=member, touchpoint=touchpoint, reference=reference, created_at=now
                )
        except IntegrityError:
            continue  # invited for this occasion before
        invitations.append(invitation)
        _email_later(invitation)
    return invitations


PERIODIC_BATCH = 1000


def invite_periodic(*, now: datetime | None = None) -> int:
    """Invite members to every-N-months surveys when their last invitation to it is N months old.

    Set-based: each survey's due members are selected in one query and invited in batches of
    ``PERIODIC_BATCH`` (one insert each); their emails go out as one task per batch.
    """
    now = now or timezone.now()
    gap_since = now - timedelta(days=survey_settings().min_gap_days)
    reference = f"periodic:{now:%Y-%m}"
    count = 0
    for survey in Survey.objects.filter(is_active=True, touchpoint=Survey.Touchpoint.PERIODIC).order_by("pk"):
        since = now - timedelta(days=30 * survey.every_months)
        due = (
            Member.objects.active()
            .filter(joined_at__lte=since)
            .exclude(Exists(SurveyInvitation.objects.filter(member=OuterRef("pk"), created_at__gt=gap_since)))
            .exclude(
                Exists(
                    SurveyInvitation.objects.filter(
                        member=OuterRef("pk"), survey=survey, created_at__gt=since
                    )
                )
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        due = list(due)
        for batch in (due[start : start + PERIODIC_BATCH] for start in range(0, len(due), PERIODIC_BATCH)):
            with transaction.atomic():
                SurveyInvitation.objects.bulk_create(
                    [
                        SurveyInvitation(
                            survey=survey,
                            member_id=member,
                            touchpoint=Survey.Touchpoint.PERIODIC,
                            reference=reference,
                            created_at=now,
                        )
                        for member in batch
                    ],
                    ignore_conflicts=True,  # invited for this occasion before
                )
                invited = list(
                    SurveyInvitation.objects.filter(
                        survey=survey, reference=reference, member_id__in=batch, created_at=now
                    ).values_list("pk", flat=True)
                )
                _email_batch_later(invited)
            count += len(invited)
    return count


def _email_batch_later(invitation_ids: list[int]) -> None:
    from .tasks import send_survey_invitations

    if invitation_ids:
        transaction.on_commit(lambda: send_survey_invitations.enqueue(invitation_ids))


def _email_later(invitation: SurveyInvitation) -> None:
    from .tasks import send_survey_invitation

    transaction.on_commit(lambda: send_survey_invitation.enqueue(invitation.pk))


def link_token(invitation: SurveyInvitation) -> str:
    return signing.dumps(invitation.pk, salt=LINK_SALT)


def invitation_from_token(token: str) -> SurveyInvitation:
    """The invitation a signed link stands for; ``SurveyClosed`` when the link is not genuine."""
    try:
        pk = signing.loads(token, salt=LINK_SALT)
        return SurveyInvitation.objects.select_related("survey", "member__user").get(pk=pk)
    except (signing.BadSignature, SurveyInvitation.DoesNotExist, TypeError, ValueError):
        raise SurveyClosed(_("This survey link is not valid.")) from None


def open_invitations(member: Member, *, now: datetime | None = None):
    now = now or timezone.now()
    since = now - timedelta(days=survey_settings().open_days)
    return SurveyInvitation.objects.filter(
        member=member, answered_at__isnull=True, created_at__gt=since
    ).select_related("survey")


def answer(*, invitation: SurveyInvitation, score: int, follow_ups: list[tuple[str, str]], now=None):
    """Record the member's answer to an invitation, once. The first follow-up is the "why"."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None:
            raise SurveyClosed(_("You already answered this survey. Thank you!"))
        if locked.created_at < now - timedelta(days=survey_settings().open_days):
            raise SurveyClosed(_("This survey has closed."))
        response = record_survey_response(
            member=invitation.member,
            kind=invitation.survey.kind,
            score=score,
            comment=follow_ups[0][1] if follow_ups else "",
            touchpoint=invitation.reference,
            source="website",
            invitation=locked,
            answers=[{"question": question, "answer": text} for question, text in follow_ups],
        )
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
    return response
