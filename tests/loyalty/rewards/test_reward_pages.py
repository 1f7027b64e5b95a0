"""/account/rewards/: the catalogue, one-click redeem with confirmation, the voucher page."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from loyalty.ledger import services as ledger
from loyalty.rewards.models import Redemption
from tests.factories import RewardFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(member):
    ledger.earn(member=member, amount=250)
    return member


def test_the_catalogue_shows_costs_stock_and_what_is_within_reach(member_client, anna):
    RewardFactory(title="Coffee", cost=100, stock=3)
    RewardFactory(title="Cinema", cost=400)
    RewardFactory(title="Hidden", cost=10, is_active=False)

    page = member_client.get(reverse("loyalty:rewards")).content.decode()

    assert "Coffee" in page and "3 left" in page
    assert "Cinema" in page and "You need 150 more Likes" in page
    assert "Hidden" not in page


def test_redeeming_asks_for_confirmation_then_shows_and_emails_the_voucher(
    member_client, anna, django_capture_on_commit_callbacks
):
    reward = RewardFactory(title="Coffee", cost=100, stock=3)
    confirm = member_client.get(reverse("loyalty:redeem", args=[reward.pk])).content.decode()
    assert "Redeem this reward for 100 Likes?" in confirm
    assert Redemption.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("loyalty:redeem", args=[reward.pk]), {"token": "t-1"})

    redemption = Redemption.objects.get()
    assert response["Location"] == reverse("loyalty:voucher", args=[redemption.code])
    assert redemption.code in member_client.get(response["Location"]).content.decode()
    assert balance_of(anna) == 150
    assert redemption.code in mail.outbox[0].body


def test_a_double_click_redeems_once(member_client, anna):
    reward = RewardFactory(cost=100)

    member_client.post(reverse("loyalty:redeem", args=[reward.pk]), {"token": "t-1"})
    member_client.post(reverse("loyalty:redeem", args=[reward.pk]), {"token": "t-1"})

    assert Redemption.objects.count() == 1
    assert balance_of(anna) == 150


def test_not_enough_likes_is_said_plainly_and_nothing_is_redeemed(member_client, anna):
    reward = RewardFactory(cost=400)

    page = member_client.get(reverse("loyalty:redeem", args=[reward.pk])).content.decode()
    assert "You need 150 more Likes for this reward." in page

    response = member_client.post(reverse("loyalty:redeem", args=[reward.pk]), {"token": "t-1"}, follow=True)
    assert "Not enough Likes: 250 available, 400 needed." in response.content.decode()
    assert Redemption.objects.count() == 0


def test_an_out_of_stock_reward_says_so(member_client, anna):
    reward = RewardFactory(cost=100, stock=0)

    page = member_client.get(reverse("loyalty:redeem", args=[reward.pk])).content.decode()

    assert "this reward has just run out" in page


def test_a_member_cannot_open_someone_elses_voucher(client, anna, other_member):
    from loyalty.rewards.services import redeem_reward

    redemption = redeem_reward(member=anna, reward=RewardFactory(cost=100))
    client.force_login(other_member.user)

    assert client.get(reverse("loyalty:voucher", args=[redemption.code])).status_code == 404


def test_a_voucher_code_with_a_nul_byte_is_not_found_rather_than_a_500(member_client):
    assert member_client.get(reverse("loyalty:voucher", args=["AB\x00CD"])).status_code == 404


def test_the_catalogue_with_images_does_a_constant_number_of_queries(member_client, anna):
    Image = get_image_model()

    def add_rewards(count):
        for n in range(count):
            image = Image.objects.create(title=f"Reward {n}", file=get_test_image_file())
            RewardFactory(cost=100, image=image)

    add_rewards(2)
    member_client.get(reverse("loyalty:rewards"))  # renditions are made on the first view
    with CaptureQueriesContext(connection) as few:
        member_client.get(reverse("loyalty:rewards"))
    add_rewards(6)
    member_client.get(reverse("loyalty:rewards"))
    with CaptureQueriesContext(connection) as many:
        member_client.get(reverse("loyalty:rewards"))

    assert len(many) == len(few)


def test_the_rewards_page_speaks_dutch(member_client, anna):
    RewardFactory(title="Koffie", cost=400)

    page = member_client.get(reverse("loyalty:rewards"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Beloningen" in page and "Je hebt nog 150 Likes nodig." in page
