"""Workers delivering the same campaign side by side send each member one email (PostgreSQL)."""

import pytest
from django.core import mail

from loyalty.emails import services
from loyalty.emails.models import Send
from tests.concurrency import run_in_threads, skip_unless_postgres
from tests.loyalty.emails.conftest import consenting_member, make_campaign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_eight_workers_on_one_campaign_send_each_member_exactly_once():
    members = [consenting_member() for _ in range(40)]
    campaign = make_campaign([{"type": "greeting", "value": "Hello {first_name},"}])
    services.launch(campaign)

    errors = run_in_threads(lambda index: services.deliver_batch(campaign.pk, limit=40))

    assert errors == []
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        member.user.email for member in members
    )
    assert Send.objects.filter(state="sent").count() == 40
