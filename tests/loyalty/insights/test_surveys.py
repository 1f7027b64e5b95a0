"""Surveys: touchpoints invite, the minimum gap holds, a signed link takes one answer, tampering fails."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loyalty.emails.models import EmailOptOut, Send
from loyalty.insights.models import FollowUpQuestion, Survey, SurveyInvitation, SurveyResponse, SurveySettings
from loyalty.insights.surveys import SurveyClosed, answer, invite, invite_periodic, link_token
from loyalty.members.services import set_marketing_consent
from loyalty.rules.services import record_purchase
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def nps_after_purchase(db):
    survey = Survey.objects.create(
        name="NPS after a purchase", kind="nps", touchpoint="purchase", is_active=True
    )
    FollowUpQuestion.objects.create(
        survey=survey, sort_order=0, text="What is the main reason for your score?"
    )
    FollowUpQuestion.objects.create(survey=survey, sort_order=1, text="What could we do better?")
    return survey


def buy(member, reference="A1"):
    return record_purchase(
        member=member, partner="shop", order_reference=reference, amount="10.00", currency="EUR"
    )


def test_a_purchase_invites_the_member_and_emails_the_link_when_they_allow_emails(
    nps_after_purchase, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    set_marketing_consent(member=member, consent=True)

    with django_capture_on_commit_callbacks(execute=True):
        purchase = buy(member)

    invitation = SurveyInvitation.objects.get()
    assert (invitation.member, invitation.reference) == (member, f"purchase:{purchase.pk}")
    (email,) = mail.outbox
    assert (
        f"How likely are you to recommend {settings.WAGTAIL_SITE_NAME}" in email.body
        and "/surveys/" in email.body
    )
    # through the emails app: in the email log, with a one-click unsubscribe from survey invitations
    logged = Send.objects.get(member=member)
    assert (logged.campaign, logged.kind, logged.state) == (None, "surveys", "sent")
    assert logged.subject == email.subject and invitation.emailed_at == logged.sent_at
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_invitations_unsubscribe_link_stops_survey_emails_only(
    client, nps_after_purchase, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    set_marketing_consent(member=member, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        buy(member)
    (email,) = mail.outbox
    path = email.extra_headers["List-Unsubscribe"].strip("<>").split("://", 1)[1]
    path = path[path.index("/") :]

    assert client.post(path).status_code == 200  # one click, no login
    assert list(EmailOptOut.objects.filter(member=member).values_list("kind", flat=True)) == ["surveys"]
    assert Send.objects.get(member=member).unsubscribed_at is not None


def test_a_member_who_stopped_survey_emails_is_not_emailed_but_still_sees_the_prompt(
    client, nps_after_purchase, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    set_marketing_consent(member=member, consent=True)
    EmailOptOut.objects.create(member=member, kind="surveys")

    with django_capture_on_commit_callbacks(execute=True):
        buy(member)

    assert mail.outbox == []
    skipped = Send.objects.get(member=member)
    assert (skipped.state, skipped.reason) == ("skipped", "unsubscribed from 'surveys' emails")
    assert SurveyInvitation.objects.get().emailed_at is None
    client.force_login(member.user)
    assert 'data-testid="survey-prompt"' in client.get(reverse("loyalty:account")).content.decode()


def test_an_invitation_is_emailed_once_however_often_the_task_runs(
    nps_after_purchase, django_capture_on_commit_callbacks
):
    from loyalty.insights.tasks import send_survey_invitation

    member = MemberFactory()
    set_marketing_consent(member=member, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        buy(member)
    invitation = SurveyInvitation.objects.get()

    assert send_survey_invitation.call(invitation.pk) is False
    assert len(mail.outbox) == 1 and Send.objects.count() == 1


def test_no_email_without_consent_but_the_invitation_waits_on_the_account_page(
    client, nps_after_purchase, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        buy(member)

    assert SurveyInvitation.objects.count() == 1 and mail.outbox == []
    client.force_login(member.user)
    assert 'data-testid="survey-prompt"' in client.get(reverse("loyalty:account")).content.decode()


def test_a_replayed_purchase_invites_nobody_again(nps_after_purchase, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        buy(member)
        buy(member)

    assert SurveyInvitation.objects.count() == 1


def test_inactive_surveys_and_other_touchpoints_invite_nobody(nps_after_purchase):
    nps_after_purchase.is_active = False
    nps_after_purchase.save()
    Survey.objects.create(name="After support", kind="ces", touchpoint="support", is_active=True)

    assert invite(member=MemberFactory(), touchpoint="purchase", reference="purchase:1") == []


def test_nobody_is_asked_twice_within_the_minimum_gap(nps_after_purchase):
    set_site_setting(SurveySettings, min_gap_days=30)
    member = MemberFactory()
    first = invite(member=member, touchpoint="purchase", reference="purchase:1")
    again = invite(member=member, touchpoint="purchase", reference="purchase:2")
    later = invite(
        member=member, touchpoint="purchase", reference="purchase:3", now=timezone.now() + timedelta(days=31)
    )

    assert (len(first), again, len(later)) == (1, [], 1)


def test_the_answer_page_records_score_and_follow_ups_once_and_thanks_with_likes(client, nps_after_purchase):
    ActionRuleFactory(trigger="survey", likes=25)
    member = MemberFactory()
    (invitation,) = invite(member=member, touchpoint="purchase", reference="purchase:1")
    url = reverse("loyalty:survey_answer", args=[link_token(invitation)])

    page = client.get(url)
    assert (
        page.status_code == 200
        and f"How likely are you to recommend {settings.WAGTAIL_SITE_NAME}" in page.content.decode()
    )
    done = client.post(url, {"score": "9", "q0": "Friendly staff", "q1": "More parking"})

    assert "You earned 25 Likes" in done.content.decode()
    response = SurveyResponse.objects.get()
    assert (response.score, response.comment, response.invitation) == (9, "Friendly staff", invitation)
    assert response.answers[1] == {"question": "What could we do better?", "answer": "More parking"}
    assert balance_of(member) == 25

    again = client.post(url, {"score": "0"})
    assert "already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_missing_or_off_scale_score_is_refused_on_the_page(client, nps_after_purchase):
    (invitation,) = invite(member=MemberFactory(), touchpoint="purchase", reference="purchase:1")
    url = reverse("loyalty:survey_answer", args=[link_token(invitation)])

    assert "Choose a score." in client.post(url, {}).content.decode()
    assert client.post(url, {"score": "11"}).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_tampered_link_is_refused(client, nps_after_purchase):
    (invitation,) = invite(member=MemberFactory(), touchpoint="purchase", reference="purchase:1")
    token = link_token(invitation)

    for bad in (token[:-2] + "xx", "1:abc:def", "nonsense"):
        response = client.post(reverse("loyalty:survey_answer", args=[bad]), {"score": "10"})
        assert response.status_code == 400 and "not valid" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_invitation_closes_after_the_open_days(nps_after_purchase):
    set_site_setting(SurveySettings, open_days=7)
    (invitation,) = invite(member=MemberFactory(), touchpoint="purchase", reference="purchase:1")

    with pytest.raises(SurveyClosed):
        answer(invitation=invitation, score=8, follow_ups=[], now=timezone.now() + timedelta(days=8))


def test_every_n_months_surveys_invite_members_whose_last_one_is_that_old():
    Survey.objects.create(
        name="Twice a year", kind="nps", touchpoint="periodic", every_months=6, is_active=True
    )
    veteran, newcomer = MemberFactory(), MemberFactory()
    veteran.joined_at = timezone.now() - timedelta(days=400)
    veteran.save(update_fields=["joined_at"])

    assert invite_periodic() == 1
    assert invite_periodic() == 0  # the same day again: nothing new
    assert SurveyInvitation.objects.get().member == veteran
    assert newcomer.survey_invitations.count() == 0


def test_the_standard_question_speaks_the_members_language(client, nps_after_purchase):
    (invitation,) = invite(member=MemberFactory(locale="nl"), touchpoint="purchase", reference="purchase:1")

    html = client.get(
        reverse("loyalty:survey_answer", args=[link_token(invitation)]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()

    assert f"Hoe waarschijnlijk is het dat je {settings.WAGTAIL_SITE_NAME} aanbeveelt" in html


def _veterans(count, consent=False):
    members = []
    for _ in range(count):
        member = MemberFactory()
        member.joined_at = timezone.now() - timedelta(days=400)
        member.save(update_fields=["joined_at"])
        if consent:
            set_marketing_consent(member=member, consent=True)
        members.append(member)
    return members


def test_periodic_invitations_are_set_based_and_emailed_in_batches(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    from loyalty.insights import surveys

    Survey.objects.create(name="Yearly", kind="nps", touchpoint="periodic", every_months=12, is_active=True)
    _veterans(3, consent=True)
    quiet = _veterans(4)
    recently_asked = _veterans(1)[0]
    other = Survey.objects.create(name="Effort", kind="ces", touchpoint="support", is_active=True)
    SurveyInvitation.objects.create(survey=other, member=recently_asked, touchpoint="support", reference="x")
    monkeypatch.setattr(surveys, "PERIODIC_BATCH", 4)

    # 3 to find the surveys and the due members, then 6 per batch of 4 (never per member)
    with (
        django_assert_max_num_queries(3 + 6 * 2),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        assert invite_periodic() == 7
    assert len(callbacks) == 2  # one email task per batch
    for callback in callbacks:
        callback()

    assert not recently_asked.survey_invitations.filter(survey__touchpoint="periodic").exists()
    assert len(mail.outbox) == 3  # only members who allow emails
    assert SurveyInvitation.objects.filter(member__in=quiet, emailed_at__isnull=True).count() == 4
    assert SurveyInvitation.objects.filter(emailed_at__isnull=False).count() == 3
