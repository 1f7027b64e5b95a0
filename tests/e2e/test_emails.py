"""A member chooses their emails on /account/emails/ and unsubscribes from a received email (real browser)."""

import re

import pytest
from django.core import mail

from fixtures import campaigns
from loyalty.emails import services
from loyalty.emails.models import EmailOptOut
from loyalty.members.services import set_marketing_consent
from tests.e2e.test_sharing import log_in
from tests.loyalty.emails.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_chooses_kinds_and_unsubscribes_from_an_email_in_one_click(page, member, live_server):
    set_marketing_consent(member=member, consent=True)
    log_in(page, member)
    page.get_by_role("link", name="Emails").click()
    page.get_by_label("News and offers").uncheck()
    page.get_by_role("button", name="Save").click()
    assert "Your email choices are saved." in page.get_by_test_id("message").first.inner_text()
    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == ["news"]

    campaign = make_campaign([campaigns.greeting()], kind="tips")
    services.launch(campaign)
    services.deliver_batch(campaign.pk)
    link = re.search(r"(/emails/unsubscribe/[^/]+/)", mail.outbox[0].body)[1]
    page.goto(live_server.url + link)
    assert (
        "Stop emails about “Tips and ideas for what you bought”?"
        in page.get_by_test_id("unsubscribe").inner_text()
    )
    page.get_by_role("button", name="Yes, unsubscribe").click()

    assert "no more emails about" in page.get_by_test_id("unsubscribe").inner_text()
    assert set(EmailOptOut.objects.values_list("kind", flat=True)) == {"news", "tips"}
