"""manage.py loyalty_demo: demo logins, a demo member with a readable history, and months of activity.

Safe to run again: it creates only what is missing, and prints the logins every time.
"""

import json
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from community import moderation
from community import services as community
from community.models import CommunityIndexPage, Post
from fixtures import campaigns as blocks
from fixtures import synthetic
from loyalty.emails.models import Campaign, Segment, TipPage
from loyalty.insights.models import FollowUpQuestion, Survey
from loyalty.insights.snapshots import month_end_before, roll_up_likes, take_snapshot
from loyalty.ledger import services
from loyalty.members.mail import site_url
from loyalty.members.models import Member
from loyalty.members.services import enrol_member
from loyalty.rewards.models import Reward
from loyalty.rules.models import CategoryMultiplier, EarningRule, ProductCategory
from loyalty.rules.services import PurchaseItemData, record_purchase

CATEGORIES = [("plants", "Plants"), ("pots", "Pots"), ("tools", "Garden tools"), ("care", "Plant care")]
ACTION_RULES = [
    ("signup", 50, {}),
    ("first_purchase", 100, {}),
    ("post", 10, {"cap_per_day": 30}),
    ("comment", 2, {"cap_per_day": 10}),
    ("survey", 25, {"cap_per_month": 50}),
    ("referral", 250, {}),
    ("birthday", 100, {"valid_days": 15}),
]
REWARDS = [
    ("Coffee for two", 200, None, "Two cups at our garden café."),
    ("Cinema tickets", 800, 25, "Two tickets for any film at the local cinema."),
    ("Plant a tree", 500, None, "We plant a tree in your name with our partner foundation."),
    ("Workshop: repotting", 1500, 8, "A hands-on evening with our head gardener."),
]

TIPS = [
    (
        "plants",
        "Water less in winter",
        "Most houseplants rest from November: let the soil dry out between waterings.",
    ),
    (
        "plants",
        "Bright but not burning",
        "East or west windows suit most plants; keep ferns out of the afternoon sun.",
    ),
    (
        "pots",
        "Always a hole in the bottom",
        "Standing water rots roots: use a pot with drainage, or a grower pot inside.",
    ),
    (
        "tools",
        "Clean shears, healthy plants",
        "Wipe your shears with alcohol between plants so diseases do not travel.",
    ),
    (
        "care",
        "Feed in the growing season",
        "Give half-strength food every two weeks from March to September.",
    ),
]

