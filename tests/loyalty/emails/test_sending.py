"""Sending: each trigger queues the right members once; delivery is idempotent, survives a dying
worker, respects consent and the weekly cap, and records failures."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from loyalty.emails import services
from loyalty.emails.models import Campaign, EmailOptOut, EmailSettings, Send
from loyalty.emails.tasks import deliver_campaign
from loyalty.ledger import services as ledger
from loyalty.members.services import set_marketing_consent
from tests.loyalty.emails.conftest import buy, consenting_member, make_campaign
from tests.site_settings import set_site_setting

pytestmark = pytest.mark.django_db

SIMPLE = [{"type": "greeting", "value": "Hello {first_name},"}, {"type": "text", "value": "<p>News.</p>"}]


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def launch_now(campaign):
    services.launch(campaign)
    return services.deliver_batch(campaign.pk)


# --------------------------------------------------------------------------- triggers


def test_send_now_queues_the_audience_and_delivers_each_member_once(django_capture_on_commit_callbacks):
    members = [consenting_member() for _ in range(3)]
    campaign = make_campaign(SIMPLE, kind="news")

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.launch(campaign)

    assert queued == 3
    assert recipients() == sorted(member.user.email for member in members)
    assert set(Send.objects.values_list("state", flat=True)) == {"sent"}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE


def test_a_scheduled_campaign_waits_for_its_time_and_sends_once():
    consenting_member()
    campaign = make_campaign(
        SIMPLE, kind="news", trigger="scheduled", send_at=timezone.now() + timedelta(hours=2)
    )
    services.launch(campaign)

    assert services.run_due() == 0
    assert services.run_due(now=timezone.now() + timedelta(hours=3)) == 1
    assert services.run_due(now=timezone.now() + timedelta(hours=4)) == 0


def test_after_purchase_in_a_category_waits_n_days_and_ignores_other_categories(categories):
    plant_buyer, pot_buyer = consenting_member(), consenting_member()
    buy(plant_buyer, "plants", days_ago=3)
    buy(pot_buyer, "pots", days_ago=3)
    too_recent = consenting_member()
    buy(too_recent, "plants", days_ago=1)
    campaign = make_campaign(SIMPLE, trigger="after_purchase", days=3, category=categories["plants"])
    services.launch(campaign)

    services.run_due()
    services.run_due()  # the scheduler runs again: nothing twice

    assert list(Send.objects.values_list("member_id", flat=True)) == [plant_buyer.pk]
    assert Send.objects.get().occasion.startswith("purchase:")


def test_before_expiry_queues_members_with_likes_expiring_within_n_days():
    soon, later = consenting_member(), consenting_member()
    ledger.earn(member=soon, amount=50, expires_at=timezone.now() + timedelta(days=5))
    ledger.earn(member=later, amount=50, expires_at=timezone.now() + timedelta(days=60))
    services.launch(make_campaign(SIMPLE, kind="likes", trigger="before_expiry", days=7))

    services.run_due()

    assert list(Send.objects.values_list("member_id", flat=True)) == [soon.pk]


def test_a_welcome_series_greets_members_n_days_after_joining():
    newcomer, veteran = consenting_member(), consenting_member()
    newcomer.joined_at = timezone.now() - timedelta(days=3, hours=1)
    newcomer.save(update_fields=["joined_at"])
    veteran.joined_at = timezone.now() - timedelta(days=300)
    veteran.save(update_fields=["joined_at"])
    day_zero = make_campaign(SIMPLE, name="Welcome", trigger="welcome", days=0)
    day_three = make_campaign(SIMPLE, name="Welcome 2", trigger="welcome", days=3)
    services.launch(day_zero)
    services.launch(day_three)

    services.run_due()

    assert set(Send.objects.filter(campaign=day_three).values_list("member_id", flat=True)) == {newcomer.pk}
    assert not Send.objects.filter(member=veteran).exists()


def test_win_back_reaches_members_without_a_purchase_for_n_days_once_per_lapse(categories):
    lapsed, active = consenting_member(), consenting_member()
    buy(lapsed, "plants", days_ago=100)
    buy(active, "plants", days_ago=10)
    campaign = make_campaign(SIMPLE, trigger="win_back", days=60)
    services.launch(campaign)

    services.run_due()
    services.run_due(now=timezone.now() + timedelta(days=1))

    assert list(Send.objects.values_list("member_id", flat=True)) == [lapsed.pk]


def test_a_paused_lifecycle_campaign_queues_nothing():
    member = consenting_member()
    ledger.earn(member=member, amount=50, expires_at=timezone.now() + timedelta(days=5))
    campaign = make_campaign(SIMPLE, trigger="before_expiry", days=7)
    services.launch(campaign)
    services.pause(campaign)

    assert services.run_due() == 0


def test_launching_twice_is_refused_and_a_lifecycle_campaign_needs_its_days():
    from django.core.exceptions import ValidationError

    from loyalty.emails.exceptions import CampaignError

    campaign = make_campaign(SIMPLE)
    services.launch(campaign)
    with pytest.raises(CampaignError):
        services.launch(campaign)
    with pytest.raises(ValidationError):
        Campaign(name="x", subject="x", body="[]", trigger="win_back", days=0).clean()


# --------------------------------------------------------------------------- delivery


def test_delivering_twice_sends_nothing_twice():
    consenting_member()
    consenting_member()
    campaign = make_campaign(SIMPLE)
    services.launch(campaign)

    deliver_campaign.call(campaign.pk)
    deliver_campaign.call(campaign.pk)

    assert len(mail.outbox) == 2


class DiesOnThirdMessage(EmailBackend):
    """A worker that dies (as on SIGKILL or an out-of-memory kill) while sending the third message."""

    calls = 0

    def send_messages(self, messages):
        DiesOnThirdMessage.calls += 1
        if DiesOnThirdMessage.calls == 3:
            raise SystemExit("worker killed")
        return super().send_messages(messages)


def test_a_worker_dying_mid_batch_loses_nobody_and_sends_nobody_twice(
    settings, django_capture_on_commit_callbacks
):
    members = [consenting_member() for _ in range(5)]
    campaign = make_campaign(SIMPLE)
    services.launch(campaign)
    settings.EMAIL_BACKEND = "tests.loyalty.emails.test_sending.DiesOnThirdMessage"
    DiesOnThirdMessage.calls = 0

    with pytest.raises(SystemExit):
        services.deliver_batch(campaign.pk)
    assert len(mail.outbox) == 2
    assert Send.objects.filter(state="queued").count() == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.run_due()  # the scheduler's next round restarts delivery

    assert recipients() == sorted(member.user.email for member in members)
    assert Send.objects.filter(state="sent").count() == 5


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_refused_message_is_recorded_as_failed_and_can_be_retried(settings):
    consenting_member()
    campaign = make_campaign(SIMPLE)
    services.launch(campaign)
    settings.EMAIL_BACKEND = "tests.loyalty.emails.test_sending.RefusingBackend"

    services.deliver_batch(campaign.pk)

    send = Send.objects.get()
    assert send.state == "failed" and "mail server down" in send.reason
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.retry_failed(campaign) == 1
    services.deliver_batch(campaign.pk)
    assert Send.objects.get().state == "sent" and len(mail.outbox) == 1


def test_the_weekly_cap_holds_across_campaigns():
    set_site_setting(EmailSettings, weekly_cap=2)
    member = consenting_member()
    for n in range(3):
        launch_now(make_campaign(SIMPLE, name=f"Campaign {n}"))

    assert len(mail.outbox) == 2
    skipped = Send.objects.get(state="skipped")
    assert "weekly limit of 2" in skipped.reason and skipped.member == member


def test_consent_withdrawn_after_queueing_means_no_email():
    member = consenting_member()
    campaign = make_campaign(SIMPLE)
    services.launch(campaign)
    set_marketing_consent(member=member, consent=False)

    services.deliver_batch(campaign.pk)

    assert mail.outbox == []
    assert Send.objects.get().reason == "no consent to personal emails"


def test_an_opt_out_after_queueing_means_no_email_of_that_kind():
    member = consenting_member()
    campaign = make_campaign(SIMPLE, kind="news")
    services.launch(campaign)
    EmailOptOut.objects.create(member=member, kind="news")

    services.deliver_batch(campaign.pk)

    assert mail.outbox == []


def test_members_without_content_for_a_required_block_are_skipped_with_the_reason(tip_pages):
    with_tips, without = consenting_member(), consenting_member()
    buy(with_tips, "plants")
    launch_now(make_campaign())

    assert recipients() == [with_tips.user.email]
    assert "Tips for what you bought" in Send.objects.get(member=without).reason


def test_every_message_has_one_click_unsubscribe_headers_and_a_text_part():
    consenting_member()
    launch_now(make_campaign(SIMPLE))

    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = settings.WAGTAILADMIN_BASE_URL + reverse("loyalty:email_unsubscribe", args=["x"])[:-2]
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{unsubscribe}")
    assert "News." in message.body and message.alternatives[0][1] == "text/html"


def statements(captured) -> int:
    """Queries, leaving out the savepoints a test's surrounding transaction adds to each atomic block."""
    return sum(1 for query in captured.captured_queries if "SAVEPOINT" not in query["sql"])


def test_delivery_queries_are_constant_per_member(django_assert_max_num_queries, tip_pages):
    set_site_setting(EmailSettings, weekly_cap=10)
    members = [consenting_member() for _ in range(31)]
    for member in members:
        buy(member, "plants")
    warm_up, first, second = make_campaign(name="W"), make_campaign(name="A"), make_campaign(name="B")
    services.queue_sends(warm_up, [(members[30].pk, "")])
    services.queue_sends(first, ((member.pk, "") for member in members[:5]))
    services.queue_sends(second, ((member.pk, "") for member in members[:30]))
    services.deliver_batch(warm_up.pk)  # fills the per-process caches (site, settings)

    with django_assert_max_num_queries(100) as five:
        services.deliver_batch(first.pk)
    with django_assert_max_num_queries(200) as thirty:
        services.deliver_batch(second.pk)

    per_member = (statements(thirty) - statements(five)) / 25
    assert per_member == 2  # lock the row, record the outcome; the data comes per batch
    assert len(mail.outbox) == 36
