"""Members leave a kind of email in one click (RFC 8058), choose their emails, and, where the site
tracks engagement, clicks are recorded for insights."""

import base64
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from loyalty.emails import services
from loyalty.emails.models import EmailKind, EmailOptOut, EmailSettings, Send
from loyalty.insights.models import Activity
from tests.loyalty.emails.conftest import consenting_member, make_campaign
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db

SIMPLE = [
    {"type": "greeting", "value": "Hello {first_name},"},
    {"type": "button", "value": {"label": "Our guides", "page": None, "url": "https://shop.example/guides"}},
]


def sent_email(kind="news"):
    member = consenting_member()
    campaign = make_campaign(SIMPLE, kind=kind)
    services.launch(campaign)
    services.deliver_batch(campaign.pk)
    return member, mail.outbox[-1]


def unsubscribe_path(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:8000", "")


def test_one_click_unsubscribe_by_post_needs_no_login_and_no_csrf(client):
    member, message = sent_email()
    csrf_client = client.__class__(enforce_csrf_checks=True)

    response = csrf_client.post(unsubscribe_path(message), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailOptOut.objects.filter(member=member, kind="news").exists()
    assert Send.objects.get().unsubscribed_at is not None


def test_the_unsubscribe_link_asks_first_and_can_stop_everything(client):
    member, message = sent_email()

    page = client.get(unsubscribe_path(message))
    assert page.status_code == 200 and "News and offers" in page.content.decode()
    assert not EmailOptOut.objects.exists()  # a link scanner's GET changes nothing

    client.post(unsubscribe_path(message), {"scope": "all"})
    member.refresh_from_db()
    assert not member.marketing_consent
    assert EmailOptOut.objects.filter(member=member).count() == len(EmailKind.values) == 5  # every kind


def test_a_tampered_unsubscribe_token_is_refused_and_changes_nothing(client):
    member, message = sent_email()
    path = unsubscribe_path(message)
    token = path.split("/")[-2]
    forged = (
        services.unsubscribe_token(member, "news").replace(token[-5:], "AAAAA")
        if False
        else token[:-3] + "xyz"
    )

    response = client.post(path.replace(token, forged))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_an_unsubscribe_token_cannot_be_bent_to_another_member(client):
    _member, message = sent_email()
    victim = consenting_member()
    token = unsubscribe_path(message).split("/")[-2]
    payload, rest = token.split(":", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["m"] = victim.pk
    bent = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")

    assert client.post(reverse("loyalty:email_unsubscribe", args=[f"{bent}:{rest}"])).status_code == 400
    assert not EmailOptOut.objects.filter(member=victim).exists()


def test_the_preferences_page_sets_consent_and_kinds(client):
    member = consenting_member()
    client.force_login(member.user)

    page = client.get(reverse("loyalty:email_preferences"))
    assert page.status_code == 200 and "News and offers" in page.content.decode()

    client.post(reverse("loyalty:email_preferences"), {"marketing_consent": "on", "kinds": ["tips", "likes"]})

    assert set(EmailOptOut.objects.filter(member=member).values_list("kind", flat=True)) == {
        "community",
        "news",
        "surveys",  # not ticked either
    }
    client.post(
        reverse("loyalty:email_preferences"),
        {"marketing_consent": "on", "kinds": ["tips", "likes", "news", "community", "surveys"]},
    )
    assert not EmailOptOut.objects.exists()
    client.post(reverse("loyalty:email_preferences"), {"kinds": ["tips"]})
    member.refresh_from_db()
    assert not member.marketing_consent


def test_an_unknown_kind_on_the_preferences_page_is_refused(client):
    member = consenting_member()
    client.force_login(member.user)

    response = client.post(
        reverse("loyalty:email_preferences"), {"marketing_consent": "on", "kinds": ["spam"]}
    )

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_without_tracking_links_go_straight_to_their_address():
    set_site_setting(EmailSettings, track_engagement=False)
    _member, message = sent_email()

    assert 'href="https://shop.example/guides"' in message.alternatives[0][0]
    assert "/emails/open/" not in message.alternatives[0][0]


def test_with_tracking_a_click_is_counted_and_recorded_as_activity(client):
    set_site_setting(EmailSettings, track_engagement=True)
    member, message = sent_email()
    html = message.alternatives[0][0]
    base = re.escape(settings.WAGTAILADMIN_BASE_URL)
    click = re.search(rf'href="{base}([^"]*/emails/go/[^"]+)"', html)[1]
    pixel = re.search(rf'src="{base}([^"]*/emails/open/[^"]+)"', html)[1]

    assert client.get(pixel)["Content-Type"] == "image/gif"
    response = client.get(click)

    assert response.status_code == 302 and response["Location"] == "https://shop.example/guides"
    send = Send.objects.get()
    assert send.opened_at and send.clicked_at
    assert Activity.objects.get().member == member
    assert services.campaign_report(send.campaign)["clicked"] == 1


def test_a_forged_click_link_is_refused_so_it_cannot_redirect_anywhere(client):
    response = client.get(reverse("loyalty:email_click", args=["not-a-real-token"]))

    assert response.status_code == 400
    assert (
        client.get(reverse("loyalty:email_open", args=["garbage"])).status_code == 200
    )  # the pixel still answers, counting nothing
