"""Record survey answers (thanked with the survey rules' Likes, caps apply), support contacts partners
report, and engagement activity."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.ledger.exceptions import InactiveMember, LedgerError
from loyalty.rules.services import award_for_action

from .models import Activity, SupportContact, SurveyResponse


class InvalidSurveyResponse(LedgerError):
    code = "invalid_survey_response"


def record_survey_response(
    *,
    member,
    kind: str,
    score: int,
    comment: str = "",
    touchpoint: str = "",
    occurred_at: datetime | None = None,
    source: str = "",
    invitation=None,
    answers: list | None = None,
) -> SurveyResponse:
    if kind not in SurveyResponse.SCALES:
        raise InvalidSurveyResponse(_("The kind must be nps, ces or csat."))
    low, high = SurveyResponse.SCALES[kind]
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise InvalidSurveyResponse(
            _("A %(kind)s score is a whole number from %(low)s to %(high)s.")
            % {"kind": kind, "low": low, "high": high}
        )
    if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
        raise InvalidSurveyResponse(_("The answer time is in the future."))
    if not member.is_active:
        raise InactiveMember()
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            member=member,
            kind=kind,
            score=score,
            comment=comment.strip(),
            touchpoint=touchpoint.strip(),
            occurred_at=occurred_at or timezone.now(),
            source=source,
            invitation=invitation,
            answers=answers or [],
        )
        awards = award_for_action(member=member, action="survey", reference=f"survey-response:{response.pk}")
    response.likes_earned = sum(award.likes for award in awards)
    return response


def record_activity(
    *, member, kind: str, reference: str = "", occurred_at: datetime | None = None
) -> Activity:
    """Note that ``member`` did something engaging (``Activity.Kind``), for the engagement measures."""
    return Activity.objects.create(
        member=member, kind=kind, reference=reference[:100], occurred_at=occurred_at or timezone.now()
    )


def record_support_contact(
    *,
    member,
    partner: str,
    reference: str,
    channel: str,
    subject: str,
    resolved_first_time: bool | None = None,
    occurred_at: datetime | None = None,
) -> SupportContact:
    """Store a contact a partner reported, once per (partner, reference), and invite the member to the
    surveys for support contacts (after the transaction, within the minimum gap)."""
    if channel not in SupportContact.Channel.values:
        raise InvalidSurveyResponse(_("The channel must be phone, email, chat, store or other."))
    if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
        raise InvalidSurveyResponse(_("The contact time is in the future."))
    existing = SupportContact.objects.filter(partner=partner, reference=reference).first()
    if existing is not None:
        existing.replayed = True
        return existing
    contact = SupportContact.objects.create(
        member=member,
        partner=partner,
        reference=reference,
        channel=channel,
        subject=subject.strip(),
        resolved_first_time=resolved_first_time,
        occurred_at=occurred_at or timezone.now(),
    )
    contact.replayed = False
    transaction.on_commit(lambda: _invite_after_support(contact))
    return contact


def _invite_after_support(contact: SupportContact) -> None:
    from .surveys import invite

    invite(member=contact.member, touchpoint="support", reference=f"support:{contact.pk}")