ADMIN = ("admin", "admin@example.com", "demo-admin-pass")
EDITOR = ("editor@example.com", "demo-editor-pass")
ANNA = ("anna@example.com", "demo-member-pass")
BRAM = ("bram@example.com", "demo-member-pass")
EDITOR_PERMISSIONS = [
    "access_admin",
    "view_member",
    "change_member",
    "change_ledgersettings",
    *[
        f"{action}_{model}"
        for action in ("add", "change", "view")
        for model in ("earningrule", "productcategory", "reward")
    ],
    "view_purchase",
    "view_redemption",
    "change_redemption",
    "view_share",
    "change_sharingpolicy",
    "change_discountpolicy",
    "add_image",
    "choose_image",
    # The community: moderation queue, posts, comments, suspensions and its settings.
    "view_post",
    "change_post",
    "view_comment",
    "change_comment",
    "view_suspension",
    "add_suspension",
    "change_suspension",
    "change_communitysettings",
    # Personal emails: campaigns, segments, the email log and settings; tip pages in the page tree.
    *[f"{action}_{model}" for action in ("add", "change", "view") for model in ("campaign", "segment")],
    "view_send",
    "change_emailsettings",
    "change_personasettings",
    # Insights: the Insights page and KPI panel (view survey answers), surveys and their settings.
    "view_surveyresponse",
    *[f"{action}_survey" for action in ("add", "change", "view")],
    "change_surveysettings",
    "change_engagementsettings",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300)
        parser.add_argument("--months", type=int, default=6)

    def handle(self, *args, members, months, **options):
        User = get_user_model()
        with transaction.atomic():
            if not User.objects.filter(username=ADMIN[0]).exists():
                User.objects.create_superuser(ADMIN[0], ADMIN[1], ADMIN[2])
            editor, created = User.objects.get_or_create(
                username=EDITOR[0],
                defaults={"email": EDITOR[0], "first_name": "Eva", "is_staff": False},
            )
            if created:
                editor.set_password(EDITOR[1])
                editor.save()
            group, _ = Group.objects.get_or_create(name="Loyalty editors")
            group.permissions.add(*Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))
            editor.groups.add(group)
            if not EarningRule.objects.exists():
                self._program()
            if not Member.objects.filter(user__email=ANNA[0]).exists():
                self._demo_members(editor)
            if not CommunityIndexPage.objects.exists():
                self._community(editor)
            if not Campaign.objects.exists():
                self._emails()
        if Member.objects.count() < members:
            synthetic.seed(members=members, months=months, seed=2026, progress=False)
        if not Survey.objects.exists():
            self._insights()
        self.stdout.write(self.style.SUCCESS("\nDemo logins (for this local demo only):"))
        self.stdout.write(f"  Wagtail admin   http://127.0.0.1:8000/admin/   {ADMIN[0]} / {ADMIN[2]}")
        self.stdout.write(f"  Editor          http://127.0.0.1:8000/admin/   {EDITOR[0]} / {EDITOR[1]}")
        self.stdout.write(f"  Member          http://127.0.0.1:8000/account/ {ANNA[0]} / {ANNA[1]}")
        self.stdout.write(f"  Another member  http://127.0.0.1:8000/account/ {BRAM[0]} / {BRAM[1]}")
        self.stdout.write("  Community       http://127.0.0.1:8000/community/\n")

    def _insights(self):
        """Surveys an editor would set up, answers from the synthetic members, and the nightly roll-ups,
        so the Insights page and the home-screen panel have something to show at once."""
        nps = Survey.objects.create(
            name="NPS after a purchase", kind="nps", touchpoint="purchase", is_active=True
        )
        FollowUpQuestion.objects.create(survey=nps, text="What is the main reason for your score?")
        Survey.objects.create(
            name="Effort after a support contact", kind="ces", touchpoint="support", is_active=True
        )
        synthetic.seed_answers(seed=2026)
        yesterday = timezone.localdate() - timedelta(days=1)
        start = yesterday - timedelta(days=89)  # the Insights page's default period starts the day after
        for day in sorted({start, month_end_before(yesterday), yesterday}):  # what the nightly job keeps
            take_snapshot(day)
        roll_up_likes()

    def _program(self):
        """The example program from DOMAIN.md: 10 Likes per euro, bonuses for actions, a few rewards."""
        ProductCategory.objects.bulk_create(
            [ProductCategory(name=name, slug=slug) for slug, name in CATEGORIES], ignore_conflicts=True
        )
        purchase_rule = EarningRule.objects.create(
            name="10 Likes per euro", trigger="purchase", likes_per_unit=10, pending_days=14
        )
        CategoryMultiplier.objects.create(
            rule=purchase_rule, category=ProductCategory.objects.get(slug="plants"), multiplier=2
        )
        for trigger, likes, extra in ACTION_RULES:
            EarningRule.objects.create(
                name=f"{likes} Likes: {trigger}", trigger=trigger, likes=likes, **extra
            )
        for title, cost, stock, description in REWARDS:
            Reward.objects.create(title=title, cost=cost, stock=stock, description=description)

    def _demo_members(self, editor):
        now = timezone.now()
        anna = enrol_member(
            email=ANNA[0],
            password=ANNA[1],
            first_name="Anna",
            last_name="de Vries",
            locale="en",
            marketing_consent=True,
            joined_at=now - timedelta(days=120),
        )
        bram = enrol_member(
            email=BRAM[0],
            password=BRAM[1],
            first_name="Bram",
            last_name="Jansen",
            locale="nl",
            joined_at=now - timedelta(days=60),
        )
        services.earn(
            member=anna,
            amount=450,
            metadata={"partner": "Shop Amsterdam"},
            available_at=now - timedelta(days=90),
            expires_at=now + timedelta(days=20),
        )
        services.earn(
            member=anna,
            amount=120,
            description="Birthday bonus",
            available_at=now - timedelta(days=10),
            expires_at=now + timedelta(days=5),
        )
        services.earn(member=bram, amount=300, metadata={"partner": "Webshop"})
        services.transfer(sender=anna, receiver=bram, amount=50, message="For your first order!")
        services.transfer(sender=bram, receiver=anna, amount=20, message="Thanks for the tip!")
        services.redeem(member=anna, amount=250, description="Cinema ticket")
        services.adjust(member=anna, amount=30, reason="Receipt from the offline till", editor=editor)
        record_purchase(
            member=anna,
            partner="Webshop",
            order_reference="DEMO-1001",
            amount="18.00",
            currency="EUR",
            items=[
                PurchaseItemData(sku="MONSTERA-S", category="plants", quantity=1, unit_price=Decimal("18.00"))
            ],
        )

    def _community(self, editor):
        """A community page at /community/ with a featured post, a comment, a heart and a tip."""
        site = Site.objects.filter(is_default_site=True).first()
        root = site.root_page if site else Page.get_first_root_node()
        page = CommunityIndexPage(
            title="Community", slug="community", intro="<p>Tips and stories from our members.</p>"
        )
        root.add_child(instance=page)
        page.save_revision().publish()
        anna = Member.objects.get(user__email=ANNA[0])
        bram = Member.objects.get(user__email=BRAM[0])
        plants = ProductCategory.objects.filter(slug="plants").first()
        post = community.write_post(
            author=bram,
            title="How I keep my Monstera happy",
            body="Water only when the top **3 cm** of soil is dry, and give it bright, indirect light.",
            topic=plants,
        )
        community.write_post(
            author=anna,
            title="Repotting without the mess",
            body=(
                "Put an old shower curtain on the table first. Then:\n\n"
                "1. Water the day before\n2. Loosen the roots"
            ),
            topic=ProductCategory.objects.filter(slug="pots").first(),
        )
        community.write_comment(
            post=post, author=anna, body="Thank you, mine had yellow leaves from too much water!"
        )
        community.toggle_heart(member=anna, post=post)
        community.tip_author(post=post, sender=anna, amount=10)
        moderation.set_featured(post=Post.objects.get(pk=post.pk), moderator=editor, featured=True)

    def _emails(self):
        """Tip pages per category, a segment, and three campaigns: two lifecycle ones active, one draft."""
        site = Site.objects.filter(is_default_site=True).first()
        root = site.root_page if site else Page.get_first_root_node()
        for slug, title, summary in TIPS:
            page = TipPage(title=title, slug=slugify(title), summary=summary)
            root.add_child(instance=page)
            page.categories.add(ProductCategory.objects.get(slug=slug))
            page.save_revision().publish()
        plant_lovers = Segment.objects.create(name="Plant lovers (bought plants this year)")
        plant_lovers.purchased_categories.add(ProductCategory.objects.get(slug="plants"))
        Campaign.objects.create(
            name="Care tips a week after a plant purchase",
            kind="tips",
            subject="{first_name}, keep your new plant happy",
            preheader="Three tips for what you just bought",
            body=json.dumps(
                [
                    blocks.greeting(),
                    blocks.text("<p>A week in: this is when new plants need a little care.</p>"),
                    blocks.tips("Tips for what you bought"),
                    blocks.community("What other members say", count=2),
                ]
            ),
            segment=plant_lovers,
            trigger=Campaign.Trigger.AFTER_PURCHASE,
            days=7,
            category=ProductCategory.objects.get(slug="plants"),
            status=Campaign.Status.ACTIVE,
        )
        Campaign.objects.create(
            name="Likes about to expire",
            kind="likes",
            subject="{first_name}, your Likes expire soon",
            body=json.dumps(
                [
                    blocks.greeting(),
                    blocks.balance(days=14, if_empty="skip"),
                    blocks.rewards("Spend them on"),
                    blocks.button("See all rewards", site_url(reverse("loyalty:rewards"))),
                ]
            ),
            trigger=Campaign.Trigger.BEFORE_EXPIRY,
            days=14,
            status=Campaign.Status.ACTIVE,
        )
        Campaign.objects.create(
            name="Spring newsletter (draft)",
            kind="news",
            subject="Spring is here, {first_name}",
            body=json.dumps(
                [
                    blocks.greeting(),
                    blocks.text("<p>The new season's plants are in.</p>"),
                    blocks.tips("Tips for what you bought", if_empty="hide"),
                ]
            ),
        )
