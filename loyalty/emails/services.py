"""Who gets a campaign, when, and the sending itself.

Sending is two steps. ``queue_*`` creates one ``Send`` row per member and occasion (a unique key,
so a trigger that runs twice queues nothing twice). ``deliver_batch`` then takes up to a batch of
queued rows, reads everything the campaign needs for them in a fixed number of queries, and for
each member locks their row (``FOR UPDATE SKIP LOCKED``), sends, and marks it sent in one
transaction. A second worker skips rows another holds; a worker that dies mid-batch rolls back
only the message it was on, which stays queued for the next run. So a member never gets the
same campaign twice for one occasion, and nobody queued is lost. The one gap no database can
close: a crash after the mail server accepted a message and before the commit sends that one
message again on the next run.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.ledger.conf import default_site_setting
from loyalty.ledger.models import Entry, Lot
from loyalty.members.mail import render_templated_email, site_url
from loyalty.members.models import Member
from loyalty.rules.models import Purchase, PurchaseItem

from .exceptions import CampaignError
from .models import Campaign, EmailKind, EmailOptOut, EmailSettings, Segment, Send
from .personalise import Composed, compose, load_batch
from .rendering import build_message, unsubscribe_link

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "loyalty.emails.unsubscribe"
CATCH_UP_DAYS = 2  # lifecycle triggers also pick up occasions a stopped scheduler missed


def batch_size() -> int:
    return getattr(settings, "LOYALTY_EMAIL_BATCH_SIZE", 500)


def email_settings() -> EmailSettings:
    return default_site_setting(EmailSettings)


# --------------------------------------------------------------------------- audiences


def engaged_members(since: datetime) -> QuerySet:
    """Members who earned, spent or shared Likes, or clicked an email, since ``since``."""
    from loyalty.insights.models import Activity

    ledger = Entry.objects.filter(account__member=OuterRef("pk"), journal__posted_at__gte=since)
    clicks = Activity.objects.filter(member=OuterRef("pk"), occurred_at__gte=since)
    return Member.objects.filter(Q(Exists(ledger)) | Q(Exists(clicks)))


def segment_members(segment: Segment | None, *, at: datetime | None = None) -> QuerySet:
    """Members who match ``segment`` now (every member when there is none), consent aside."""
    at = at or timezone.now()
    members = Member.objects.all()
    if segment is None:
        return members
    if segment.locale:
        members = members.filter(locale=segment.locale)
    if segment.joined_within_days is not None:
        members = members.filter(joined_at__gte=at - timedelta(days=segment.joined_within_days))
    if segment.min_balance is not None:
        members = members.filter(account__balance__gte=segment.min_balance)
    if segment.max_balance is not None:
        members = members.filter(account__balance__lte=segment.max_balance)
    categories = list(segment.purchased_categories.values_list("slug", flat=True)) if segment.pk else []
    if categories:
        bought = PurchaseItem.objects.filter(
            purchase__member=OuterRef("pk"),
            category__in=categories,
            purchase__occurred_at__gte=at - timedelta(days=segment.categories_within_days),
        )
        members = members.filter(Exists(bought))
    if segment.purchased_within_days is not None:
        recent = Purchase.objects.filter(
            member=OuterRef("pk"), occurred_at__gte=at - timedelta(days=segment.purchased_within_days)
        )
        members = members.filter(Exists(recent))
    if segment.no_purchase_for_days is not None:
        recent = Purchase.objects.filter(
            member=OuterRef("pk"), occurred_at__gte=at - timedelta(days=segment.no_purchase_for_days)
        )
        members = members.filter(~Exists(recent))
    if segment.engagement:
        since = at - timedelta(days=segment.engaged_within_days or 30)
        engaged = engaged_members(since).filter(pk=OuterRef("pk"))
        members = members.filter(Exists(engaged) if segment.engagement == "engaged" else ~Exists(engaged))
    if segment.personas:
        from loyalty.insights.personas import in_personas

        members = members.filter(
            pk__in=in_personas(Member.objects.all(), segment.personas, at=at).values("pk")
        )
    return members


def reachable(kind: str) -> QuerySet:
    """Members we may send ``kind`` marketing email to: current, consented, not opted out."""
    opted_out = EmailOptOut.objects.filter(member=OuterRef("pk"), kind=kind)
    return (
        Member.objects.active()
        .filter(marketing_consent=True)
        .exclude(user__email="")
        .filter(~Exists(opted_out))
    )


def audience(campaign: Campaign, *, at: datetime | None = None) -> QuerySet:
    return reachable(campaign.kind).filter(pk__in=segment_members(campaign.segment, at=at).values("pk"))


# --------------------------------------------------------------------------- queueing and triggers


def queue_sends(campaign: Campaign, occasions) -> int:
    """Queue ``(member_id, occasion)`` pairs; pairs queued before are ignored. Returns how many are new."""
    before = Send.objects.filter(campaign=campaign).count()
    chunk: list[Send] = []
    for member_id, occasion in occasions:
        chunk.append(Send(campaign=campaign, member_id=member_id, occasion=occasion))
        if len(chunk) >= 2000:
            Send.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Send.objects.bulk_create(chunk, ignore_conflicts=True)
    return Send.objects.filter(campaign=campaign).count() - before


def lifecycle_occasions(campaign: Campaign, *, now: datetime) -> QuerySet:
    """``(member_id, occasion)`` for a lifecycle campaign's members whose moment has come."""
    days = timedelta(days=campaign.days or 0)
    window_start = now - days - timedelta(days=CATCH_UP_DAYS)
    members = audience(campaign, at=now)
    if campaign.trigger == Campaign.Trigger.AFTER_PURCHASE:
        purchases = Purchase.objects.filter(
            member__in=members, occurred_at__gt=window_start, occurred_at__lte=now - days
        )
        if campaign.category_id:
            purchases = purchases.filter(items__category=campaign.category.slug)
        return (
            (member_id, f"purchase:{pk}")
            for member_id, pk in purchases.distinct().values_list("member_id", "pk").iterator()
        )
    if campaign.trigger == Campaign.Trigger.BEFORE_EXPIRY:
        lots = (
            Lot.objects.filter(
                account__member__in=members, remaining__gt=0, expires_at__gt=now, expires_at__lte=now + days
            )
            .values("account__member_id")
            .annotate(first=Min("expires_at"))
        )
        return ((row["account__member_id"], f"expiry:{row['first']:%Y-%m-%d}") for row in lots.iterator())
    if campaign.trigger == Campaign.Trigger.WELCOME:
        joined = members.filter(joined_at__gt=window_start, joined_at__lte=now - days)
        return ((member_id, "welcome") for member_id in joined.values_list("pk", flat=True).iterator())
    if campaign.trigger == Campaign.Trigger.WIN_BACK:
        lapsed = (
            members.annotate(last=Max("purchases__occurred_at"), last_pk=Max("purchases__pk"))
            .filter(last__isnull=False, last__lte=now - days)
            .values_list("pk", "last_pk")
        )
        return ((member_id, f"win-back:{last_pk}") for member_id, last_pk in lapsed.iterator())
    return iter(())


