"""The hourly post limit and the Likes cap hold when a member's requests race (PostgreSQL)."""

import pytest

from community.exceptions import RateLimited
from community.models import CommunitySettings, Post
from tests.community.conftest import write
from tests.concurrency import THREADS, run_in_threads, skip_unless_postgres
from tests.factories import ActionRuleFactory, MemberFactory
from tests.loyalty.ledger.helpers import assert_ledger_consistent, balance_of
from tests.site_settings import set_site_setting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_racing_posts_never_exceed_the_hourly_limit_or_the_daily_likes_cap():
    set_site_setting(CommunitySettings, posts_per_hour=3)
    ActionRuleFactory(trigger="post", likes=10, cap_per_day=20)
    author = MemberFactory()
    refused = []

    def post(index):
        try:
            write(author, title=f"Post {index}")
        except RateLimited as refusal:
            refused.append(refusal)

    errors = run_in_threads(post)

    assert errors == []
    assert Post.objects.count() == 3 and len(refused) == THREADS - 3
    assert balance_of(author) == 20
    assert_ledger_consistent()
