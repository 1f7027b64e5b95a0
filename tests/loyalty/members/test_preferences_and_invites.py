"""Preferences (birthday, notifications, consent) and joining through a friend's invite link."""

from datetime import date

import pytest
from django.urls import reverse

from loyalty.rules.models import Referral
from loyalty.rules.services import invite_code_for

pytestmark = pytest.mark.django_db


def test_a_member_saves_their_preferences(member_client, member):
    response = member_client.post(
        reverse("loyalty:preferences"),
        {"locale": "nl", "birth_date": "1990-05-17", "marketing_consent": "on"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.locale, member.birth_date) == ("nl", date(1990, 5, 17))
    assert member.notify_likes_received is False
    assert member.marketing_consent and member.marketing_consent_at is not None


@pytest.mark.parametrize("birth_date", ["2999-01-01", "1800-01-01", "17 May"])
def test_an_impossible_birthday_is_refused_and_nothing_changes(member_client, member, birth_date):
    page = member_client.post(reverse("loyalty:preferences"), {"locale": "nl", "birth_date": birth_date})

    assert page.status_code == 200
    assert "errorlist" in page.content.decode()
    member.refresh_from_db()
    assert member.locale == "en" and member.birth_date is None


def test_the_invite_page_shows_the_members_personal_link(member_client, member):
    page = member_client.get(reverse("loyalty:invite")).content.decode()

    assert f"{reverse('loyalty:signup')}?invite={invite_code_for(member)}" in page


def test_a_friend_who_joins_through_the_link_is_remembered_as_referred(client, member):
    join = f"{reverse('loyalty:signup')}?invite={invite_code_for(member)}"
    form = client.get(join).content.decode()
    assert invite_code_for(member) in form

    client.post(
        join,
        {
            "first_name": "Femke",
            "email": "femke@example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
            "locale": "en",
            "invite": invite_code_for(member),
        },
    )

    assert Referral.objects.get().referrer == member