def launch(campaign: Campaign, *, user=None, now: datetime | None = None) -> int:
    """Start a campaign: "now" queues its audience at once; a scheduled or lifecycle one goes active.

    Returns how many messages were queued now.
    """
    now = now or timezone.now()
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.PAUSED):
        raise CampaignError(_("This campaign was already launched."))
    campaign.full_clean()
    campaign.launched_at, campaign.launched_by = now, user
    queued = 0
    with transaction.atomic():
        if campaign.trigger == Campaign.Trigger.NOW:
            campaign.status = Campaign.Status.DONE
            queued = queue_sends(
                campaign, ((pk, "") for pk in audience(campaign, at=now).values_list("pk", flat=True))
            )
        else:
            campaign.status = Campaign.Status.ACTIVE
        campaign.save(update_fields=["status", "launched_at", "launched_by"])
    if queued:
        _enqueue_delivery(campaign)
    return queued


def pause(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.ACTIVE:
        raise CampaignError(_("Only an active campaign can be paused."))
    campaign.status = Campaign.Status.PAUSED
    campaign.save(update_fields=["status"])


def run_due(*, now: datetime | None = None) -> int:
    """What the scheduler does every few minutes: queue scheduled and lifecycle campaigns whose moment
    has come, and (re)start delivery wherever messages wait. Safe to run as often as you like."""
    now = now or timezone.now()
    queued = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.ACTIVE):
        if campaign.trigger == Campaign.Trigger.SCHEDULED:
            if campaign.send_at and campaign.send_at <= now:
                queued += queue_sends(
                    campaign, ((pk, "") for pk in audience(campaign, at=now).values_list("pk", flat=True))
                )
                campaign.status = Campaign.Status.DONE
                campaign.save(update_fields=["status"])
        elif campaign.is_lifecycle:
            queued += queue_sends(campaign, lifecycle_occasions(campaign, now=now))
    waiting = Campaign.objects.filter(sends__state=Send.State.QUEUED).distinct()
    for campaign in waiting:
        _enqueue_delivery(campaign)
    return queued


