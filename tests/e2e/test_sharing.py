"""A member logs in, shares Likes with another member, and both histories show it (real browser)."""

import re

import pytest

from loyalty.ledger import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, member):
    page.goto("/account/login/")
    page.get_by_label("Email address").fill(member.user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").last.click()
    page.wait_for_url(re.compile(r"/account/$"))


def test_a_member_shares_likes_and_both_histories_show_it(page, member, other_member):
    services.earn(member=member, amount=100)

    log_in(page, member)
    page.get_by_role("link", name="Share Likes").click()
    page.get_by_label("Member number or email address").fill(other_member.formatted_number)
    page.get_by_label("How many Likes").fill("20")
    page.get_by_label("Message (optional)").fill("Thanks for the tip!")
    page.get_by_role("button", name="Continue").click()

    assert "Share 20 Likes with Bram J." in page.get_by_test_id("confirmation").inner_text()
    confirm = page.get_by_role("button", name="Yes, share them")
    confirm.dblclick()  # a double-click must share once
    page.wait_for_url(re.compile(r"/account/share/\d+/$"))
    assert page.get_by_test_id("balance").inner_text() == "80 Likes"

    page.goto("/account/")
    assert "Shared with Bram: \u2018Thanks for the tip!\u2019" in page.get_by_test_id("history").inner_text()
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()

    log_in(page, other_member)
    assert page.get_by_test_id("balance").inner_text() == "20 Likes"
    history = page.get_by_test_id("history").inner_text()
    assert "Received 20 Likes from Anna: \u2018Thanks for the tip!\u2019" in history
    assert services.Journal.objects.filter(kind="transfer").count() == 1


def test_a_member_redeems_a_reward_and_sees_the_voucher(page, member):
    from tests.factories import RewardFactory

    services.earn(member=member, amount=150)
    RewardFactory(title="Coffee for two", cost=100, stock=2)

    log_in(page, member)
    page.get_by_role("link", name="Rewards").click()
    page.get_by_role("link", name="Redeem").click()
    page.get_by_role("button", name="Yes, redeem").click()

    code = page.get_by_test_id("voucher-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.goto("/account/")
    assert page.get_by_test_id("balance").inner_text() == "50 Likes"
