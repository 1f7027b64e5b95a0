"""manage.py loyalty_daily runs expiry, birthdays and unclaimed-share returns, each once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from loyalty.ledger import services as ledger
from loyalty.sharing.models import Share
from loyalty.sharing.services import share_likes
from tests.factories import ActionRuleFactory
from tests.loyalty.ledger.helpers import balance_of

pytestmark = pytest.mark.django_db


def run_daily() -> str:
    out = StringIO()
    call_command("loyalty_daily", stdout=out)
    return out.getvalue()


def test_the_daily_jobs_expire_celebrate_and_return(member, other_member):
    now = timezone.now()
    ledger.earn(member=other_member, amount=7, available_at=now - timedelta(days=400), expires_at=now)
    ActionRuleFactory(trigger="birthday", likes=50)
    member.birth_date = timezone.localdate().replace(year=1984)  # a leap year: any day is a date
    member.save()
    ledger.earn(member=member, amount=30)
    share = share_likes(sender=member, receiver_email="friend@example.com", amount=30)
    Share.objects.filter(pk=share.pk).update(created_at=now - timedelta(days=31))

    report = run_daily()

    assert "Expired 7 Likes." in report
    assert "Gave birthday Likes to 1 members." in report
    assert "Returned 1 unclaimed shares" in report
    assert balance_of(member) == 80
    again = run_daily()
    assert "Expired 0 Likes." in again and "to 0 members" in again and "Returned 0" in again
    assert balance_of(member) == 80