def _enqueue_delivery(campaign: Campaign) -> None:
    from .tasks import deliver_campaign

    transaction.on_commit(lambda: deliver_campaign.enqueue(campaign.pk))


# --------------------------------------------------------------------------- delivery


def _sent_this_week(member_ids: list[int], now: datetime) -> dict[int, int]:
    rows = (
        Send.objects.filter(
            member_id__in=member_ids, state=Send.State.SENT, sent_at__gte=now - timedelta(days=7)
        )
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {row["member_id"]: row["n"] for row in rows}


def _why_not(member: Member, kind: str, opted_out: set[int], sent: dict[int, int], cap: int | None) -> str:
    if not member.is_active:
        return _("no longer a member")
    if not member.marketing_consent:
        return _("no consent to personal emails")
    if member.pk in opted_out:
        return _("unsubscribed from '%(kind)s' emails") % {"kind": kind}
    if not member.user.email:
        return _("no email address")
    if cap is not None and sent.get(member.pk, 0) >= cap:
        return _("weekly limit of %(cap)d emails reached") % {"cap": cap}
    return ""


def deliver_batch(campaign_id: int, *, limit: int | None = None, now: datetime | None = None) -> int:
    """Send up to ``limit`` queued messages of a campaign. Returns how many rows were settled."""
    now = now or timezone.now()
    campaign = Campaign.objects.get(pk=campaign_id)
    rows = list(
        Send.objects.filter(campaign=campaign, state=Send.State.QUEUED)
        .order_by("pk")
        .values_list("pk", "member_id", "occasion")[: limit or batch_size()]
    )
    if not rows:
        return 0
    member_ids = [member_id for _, member_id, _ in rows]
    members = list(Member.objects.filter(pk__in=member_ids).select_related("user", "account"))
    opted_out = set(
        EmailOptOut.objects.filter(member_id__in=member_ids, kind=campaign.kind).values_list(
            "member_id", flat=True
        )
    )
    sent = _sent_this_week(member_ids, now)
    config = email_settings()
    batch = load_batch(campaign, members, now=now)
    rich_cache: dict = {}
    settled = 0
    connection = get_connection()
    connection.open()
    try:
        for send_id, member_id, _occasion in rows:
            reader = batch.readers[member_id]
            reason = _why_not(reader.member, campaign.kind, opted_out, sent, config.weekly_cap)
            message = None
            if not reason:
                composed = compose(campaign, reader, batch, rich_cache)
                if isinstance(composed, Composed):
                    message = build_message(
                        campaign, composed, reader.member, send_id=send_id, track=config.track_engagement
                    )
                else:
                    reason = composed.reason
            if _settle(send_id, message, reason, connection, now):
                settled += 1
                if message is not None:
                    sent[member_id] = sent.get(member_id, 0) + 1
    finally:
        connection.close()
    return settled


def _settle(send_id: int, message, reason: str, connection, now: datetime) -> bool:
    """Lock the queued row, send (or skip) it, record the outcome: all in one transaction."""
    with transaction.atomic():
        send = (
            Send.objects.select_for_update(skip_locked=True)
            .filter(pk=send_id, state=Send.State.QUEUED)
            .first()
        )
        if send is None:
            return False  # another worker holds it, or it was settled already
        if message is None:
            send.attempts += 1
            send.state, send.reason = Send.State.SKIPPED, reason[:300]
        else:
            _attempt(send, lambda: connection.send_messages([message]))
        send.save(update_fields=["state", "reason", "sent_at", "attempts"])
    return True


def _attempt(send: Send, deliver) -> None:
    """Call ``deliver`` for ``send`` and note the outcome on it (not saved): sent, or failed with why."""
    send.attempts += 1
    try:
        deliver()
    except Exception as error:  # any backend's error is this message's failure, not the caller's
        logger.warning("email send %s failed: %s", send.pk, error)
        send.state, send.reason = Send.State.FAILED, f"{type(error).__name__}: {error}"[:300]
    else:
        send.state, send.reason, send.sent_at = Send.State.SENT, "", timezone.now()


def retry_failed(campaign: Campaign) -> int:
    """Put a campaign's failed messages back in the queue (an editor's button after a mail outage)."""
    count = Send.objects.filter(campaign=campaign, state=Send.State.FAILED).update(
        state=Send.State.QUEUED, reason=""
    )
    if count:
        _enqueue_delivery(campaign)
    return count


# --------------------------------------------------------------------------- preview and test


def preview(campaign: Campaign, member: Member, *, now: datetime | None = None):
    """The email as ``member`` would get it now: ``(message, None)`` or ``(None, why they are skipped)``."""
    member = Member.objects.select_related("user", "account").get(pk=member.pk)
    batch = load_batch(campaign, [member], now=now)
    composed = compose(campaign, batch.readers[member.pk], batch)
    if not isinstance(composed, Composed):
        return None, composed.reason
    return build_message(campaign, composed, member, send_id=None, track=False), None


def send_test(campaign: Campaign, member: Member, *, to: str) -> str | None:
    """Send the preview for ``member`` to ``to`` (the editor). Returns why it cannot, or None."""
    message, reason = preview(campaign, member)
    if message is None:
        return reason
    message.to = [to]
    message.subject = f"[TEST] {message.subject}"
    message.send()
    return None


# ------------------------------------------------------------------- personal emails outside campaigns


def send_personal_email(member: Member, *, kind: str, template: str, context: dict, occasion: str) -> Send:
    """One personal email outside campaigns (a survey invitation), through the same rules as
    campaigns: only with consent and while the member wants ``kind``, in their language, with a
    one-click unsubscribe from ``kind`` (RFC 8058 headers and a link), and in the email log.

    Idempotent per (member, kind, occasion): an email sent once is not sent again; one skipped
    (no consent...) is tried again. Returns the log row: ``state`` says what happened.
    """
    with transaction.atomic():
        send, _created = Send.objects.select_for_update().get_or_create(
            campaign=None, member=member, kind=kind, occasion=occasion[:60]
        )
        if send.state == Send.State.SENT:
            return send
        opted_out = {member.pk} if EmailOptOut.objects.filter(member=member, kind=kind).exists() else set()
        send.reason = _why_not(member, kind, opted_out, {}, cap=None)
        if send.reason:
            send.state = Send.State.SKIPPED
            send.save(update_fields=["state", "reason"])
            return send
        unsubscribe_url, unsubscribe_headers = unsubscribe_link(member, kind, send.pk)
        message = render_templated_email(
            to=member.user.email,
            locale=member.locale,
            template=template,
            context={
                "member": member,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": site_url(reverse("loyalty:email_preferences")),
                **context,
            },
            headers=unsubscribe_headers,
        )
        send.subject = message.subject[:200]
        _attempt(send, message.send)
        send.save(update_fields=["subject", "attempts", "state", "reason", "sent_at"])
    return send


# --------------------------------------------------------------------------- unsubscribe and preferences


def unsubscribe_token(member: Member, kind: str, send_id: int | None = None) -> str:
    return signing.dumps({"m": member.pk, "k": kind, "s": send_id or 0}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Member, str, int | None]:
    """The member, kind and send a token stands for; ``CampaignError`` when it is not genuine."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member = Member.objects.select_related("user").get(pk=data["m"])
    except (signing.BadSignature, KeyError, TypeError, Member.DoesNotExist):
        raise CampaignError(_("This unsubscribe link is not valid.")) from None
    if data.get("k") not in EmailKind.values:
        raise CampaignError(_("This unsubscribe link is not valid."))
    return member, data["k"], data.get("s") or None


def unsubscribe(member: Member, kinds: list[str], *, send_id: int | None = None) -> None:
    """Stop ``kinds`` of email for ``member``. Idempotent."""
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(member=member, kind=kind) for kind in kinds], ignore_conflicts=True
    )
    if send_id:
        Send.objects.filter(pk=send_id, member=member, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )


def set_email_kinds(member: Member, wanted: list[str]) -> None:
    """The member's choice on /account/emails/: they get exactly the ``wanted`` kinds."""
    with transaction.atomic():
        EmailOptOut.objects.filter(member=member, kind__in=wanted).delete()
        unsubscribe(member, [kind for kind in EmailKind.values if kind not in wanted])


def wanted_kinds(member: Member) -> list[str]:
    opted_out = set(EmailOptOut.objects.filter(member=member).values_list("kind", flat=True))
    return [kind for kind in EmailKind.values if kind not in opted_out]


# --------------------------------------------------------------------------- engagement


def record_open(send_id: int) -> None:
    Send.objects.filter(pk=send_id, opened_at__isnull=True).update(opened_at=timezone.now())


def record_click(send_id: int, url: str) -> None:
    """A tracked link was followed: the send counts as opened and clicked, and insights gets an activity."""
    from loyalty.insights.services import record_activity

    send = Send.objects.filter(pk=send_id).select_related("member").first()
    if send is None:
        return
    now = timezone.now()
    Send.objects.filter(pk=send_id, opened_at__isnull=True).update(opened_at=now)
    Send.objects.filter(pk=send_id, clicked_at__isnull=True).update(clicked_at=now)
    about = f"campaign:{send.campaign_id}" if send.campaign_id else f"{send.kind}:{send.pk}"
    record_activity(member=send.member, kind="email_click", reference=about)


def record_bounce(send_id: int) -> None:
    """A provider reported the message undeliverable (call this from your ESP's webhook)."""
    Send.objects.filter(pk=send_id, state=Send.State.SENT, bounced_at__isnull=True).update(
        bounced_at=timezone.now()
    )


def campaign_report(campaign: Campaign) -> dict:
    """Counts for the editor: one query."""
    sends = Send.objects.filter(campaign=campaign)
    return sends.aggregate(
        queued=Count("pk", filter=Q(state=Send.State.QUEUED)),
        sent=Count("pk", filter=Q(state=Send.State.SENT)),
        delivered=Count("pk", filter=Q(state=Send.State.SENT, bounced_at__isnull=True)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        failed=Count("pk", filter=Q(state=Send.State.FAILED)),
        skipped=Count("pk", filter=Q(state=Send.State.SKIPPED)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
