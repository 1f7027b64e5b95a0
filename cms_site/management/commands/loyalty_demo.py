"""manage.py loyalty_demo: demo logins, a demo member with a readable history, and months of activity.

Safe to run again: it creates only what is missing, and prints the logins every time.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from fixtures import synthetic
from loyalty.ledger import services
from loyalty.members.models import Member
from loyalty.members.services import enrol_member

ADMIN = ("admin", "admin@example.com", "demo-admin-pass")
EDITOR = ("editor@example.com", "demo-editor-pass")
ANNA = ("anna@example.com", "demo-member-pass")
BRAM = ("bram@example.com", "demo-member-pass")
EDITOR_PERMISSIONS = ["access_admin", "view_member", "change_member", "change_ledgersettings"]


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
            if not Member.objects.filter(user__email=ANNA[0]).exists():
                self._demo_members(editor)
        if Member.objects.count() < members:
            synthetic.seed(members=members, months=months, seed=2026, progress=False)
        self.stdout.write(self.style.SUCCESS("\nDemo logins (for this local demo only):"))
        self.stdout.write(f"  Wagtail admin   http://127.0.0.1:8000/admin/   {ADMIN[0]} / {ADMIN[2]}")
        self.stdout.write(f"  Editor          http://127.0.0.1:8000/admin/   {EDITOR[0]} / {EDITOR[1]}")
        self.stdout.write(f"  Member          http://127.0.0.1:8000/account/ {ANNA[0]} / {ANNA[1]}")
        self.stdout.write(f"  Another member  http://127.0.0.1:8000/account/ {BRAM[0]} / {BRAM[1]}\n")

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
        services.earn(
            member=anna,
            amount=180,
            metadata={"partner": "Webshop"},
            available_at=now + timedelta(days=12),
        )
