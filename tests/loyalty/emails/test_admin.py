"""Editors in the Wagtail admin: preview as a member, a test to themselves, launch, report, segment counts."""

import pytest
from django.core import mail

from loyalty.emails.models import Campaign, Segment, Send
from tests.conftest import grant
from tests.factories import UserFactory
from tests.loyalty.emails.conftest import buy, consenting_member, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(client):
    user = grant(
        UserFactory(email="marketing@example.com"),
        "access_admin",
        "view_campaign",
        "add_campaign",
        "change_campaign",
        "view_segment",
        "change_segment",
        "view_send",
    )
    client.force_login(user)
    return client


def test_the_preview_shows_the_email_as_the_chosen_member_gets_it(marketer, tip_pages):
    member = consenting_member(first_name="Anna")
    buy(member, "plants")
    campaign = make_campaign()

    response = marketer.get(f"/admin/loyalty/campaigns/{campaign.pk}/preview/", {"member": member.user.email})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tips for you, Anna" in html and "Water less in winter" in html
    assert 'data-testid="text"' in html


def test_the_preview_says_why_a_member_would_be_skipped(marketer, tip_pages):
    member = consenting_member()
    campaign = make_campaign()

    response = marketer.get(f"/admin/loyalty/campaigns/{campaign.pk}/preview/", {"member": member.number})

    assert "would be skipped" in response.content.decode()


def test_an_unknown_member_in_the_preview_is_a_form_error(marketer):
    campaign = make_campaign()

    response = marketer.get(f"/admin/loyalty/campaigns/{campaign.pk}/preview/", {"member": "0000000000"})

    assert "No member has this number or email address." in response.content.decode()


def test_a_test_email_goes_to_the_editor_only(marketer, tip_pages):
    member = consenting_member()
    buy(member, "plants")
    campaign = make_campaign()

    marketer.post(
        f"/admin/loyalty/campaigns/{campaign.pk}/preview/?member={member.number}",
        {"member": member.number, "send_test": "1"},
    )

    (message,) = mail.outbox
    assert message.to == ["marketing@example.com"] and message.subject.startswith("[TEST]")
    assert not Send.objects.exists()


def test_launching_from_the_admin_queues_and_the_report_counts(marketer, django_capture_on_commit_callbacks):
    consenting_member()
    consenting_member()
    campaign = make_campaign([{"type": "greeting", "value": "Hi {first_name}"}])

    assert "2 members" in marketer.get(f"/admin/loyalty/campaigns/{campaign.pk}/launch/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        marketer.post(f"/admin/loyalty/campaigns/{campaign.pk}/launch/")

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE and len(mail.outbox) == 2
    report = marketer.get(f"/admin/loyalty/campaigns/{campaign.pk}/report/").content.decode()
    assert "<th>Sent</th><td>2</td>" in report


def test_an_unknown_campaign_action_is_not_found(marketer):
    campaign = make_campaign()
    assert marketer.post(f"/admin/loyalty/campaigns/{campaign.pk}/explode/").status_code == 404


def test_the_segment_listing_shows_how_many_members_match_now(marketer):
    for _ in range(3):
        consenting_member()
    Segment.objects.create(name="Everyone big spenders", min_balance=0)

    html = marketer.get("/admin/snippets/loyalty_emails/segment/").content.decode()

    assert "Everyone big spenders" in html and ">3<" in html.replace(" ", "").replace("\n", "")


def test_editors_without_campaign_rights_cannot_preview_or_launch(client, editor):
    campaign = make_campaign()
    client.force_login(editor)

    response = client.post(f"/admin/loyalty/campaigns/{campaign.pk}/launch/")

    assert response.status_code in (302, 403)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_the_campaign_listing_and_email_log_open(marketer):
    make_campaign(name="Spring care")

    assert "Spring care" in marketer.get("/admin/snippets/loyalty_emails/campaign/").content.decode()
    assert marketer.get("/admin/loyalty/email-log/").status_code == 200


def test_personal_emails_outside_campaigns_are_in_the_email_log_with_their_subject(marketer):
    from loyalty.emails.services import send_personal_email

    member = consenting_member()
    send = send_personal_email(
        member,
        kind="surveys",
        template="loyalty/insights/email/invitation",
        context={"question": "How was it?", "answer_url": "https://example.com/a"},
        occasion="survey-invitation:1",
    )
    again = send_personal_email(
        member,
        kind="surveys",
        template="loyalty/insights/email/invitation",
        context={"question": "How was it?", "answer_url": "https://example.com/a"},
        occasion="survey-invitation:1",
    )

    assert again.pk == send.pk and len(mail.outbox) == 1  # once per occasion
    html = marketer.get("/admin/loyalty/email-log/").content.decode()
    assert send.subject in html and "surveys" in html.lower()


def test_a_tip_page_is_a_page_on_the_site_too(client, tip_pages):
    response = client.get(tip_pages["plants"].url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Water less in winter" in html and "About plants." in html
