"""Fill a campaign for each member of a batch: the data for a whole batch is read in a fixed number of
queries (however many members or blocks), then each member's email is composed in memory.

The per-block rule when a member has nothing for a block (no tips for what they bought, nothing
expiring, no reward within reach, no posts on their topics) is the block's ``if_empty``:
``skip`` leaves the member out of this campaign (their send is marked skipped with the block's
name), ``fallback`` shows the editor's fallback text, ``hide`` leaves the section out.

The "community" block's content comes from whichever app registered it with
``register_community_content`` (the community app does, from its ``ready()``); without one, the
block has nothing to show. The block itself is always defined here, so the campaign's StreamField
and its migrations never depend on which apps are installed.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.models import Lot
from loyalty.members.mail import site_url
from loyalty.rewards.models import Reward
from loyalty.rules.models import PurchaseItem

from .models import Campaign, TipPage

COMMUNITY_DAYS = 60
PLACEHOLDER = re.compile(r"\{(first_name|balance|currency)\}")


@dataclass
class Reader:
    """What one member's email is made of."""

    member: object
    balance: int = 0
    spendable: int = 0
    lots: list = field(default_factory=list)  # (remaining, available_at, expires_at)
    purchases: list = field(default_factory=list)  # (occurred_at, category slug), newest first

    def expiring_within(self, now: datetime, days: int) -> tuple[int, datetime | None]:
        horizon = now + timedelta(days=days)
        due = [(remaining, expires_at) for remaining, _, expires_at in self.lots if expires_at <= horizon]
        return sum(amount for amount, _ in due), min((at for _, at in due), default=None)

    def categories_since(self, since: datetime) -> list[str]:
        seen = []
        for occurred_at, category in self.purchases:
            if occurred_at >= since and category and category not in seen:
                seen.append(category)
        return seen


@dataclass
class Batch:
    """Everything the campaign's blocks need for a batch of members, read once."""

    now: datetime
    readers: dict[int, Reader]
    tips: dict[str, list] = field(default_factory=dict)  # category slug -> tip pages, newest first
    # category slug -> community items ({"title", "text", "url"}), most hearted first; featured items
    posts: dict[str, list] = field(default_factory=dict)
    featured: list = field(default_factory=list)
    rewards: list = field(default_factory=list)  # available, dearest first


@dataclass
class Composed:
    subject: str
    preheader: str
    sections: list[dict]


@dataclass
class Skipped:
    reason: str


# (categories, since) -> ({category slug: [item, ...]}, [featured item, ...]); items are dicts with
# "title", "text" and "url" (absolute). At most one provider: the last registered.
CommunityContent = Callable[..., tuple[dict[str, list[dict]], list[dict]]]
_community_content: list[CommunityContent] = []


def register_community_content(provider: CommunityContent) -> None:
    """Let an app fill the "community" block: ``provider(categories=..., since=...)`` reads, in a
    constant number of queries, recent posts per topic (category slug) and featured posts."""
    _community_content[:] = [provider]


def _block_types(campaign: Campaign) -> set[str]:
    return {child.block_type for child in campaign.body}


def _max_purchase_days(campaign: Campaign) -> int:
    days = [child.value["purchased_within_days"] for child in campaign.body if child.block_type == "tips"]
    if "community" in _block_types(campaign):
        days.append(COMMUNITY_DAYS)
    return max(days, default=0)


def load_batch(campaign: Campaign, members: list, *, now: datetime | None = None) -> Batch:
    """Read what ``campaign`` needs for ``members`` (with ``account`` selected): at most six queries."""
    now = now or timezone.now()
    readers = {
        member.pk: Reader(member=member, balance=getattr(getattr(member, "account", None), "balance", 0))
        for member in members
    }
    types = _block_types(campaign)
    batch = Batch(now=now, readers=readers)
    if types & {"balance", "rewards"}:
        lots = Lot.objects.filter(
            account__member_id__in=readers, remaining__gt=0, expires_at__gt=now
        ).values_list("account__member_id", "remaining", "available_at", "expires_at")
        for member_id, remaining, available_at, expires_at in lots:
            reader = readers[member_id]
            reader.lots.append((remaining, available_at, expires_at))
            if available_at <= now:
                reader.spendable += remaining
    purchase_days = _max_purchase_days(campaign)
    if purchase_days:
        items = (
            PurchaseItem.objects.filter(
                purchase__member_id__in=readers,
                purchase__occurred_at__gte=now - timedelta(days=purchase_days),
            )
            .exclude(category="")
            .order_by("-purchase__occurred_at", "pk")
            .values_list("purchase__member_id", "purchase__occurred_at", "category")
        )
        for member_id, occurred_at, category in items:
            readers[member_id].purchases.append((occurred_at, category))
    categories = {category for reader in readers.values() for _, category in reader.purchases}
    if "tips" in types and categories:
        batch.tips = _tips_by_category(categories)
    if "community" in types and _community_content:
        batch.posts, batch.featured = _community_content[0](
            categories=categories, since=now - timedelta(days=COMMUNITY_DAYS)
        )
    if "rewards" in types:
        batch.rewards = list(Reward.objects.available(now).order_by("-cost", "title"))
    return batch


