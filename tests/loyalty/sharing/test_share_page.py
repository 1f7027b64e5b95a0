"""/account/share/: fill in, confirm, done; refusals in plain words; a resubmitted form shares once."""

import re

import pytest
from django.urls import reverse, reverse_lazy

from loyalty.ledger import services as ledger
from loyalty.sharing.models import Share, SharingPolicy
from loyalty.sharing.services import share_likes
from tests.loyalty.ledger.helpers import balance_of
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db

URL = reverse_lazy("loyalty:share")


@pytest.fixture
def anna(member):
    ledger.earn(member=member, amount=100)
    return member


def fill(client, receiver, amount, message="", **extra):
    return client.post(
        URL, {"receiver": receiver, "amount": amount, "message": message, "token": "t-1", **extra}
    )


def test_the_share_page_shows_what_the_member_can_share(member_client, anna):
    page = member_client.get(URL).content.decode()

    assert "You can use 100 Likes now" in page
    assert "You can share 1000 more Likes today" in page


def test_the_first_step_asks_for_confirmation_and_books_nothing(member_client, anna, other_member):
    response = fill(member_client, other_member.number, 20, "Thanks for the tip!")

    page = response.content.decode()
    assert "Share 20 Likes with Bram J." in page
    assert "Jansen" not in page  # any valid number shows a first name and initial, not a full name
    assert "Your balance afterwards: 80 Likes" in page
    assert Share.objects.count() == 0


def test_confirming_shares_and_shows_the_new_balance(member_client, anna, other_member):
    response = fill(member_client, other_member.formatted_number, 20, "Thanks!", confirm="1")

    assert response.status_code == 302
    page = member_client.get(response["Location"]).content.decode()
    assert "You shared 20 Likes with Bram" in page
    assert "80 Likes" in page
    assert balance_of(other_member) == 20


def test_a_resubmitted_confirmation_shares_once(member_client, anna, other_member):
    fill(member_client, other_member.number, 20, confirm="1")
    fill(member_client, other_member.number, 20, confirm="1")

    assert Share.objects.count() == 1
    assert balance_of(anna) == 80


def test_sharing_by_email_confirms_with_the_address_only(member_client, anna, other_member):
    page = fill(member_client, other_member.user.email, 20).content.decode()

    assert f"Share 20 Likes with {other_member.user.email}?" in page
    assert "Bram" not in page


def test_an_unknown_email_address_looks_the_same_as_a_members(member_client, anna, other_member):
    def page_for(address):
        html = fill(member_client, address, 20).content.decode().replace(address, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page_for(other_member.user.email) == page_for("nobody@example.com")


@pytest.mark.parametrize(
    ("receiver", "amount", "message"),
    [
        ("12345", 20, "Enter a 10-digit member number or an email address."),
        ("not@an@email", 20, "This email address is not valid."),
        ("0000000000", 20, "No member has that member number."),
        ("{other}", 0, "Ensure this value is greater than or equal to 1."),
        ("{other}", 500, "Not enough Likes: 100 available, 500 needed."),
        ("{self}", 20, "You cannot share Likes with yourself."),
    ],
)
def test_refusals_say_why_in_plain_words(member_client, anna, other_member, receiver, amount, message):
    receiver = receiver.format(other=other_member.number, self=anna.number)

    page = fill(member_client, receiver, amount, confirm="1").content.decode()

    assert message.replace("'", "&#x27;") in page
    assert Share.objects.count() == 0
    assert balance_of(anna) == 100


def test_the_daily_limit_refusal_says_what_is_left_today(member_client, anna, other_member):
    set_site_setting(SharingPolicy, daily_send_limit=30)
    fill(member_client, other_member.number, 20, confirm="1")

    page = member_client.post(
        URL, {"receiver": other_member.number, "amount": 20, "token": "t-2", "confirm": "1"}
    ).content.decode()

    assert "you have 10 left to share today" in page


def test_a_limit_is_reported_at_the_first_step_not_after_confirming(member_client, anna, other_member):
    set_site_setting(SharingPolicy, max_per_share=10)

    page = fill(member_client, other_member.number, 20).content.decode()

    assert "between 1 and 10 Likes at a time" in page
    assert "Please confirm" not in page


def test_the_page_says_when_sharing_is_switched_off(member_client, anna, other_member):
    set_site_setting(SharingPolicy, enabled=False)

    assert "Sharing Likes is switched off" in member_client.get(URL).content.decode()
    assert "Sharing Likes is switched off" in fill(member_client, other_member.number, 5).content.decode()


def test_the_share_page_needs_a_login(client):
    assert client.get(URL)["Location"].startswith(reverse("loyalty_auth:login"))


def test_a_member_cannot_see_someone_elses_share(client, anna, other_member):
    share = share_likes(sender=anna, receiver=other_member, amount=5)
    client.force_login(other_member.user)

    assert client.get(reverse("loyalty:share_done", args=[share.pk])).status_code == 404


def test_the_share_page_does_a_constant_number_of_queries(
    member_client, anna, other_member, django_assert_max_num_queries
):
    for n in range(5):
        ledger.earn(member=anna, amount=1 + n)
    with django_assert_max_num_queries(14):
        member_client.get(URL)


def test_the_share_page_and_its_refusals_speak_dutch(member_client, anna, other_member):
    page = member_client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Likes delen met een ander lid" in page

    refusal = member_client.post(
        URL,
        {"receiver": other_member.number, "amount": 500, "token": "t", "confirm": "1"},
        HTTP_ACCEPT_LANGUAGE="nl",
    ).content.decode()
    assert "Niet genoeg Likes" in refusal


def test_the_notification_email_is_in_the_receivers_language(
    anna, other_member, django_capture_on_commit_callbacks
):
    from django.core import mail

    other_member.locale = "nl"
    other_member.save()

    with django_capture_on_commit_callbacks(execute=True):
        share_likes(sender=anna, receiver=other_member, amount=20)

    assert mail.outbox[0].subject == "Anna heeft 20 Likes met je gedeeld"
