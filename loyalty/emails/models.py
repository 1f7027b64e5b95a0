"""Campaigns editors write, segments they send to, tip pages the emails link to, and one row per message.

A ``Send`` is one campaign to one member for one occasion (a purchase, an expiry date, a
welcome). Its unique key is what makes sending idempotent: however often a trigger or a task
runs, the same member gets the same campaign for the same occasion once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from loyalty.insights.models import Persona

from .admin_forms import SegmentAdminForm
from .blocks import CampaignBodyBlock


class EmailKind(models.TextChoices):
    """What a campaign is about; members choose which kinds they want on ``/account/emails/``."""

    TIPS = "tips", _("Tips and ideas for what you bought")
    COMMUNITY = "community", _("The best of the community")
    LIKES = "likes", _("Your Likes: expiry reminders and rewards within reach")
    NEWS = "news", _("News and offers")
    SURVEYS = "surveys", _("Short surveys after a visit or a question")


@register_setting(icon="mail")
class EmailSettings(BaseSiteSetting):
    weekly_cap = models.PositiveSmallIntegerField(
        _("marketing emails per member per week, at most"),
        default=2,
        help_text=_("Across all campaigns: a member over the cap is skipped for that campaign."),
    )
    track_engagement = models.BooleanField(
        _("count opens and clicks"),
        default=False,
        help_text=_(
            "Adds an invisible image and tracked links. Leave it off unless your privacy policy allows it."
        ),
    )

    panels = [FieldPanel("weekly_cap"), FieldPanel("track_engagement")]

    class Meta:
        verbose_name = _("email settings")


class EmailOptOut(models.Model):
    """A member does not want this kind of email (from an unsubscribe link or their preferences)."""

    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.member_id}: {self.kind}"


class Segment(models.Model):
    """Who a campaign is for, from member data. Empty criteria match everyone."""

    name = models.CharField(_("name"), max_length=100)
    personas = models.JSONField(
        _("personas"), default=list, blank=True, help_text=_("Any of these personas; none chosen means any.")
    )
    min_balance = models.PositiveIntegerField(_("balance at least"), null=True, blank=True)
    max_balance = models.PositiveIntegerField(_("balance at most"), null=True, blank=True)
    purchased_categories = models.ManyToManyField(
        "loyalty_rules.ProductCategory",
        blank=True,
        related_name="+",
        verbose_name=_("bought in any of these categories"),
    )
    categories_within_days = models.PositiveIntegerField(
        _("...within the last (days)"), default=365, help_text=_("How far back the categories count.")
    )
    purchased_within_days = models.PositiveIntegerField(
        _("last purchase within (days)"), null=True, blank=True
    )
    no_purchase_for_days = models.PositiveIntegerField(
        _("no purchase for at least (days)"), null=True, blank=True, help_text=_("For win-back audiences.")
    )
    engaged_within_days = models.PositiveIntegerField(
        _("engaged within (days)"),
        null=True,
        blank=True,
        help_text=_("Earned, spent or shared Likes, or clicked an email, in this many days."),
    )
    engagement = models.CharField(
        _("engagement"),
        max_length=10,
        blank=True,
        choices=[("engaged", _("Engaged members only")), ("not", _("Members who were not engaged"))],
        help_text=_("Uses 'engaged within (days)', or 30 days when that is empty."),
    )
    locale = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Empty means any language.")
    )
    joined_within_days = models.PositiveIntegerField(_("joined within (days)"), null=True, blank=True)

    base_form_class = SegmentAdminForm

    panels = [
        FieldPanel("name"),
        FieldPanel("personas"),
        FieldRowPanel([FieldPanel("min_balance"), FieldPanel("max_balance")], heading=_("Balance")),
        MultiFieldPanel(
            [FieldPanel("purchased_categories"), FieldPanel("categories_within_days")], heading=_("Bought")
        ),
        FieldRowPanel(
            [FieldPanel("purchased_within_days"), FieldPanel("no_purchase_for_days")],
            heading=_("Last purchase"),
        ),
        FieldRowPanel([FieldPanel("engagement"), FieldPanel("engaged_within_days")], heading=_("Engagement")),
        FieldRowPanel([FieldPanel("locale"), FieldPanel("joined_within_days")], heading=_("Member")),
    ]

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_balance__isnull=True)
                | Q(max_balance__isnull=True)
                | Q(min_balance__lte=models.F("max_balance")),
                name="segment_balance_range_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.personas or []) - set(Persona.values)
        if unknown:
            raise ValidationError(
                {"personas": _("Unknown personas: %(names)s") % {"names": ", ".join(sorted(unknown))}}
            )
        if (
            self.min_balance is not None
            and self.max_balance is not None
            and self.min_balance > self.max_balance
        ):
            raise ValidationError({"max_balance": _("The highest balance must not be below the lowest.")})


class TipPage(Page):
    """A tip, guide or expert insight, tagged with the product categories it is about.

    Campaign emails pick tip pages by the categories of what a member bought.
    """

    summary = models.TextField(_("summary"), max_length=400, help_text=_("Shown in emails under the title."))
    body = RichTextField(_("body"), blank=True)
    categories = ParentalManyToManyField(
        "loyalty_rules.ProductCategory", blank=True, related_name="tip_pages", verbose_name=_("about")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("categories"),
        FieldPanel("body"),
    ]
    template = "loyalty/emails/tip_page.html"

    class Meta:
        verbose_name = _("tip page")


class Campaign(models.Model):
    """An email an editor writes once; every member gets it filled with content chosen for them."""

    class Trigger(models.TextChoices):
        NOW = "now", _("Send now (when launched)")
        SCHEDULED = "scheduled", _("At a set time")
        AFTER_PURCHASE = "after_purchase", _("N days after a purchase (in a category)")
        BEFORE_EXPIRY = "before_expiry", _("N days before Likes expire")
        WELCOME = "welcome", _("N days after joining (welcome series)")
        WIN_BACK = "win_back", _("After N days without a purchase (win-back)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Sent")

    LIFECYCLE = (Trigger.AFTER_PURCHASE, Trigger.BEFORE_EXPIRY, Trigger.WELCOME, Trigger.WIN_BACK)

    name = models.CharField(_("name"), max_length=100, help_text=_("For editors; members never see it."))
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices, default=EmailKind.TIPS)
    subject = models.CharField(
        _("subject"),
        max_length=150,
        help_text=_("Placeholders: {first_name}, {balance}, {currency}."),
    )
    preheader = models.CharField(
        _("preheader"), max_length=150, blank=True, help_text=_("The line inboxes show after the subject.")
    )
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"))
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("audience"),
        help_text=_("Empty: every member who agreed to personal emails."),
    )
    trigger = models.CharField(_("when"), max_length=20, choices=Trigger.choices, default=Trigger.NOW)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    days = models.PositiveIntegerField(_("N (days)"), null=True, blank=True)
    category = models.ForeignKey(
        "loyalty_rules.ProductCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("purchase category"),
        help_text=_("For 'after a purchase': only purchases with an item in this category (empty: any)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("body"),
        FieldPanel("segment"),
        MultiFieldPanel(
            [FieldPanel("trigger"), FieldPanel("send_at"), FieldPanel("days"), FieldPanel("category")],
            heading=_("When"),
        ),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(trigger="scheduled") | Q(send_at__isnull=False),
                name="scheduled_campaign_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(trigger__in=["after_purchase", "before_expiry", "welcome", "win_back"])
                | Q(days__isnull=False),
                name="lifecycle_campaign_has_days",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_lifecycle(self) -> bool:
        return self.trigger in self.LIFECYCLE

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.trigger == self.Trigger.SCHEDULED and not self.send_at:
            errors["send_at"] = _("A scheduled campaign needs a time to send.")
        if self.trigger in self.LIFECYCLE and self.days is None:
            errors["days"] = _("Say after (or before) how many days.")
        if self.trigger == self.Trigger.WIN_BACK and self.days == 0:
            errors["days"] = _("Win-back needs at least one day without a purchase.")
        if errors:
            raise ValidationError(errors)


class Send(models.Model):
    """One email to one member for one occasion: queued, then sent, failed or skipped (with why).

    Most belong to a campaign; a personal email outside campaigns (a survey invitation) has no
    campaign but its ``kind`` and ``subject``."""

    wagtail_reference_index_ignore = True

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="sends",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        help_text=_("Empty for a personal email outside campaigns, such as a survey invitation."),
    )
    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.CASCADE,
        related_name="email_sends",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    occasion = models.CharField(
        _("occasion"),
        max_length=60,
        blank=True,
        help_text=_("The purchase, expiry date or welcome it is for."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.CharField(_("why skipped or failed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first clicked at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("email send")
        verbose_name_plural = _("email sends")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member", "occasion"], name="one_send_per_occasion"),
            models.UniqueConstraint(
                fields=["kind", "member", "occasion"],
                condition=Q(campaign__isnull=True),
                name="one_personal_email_per_occasion",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="send_campaign_state"),
            models.Index(fields=["member", "sent_at"], name="send_member_recent"),
            models.Index(fields=["state", "created_at"], name="send_queue"),
        ]

    def __str__(self):
        return f"{self.campaign_id or self.kind} → {self.member_id} ({self.state})"

    @property
    def about(self) -> str:
        """What the email was: its campaign's name, or the subject of a personal email."""
        return self.campaign.name if self.campaign_id else self.subject

    @property
    def message_id(self) -> str:
        return f"<send-{self.pk}@loyalty>"