def _tips_by_category(categories: set[str]) -> dict[str, list]:
    through = TipPage.categories.through
    links = (
        through.objects.filter(productcategory__slug__in=categories, tippage__live=True)
        .select_related("tippage", "productcategory")
        .order_by("-tippage__first_published_at", "-tippage_id")
    )
    tips = defaultdict(list)
    for link in links:
        tips[link.productcategory.slug].append(link.tippage)
    return tips


def fill(text: str, reader: Reader, *, html: bool = False) -> str:
    """Replace {first_name}, {balance} and {currency} in an editor's text for this member."""
    values = {
        "first_name": reader.member.first_name,
        "balance": str(reader.balance),
        "currency": ledger_settings().currency_name,
    }
    return PLACEHOLDER.sub(lambda match: escape(values[match[1]]) if html else values[match[1]], text)


def _absolute_links(html: str) -> str:
    return re.sub(r'href="/', f'href="{site_url("/")}', html)


def _page_url(page) -> str:
    url = page.get_url()
    return url if url and url.startswith("http") else site_url(url or "/")


def _rich(value) -> str:
    return _absolute_links(expand_db_html(value.source if hasattr(value, "source") else str(value)))


def compose(
    campaign: Campaign, reader: Reader, batch: Batch, rich_cache: dict | None = None
) -> Composed | Skipped:
    """This member's email, or why they are skipped (a block they have nothing for is required)."""
    rich_cache = {} if rich_cache is None else rich_cache
    sections = []
    for index, child in enumerate(campaign.body):
        kind, value = child.block_type, child.value
        if kind == "greeting":
            sections.append({"type": "greeting", "text": fill(value, reader)})
            continue
        if kind == "text":
            if index not in rich_cache:
                rich_cache[index] = _rich(value)
            sections.append({"type": "text", "html": fill(rich_cache[index], reader, html=True)})
            continue
        if kind == "button":
            url = _page_url(value["page"]) if value.get("page") else value["url"]
            sections.append({"type": "button", "label": fill(value["label"], reader), "url": url})
            continue
        section = _personal_section(kind, value, reader, batch)
        if section is None:
            if value["if_empty"] == "skip":
                return Skipped(_("nothing for the block '%(block)s'") % {"block": child.block.label})
            if value["if_empty"] == "fallback" and value.get("fallback") and value["fallback"].source:
                cache_key = f"fallback-{index}"
                if cache_key not in rich_cache:
                    rich_cache[cache_key] = _rich(value["fallback"])
                sections.append(
                    {
                        "type": "fallback",
                        "heading": value.get("heading", ""),
                        "html": fill(rich_cache[cache_key], reader, html=True),
                    }
                )
            continue
        sections.append(section)
    return Composed(
        subject=fill(campaign.subject, reader), preheader=fill(campaign.preheader, reader), sections=sections
    )


def _personal_section(kind: str, value, reader: Reader, batch: Batch) -> dict | None:
    if kind == "balance":
        amount, first = reader.expiring_within(batch.now, value["expiring_within_days"])
        if not amount:
            return None
        return {"type": "balance", "balance": reader.balance, "expiring": amount, "expiring_at": first}
    if kind == "tips":
        items = []
        for category in reader.categories_since(batch.now - timedelta(days=value["purchased_within_days"])):
            for page in batch.tips.get(category, []):
                if page not in items:
                    items.append(page)
        items = items[: value["count"]]
        if not items:
            return None
        return {
            "type": "tips",
            "heading": value["heading"],
            "items": [{"title": page.title, "text": page.summary, "url": _page_url(page)} for page in items],
        }
    if kind == "community":
        posts = []
        if value["source"] == "topics":
            for category in reader.categories_since(batch.now - timedelta(days=COMMUNITY_DAYS)):
                posts += [post for post in batch.posts.get(category, []) if post not in posts]
        posts += [post for post in batch.featured if post not in posts]
        posts = posts[: value["count"]]
        if not posts:
            return None
        return {"type": "community", "heading": value["heading"], "items": posts}
    if kind == "rewards":
        affordable = [reward for reward in batch.rewards if reward.cost <= reader.spendable][: value["count"]]
        if not affordable:
            return None
        return {
            "type": "rewards",
            "heading": value["heading"],
            "items": [
                {
                    "title": reward.title,
                    "cost": reward.cost,
                    "url": site_url(reverse("loyalty:redeem", args=[reward.pk])),
                }
                for reward in affordable
            ],
        }
    return None
