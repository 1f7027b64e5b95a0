"""A member joins, logs in and reads their Likes in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.ledger import services
from loyalty.members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_joins_and_sees_an_empty_account(page):
    page.goto("/account/join/")
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Email address").fill("anna@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-unusual-pass")
    page.get_by_label("Password again").fill("a-long-unusual-pass")
    page.get_by_role("button", name="Join").last.click()

    page.wait_for_url(re.compile(r"/account/$"))
    assert "Hello Anna" in page.content()
    assert page.get_by_test_id("balance").inner_text() == "0 Likes"
    assert Member.objects.filter(user__email="anna@example.com").exists()


def test_a_member_logs_in_and_sees_balance_expiring_likes_and_history(page, member, other_member):
    now = timezone.now()
    services.earn(
        member=member, amount=200, metadata={"partner": "Shop X"}, expires_at=now + timedelta(days=12)
    )
    services.earn(member=other_member, amount=50)
    services.transfer(sender=other_member, receiver=member, amount=20, message="Thanks for the tip!")
    services.earn(member=member, amount=40, available_at=now + timedelta(days=14))

    page.goto("/account/login/")
    page.get_by_label("Email address").fill(member.user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").last.click()
    page.wait_for_url(re.compile(r"/account/$"))

    assert page.get_by_test_id("balance").inner_text() == "260 Likes"
    assert "40 Likes of these are pending" in page.get_by_test_id("pending").inner_text()
    assert "200 Likes on" in page.get_by_test_id("expiring").inner_text()
    history = page.get_by_test_id("history").inner_text()
    assert "Purchase at Shop X" in history
    assert "Received 20 Likes from Bram: \u2018Thanks for the tip!\u2019" in history

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    page.goto("/account/")
    assert "/account/login/" in page.url


def test_a_user_of_the_site_who_is_not_a_member_joins_with_one_click_and_logs_out(page):
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    user = UserFactory(email="shopper@example.com", first_name="Sam")

    page.goto("/account/rewards/")  # a member page: log in first, then back here
    page.wait_for_url(re.compile(r"/account/login/\?next="))
    page.get_by_label("Email address").fill("shopper@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").last.click()
    page.wait_for_url(re.compile(r"/account/rewards/$"))

    assert "You are not a club member yet" in page.content()
    page.get_by_label("Yes, send me personal tips and offers by email").check()
    page.get_by_role("button", name="Join the club").click()

    page.wait_for_url(re.compile(r"/account/$"))
    member = Member.objects.get(user=user)
    assert f"Your member number is {member.formatted_number}" in page.get_by_test_id("message").inner_text()
    assert member.marketing_consent
    assert get_user_model().objects.filter(email="shopper@example.com").count() == 1  # no second user

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))  # the home page, not Django admin's "Logged out"
    page.goto("/account/")
    page.wait_for_url(re.compile(r"/account/login/\?next="))
