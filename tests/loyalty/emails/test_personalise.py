"""Every block is filled for the member; a member with nothing for a required block is skipped."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.emails.personalise import Composed, Skipped, compose, load_batch
from loyalty.emails.services import preview
from loyalty.ledger import services as ledger
from loyalty.members.models import Member
from tests.factories import MemberFactory, RewardFactory
from tests.loyalty.emails.conftest import EVERY_BLOCK, buy, consenting_member, make_campaign
from tests.site_settings import default_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(categories):
    """Posts on three topics, one hearted; needs the community app (tests using it are marked)."""
    from community.models import CommunityIndexPage
    from community.services import toggle_heart, write_post

    root = default_site().root_page
    page = CommunityIndexPage(title="Community", slug="community")
    root.add_child(instance=page)
    author, fan = MemberFactory(), MemberFactory()
    posts = {
        "plants": write_post(author=author, title="My monstera story", body="x", topic=categories["plants"]),
        "pots": write_post(author=author, title="Terracotta or plastic?", body="x", topic=categories["pots"]),
        "tools": write_post(author=author, title="Sharpening tips", body="x", topic=categories["tools"]),
    }
    toggle_heart(member=fan, post=posts["plants"])
    return posts


def composed_for(campaign, member) -> Composed | Skipped:
    member = Member.objects.select_related("user", "account").get(pk=member.pk)
    batch = load_batch(campaign, [member])
    return compose(campaign, batch.readers[member.pk], batch)


def section(composed, kind):
    return next((section for section in composed.sections if section["type"] == kind), None)


def titles(composed, kind) -> list[str]:
    found = section(composed, kind)
    return [item["title"] for item in found["items"]] if found else []


@pytest.mark.community
def test_a_member_who_bought_in_two_categories_gets_those_tips_and_posts(tip_pages, community, reward):
    member = consenting_member(first_name="Anna")
    buy(member, "plants", "pots")

    email = composed_for(make_campaign(), member)

    assert isinstance(email, Composed)
    assert sorted(titles(email, "tips")) == ["Pick a pot with a hole", "Water less in winter"]
    assert titles(email, "community")[:2] == ["My monstera story", "Terracotta or plastic?"]
    assert "Sharpening tips" not in titles(email, "community")
    assert email.subject == "Tips for you, Anna"


def test_a_member_without_purchases_is_skipped_when_tips_are_required(tip_pages):
    member = consenting_member()

    email = composed_for(make_campaign(), member)

    assert isinstance(email, Skipped) and "Tips for what you bought" in email.reason


def test_or_gets_the_fallback_text_when_the_editor_chose_it(tip_pages):
    blocks = [
        {"type": "greeting", "value": "Hi {first_name},"},
        {
            "type": "tips",
            "value": {
                "heading": "Tips",
                "count": 3,
                "purchased_within_days": 90,
                "if_empty": "fallback",
                "fallback": "<p>Browse all our guides.</p>",
            },
        },
    ]
    email = composed_for(make_campaign(blocks), consenting_member())

    assert section(email, "fallback")["html"] == "<p>Browse all our guides.</p>"
    assert section(email, "tips") is None


def test_purchases_older_than_the_blocks_window_do_not_pick_tips(tip_pages):
    member = consenting_member()
    buy(member, "tools", days_ago=200)

    assert isinstance(composed_for(make_campaign(), member), Skipped)


def test_the_balance_card_shows_what_expires_soon_or_is_left_out(tip_pages):
    member = consenting_member()
    buy(member, "plants")
    ledger.earn(member=member, amount=40, expires_at=timezone.now() + timedelta(days=12))
    ledger.earn(member=member, amount=60, expires_at=timezone.now() + timedelta(days=200))

    card = section(composed_for(make_campaign(), member), "balance")
    assert (card["balance"], card["expiring"]) == (100, 40)

    nothing_soon = consenting_member()
    buy(nothing_soon, "plants")
    ledger.earn(member=nothing_soon, amount=60, expires_at=timezone.now() + timedelta(days=200))
    assert section(composed_for(make_campaign(), nothing_soon), "balance") is None


def test_rewards_block_lists_only_what_the_member_can_spend_now(tip_pages):
    RewardFactory(title="Cheap", cost=30)
    RewardFactory(title="Dear", cost=500)
    member = consenting_member()
    buy(member, "plants")
    ledger.earn(member=member, amount=50)
    ledger.earn(member=member, amount=1000, available_at=timezone.now() + timedelta(days=14))  # pending

    assert titles(composed_for(make_campaign(), member), "rewards") == ["Cheap"]


def test_placeholders_are_filled_and_escaped_in_html(tip_pages):
    member = consenting_member(first_name="<b>Eve</b>")
    buy(member, "plants")

    email = composed_for(make_campaign(), member)

    assert section(email, "greeting")["text"] == "Hello <b>Eve</b>,"  # plain text, escaped by the template
    assert "&lt;b&gt;Eve" not in section(email, "text")["html"]
    assert section(email, "text")["html"] == "<p>Your balance is 0 Likes.</p>"


def test_the_preview_renders_html_and_text_in_the_members_language(tip_pages):
    member = consenting_member(first_name="Bram", locale="nl")
    buy(member, "plants")

    message, reason = preview(make_campaign(), member)

    assert reason is None
    html = message.alternatives[0][0]
    assert "Water less in winter" in html and "Water less in winter" in message.body
    assert "Afmelden" in html and 'style="' in html  # Dutch footer; CSS inlined
    assert "<style" not in html


@pytest.mark.community
def test_reading_a_batch_takes_the_same_queries_for_5_or_50_members(
    tip_pages, community, reward, django_assert_max_num_queries
):
    members = [consenting_member() for _ in range(50)]
    for index, member in enumerate(members):
        buy(member, ["plants", "pots", "tools"][index % 3])
    campaign = make_campaign(EVERY_BLOCK + EVERY_BLOCK[2:6])  # every block, some twice

    def load(count):
        batch_members = list(
            Member.objects.filter(pk__in=[m.pk for m in members[:count]]).select_related("user", "account")
        )
        load_batch(campaign, batch_members)

    load(1)  # a process's first batch also reads the site's root paths for links, which Wagtail caches
    with django_assert_max_num_queries(20) as few:
        load(5)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        load(50)
    assert len(many.captured_queries) == len(few.captured_queries)
