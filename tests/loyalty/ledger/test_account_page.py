"""The member's /account/ page: balance, expiring Likes, and a history in plain words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loyalty.ledger import services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


def test_account_shows_balance_pending_and_expiring_likes(member_client, member):
    now = timezone.now()
    services.earn(member=member, amount=100, expires_at=now + timedelta(days=10))
    services.earn(member=member, amount=30, available_at=now + timedelta(days=14))

    page = member_client.get(reverse("loyalty:account")).content.decode()

    assert "130 Likes" in page
    assert "30 Likes of these are pending" in page
    assert "You can use 100 Likes now" in page
    assert "100 Likes on" in page  # expiring within 30 days, with its date


def test_history_says_in_plain_words_what_each_line_was(member_client, member, other_member):
    now = timezone.now()
    services.earn(member=member, amount=50, metadata={"partner": "Shop X"})
    services.transfer(sender=member, receiver=other_member, amount=10, message="Enjoy")
    services.transfer(sender=other_member, receiver=member, amount=5, message="Thanks for the tip!")
    services.earn(
        member=member,
        amount=7,
        available_at=now - timedelta(days=9),
        expires_at=now - timedelta(days=1),
    )
    services.expire_due()

    page = member_client.get(reverse("loyalty:account")).content.decode()

    assert "Purchase at Shop X" in page
    assert "Shared with Bram" in page
    assert "Received 5 Likes from Bram: \u2018Thanks for the tip!\u2019" in page
    assert "Expired" in page


def test_history_is_paginated(member_client, member):
    for _ in range(25):
        services.earn(member=member, amount=1)

    first = member_client.get(reverse("loyalty:account")).content.decode()
    second = member_client.get(reverse("loyalty:account") + "?page=2").content.decode()

    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second


def test_a_bad_page_number_shows_a_valid_page(member_client, member):
    services.earn(member=member, amount=1)
    assert member_client.get(reverse("loyalty:account") + "?page=abc").status_code == 200
    assert member_client.get(reverse("loyalty:account") + "?page=999").status_code == 200


def test_account_page_does_a_constant_number_of_queries(member_client, member, django_assert_num_queries):
    others = [MemberFactory() for _ in range(3)]

    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert member_client.get(reverse("loyalty:account")).status_code == 200
        return len(ctx)

    services.earn(member=member, amount=500)
    page_queries()  # the first visit creates the site's settings rows
    baseline = page_queries()
    for other in others:
        services.transfer(sender=member, receiver=other, amount=5, message="hi")
        services.redeem(member=member, amount=3)
        services.earn(member=member, amount=2, available_at=timezone.now() + timedelta(days=3))

    with django_assert_num_queries(baseline):
        member_client.get(reverse("loyalty:account"))


def test_account_requires_login(client):
    response = client.get(reverse("loyalty:account"))
    assert response.status_code == 302
    assert reverse("loyalty_auth:login") in response["Location"]


def test_a_login_without_membership_is_told_so(client, editor):
    client.force_login(editor)
    assert "not a club member" in client.get(reverse("loyalty:account")).content.decode()


def test_account_page_speaks_dutch_to_a_dutch_browser(member_client, member, other_member):
    services.earn(member=other_member, amount=50)
    services.transfer(sender=other_member, receiver=member, amount=20, message="Bedankt!")

    page = member_client.get(reverse("loyalty:account"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Je saldo" in page
    assert "20 Likes ontvangen van Bram: \u2018Bedankt!\u2019" in page


def test_the_account_page_is_never_kept_in_a_shared_cache(member_client):
    response = member_client.get(reverse("loyalty:account"))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
