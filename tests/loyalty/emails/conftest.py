"""Email fixtures: tip pages per category, members with purchases, and a campaign with every block."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fixtures import campaigns
from loyalty.emails.models import Campaign, TipPage
from loyalty.ledger import services as ledger
from loyalty.members.services import set_marketing_consent
from loyalty.rules.services import PurchaseItemData, record_purchase
from tests.factories import MemberFactory, ProductCategoryFactory, RewardFactory
from tests.site_settings import default_site

EVERY_BLOCK = campaigns.every_block()


def make_campaign(blocks=None, **fields) -> Campaign:
    fields.setdefault("name", "Care tips")
    fields.setdefault("subject", "Tips for you, {first_name}")
    return Campaign.objects.create(body=json.dumps(blocks or EVERY_BLOCK), **fields)


@pytest.fixture
def categories(db):
    return {
        "plants": ProductCategoryFactory(name="Plants", slug="plants"),
        "pots": ProductCategoryFactory(name="Pots", slug="pots"),
        "tools": ProductCategoryFactory(name="Tools", slug="tools"),
    }


@pytest.fixture
def tip_pages(categories):
    root = default_site().root_page
    pages = {}
    for slug, title in [
        ("plants", "Water less in winter"),
        ("pots", "Pick a pot with a hole"),
        ("tools", "Oil your shears"),
    ]:
        page = TipPage(title=title, slug=f"tip-{slug}", summary=f"About {slug}.")
        root.add_child(instance=page)
        page.categories.add(categories[slug])
        page.save()
        pages[slug] = page
    return pages


def consenting_member(**kwargs):
    member = MemberFactory(**kwargs)
    set_marketing_consent(member=member, consent=True)
    member.refresh_from_db()
    return member


def buy(member, *categories, days_ago=5, reference=None):
    return record_purchase(
        member=member,
        partner="shop",
        order_reference=reference or f"{member.pk}-{'-'.join(categories)}-{days_ago}",
        amount="20.00",
        currency="EUR",
        occurred_at=timezone.now() - timedelta(days=days_ago),
        items=[
            PurchaseItemData(
                sku=f"SKU-{category}",
                category=category,
                quantity=1,
                unit_price=Decimal("20.00") / len(categories),
            )
            for category in categories
        ],
    )


@pytest.fixture
def reward(db):
    return RewardFactory(title="Coffee for two", cost=50)


@pytest.fixture
def rich_member(db):
    member = consenting_member(first_name="Anna", last_name="de Vries")
    ledger.earn(member=member, amount=120, expires_at=timezone.now() + timedelta(days=10))
    return member
