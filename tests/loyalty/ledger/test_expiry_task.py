"""The expiry job runs as a background task and from manage.py loyalty_expire."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from loyalty.ledger import services
from loyalty.ledger.tasks import expire_due_lots

from .helpers import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_likes(member):
    now = timezone.now()
    services.earn(
        member=member, amount=25, available_at=now - timedelta(days=20), expires_at=now - timedelta(days=1)
    )
    return member


def test_the_enqueued_task_expires_due_likes_once(due_likes):
    first = expire_due_lots.enqueue()
    second = expire_due_lots.enqueue()

    assert (first.return_value, second.return_value) == (25, 0)
    assert balance_of(due_likes) == 0


def test_loyalty_expire_command_reports_what_it_expired(due_likes, capsys):
    call_command("loyalty_expire")

    assert "Expired 25 Likes." in capsys.readouterr().out
    assert balance_of(due_likes) == 0


def test_loyalty_expire_can_put_the_job_on_the_queue(due_likes, capsys):
    call_command("loyalty_expire", "--enqueue")

    assert "Enqueued expiry task" in capsys.readouterr().out
    assert balance_of(due_likes) == 0  # the test settings run tasks immediately
