"""Survey answers (NPS, CES, CSAT), linked to the member so they can be acted on and related to behaviour;
the editor's persona thresholds."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


class SurveyResponse(models.Model):
    class Kind(models.TextChoices):
        NPS = "nps", _("NPS: how likely to recommend us (0-10)")
        CES = "ces", _("CES: how easy we made it (1-7)")
        CSAT = "csat", _("CSAT: how satisfied (1-5)")

    SCALES = {Kind.NPS: (0, 10), Kind.CES: (1, 7), Kind.CSAT: (1, 5)}

    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("why"), blank=True, max_length=2000)
    touchpoint = models.CharField(
        _("touchpoint"), max_length=100, blank=True, help_text=_("For example a purchase id, or 'support'.")
    )
    occurred_at = models.DateTimeField(_("answered at"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("The partner, or 'website'.")
    )
    invitation = models.OneToOneField(
        "SurveyInvitation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    answers = models.JSONField(
        _("follow-up answers"), default=list, blank=True, help_text=_("[{'question': ..., 'answer': ...}]")
    )

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="nps", score__lte=10)
                | Q(kind="ces", score__gte=1, score__lte=7)
                | Q(kind="csat", score__gte=1, score__lte=5),
                name="survey_score_on_its_scale",
            ),
        ]
        indexes = [models.Index(fields=["kind", "occurred_at"], name="survey_kind_time")]

    def __str__(self):
        return f"{self.kind} {self.score}"


class Persona(models.TextChoices):
    """The starting segmentation of DOMAIN.md; ``personas.py`` says how a member gets one."""

    AMBASSADOR = "ambassador", _("Ambassador (promoter)")
    PASSIVE_LOYALIST = "passive_loyalist", _("Passive loyalist (I ask, you deliver)")
    PRICE_SHOPPER = "price_shopper", _("Price shopper")
    AT_RISK = "at_risk", _("At risk (walk-away)")
    OTHER = "other", _("Not yet known")


@register_setting(icon="group")
class PersonaSettings(BaseSiteSetting):
    """The thresholds behind the personas; editors tune them to their program."""

    survey_window_days = models.PositiveIntegerField(
        _("survey answers count for (days)"), default=365, help_text=_("Older NPS answers are ignored.")
    )
    ambassador_min_nps = models.PositiveSmallIntegerField(_("ambassador: NPS score from"), default=9)
    ambassador_min_referrals = models.PositiveSmallIntegerField(
        _("ambassador: or friends brought in, at least"), default=1, help_text=_("0 ignores referrals.")
    )
    ambassador_min_purchases = models.PositiveSmallIntegerField(
        _("ambassador: and purchases in the last year, at least"),
        default=2,
        help_text=_("Ambassadors are promoters, highly engaged (see Engagement) and repeat buyers."),
    )
    at_risk_max_nps = models.PositiveSmallIntegerField(_("at risk: NPS score up to"), default=6)
    at_risk_after_days = models.PositiveIntegerField(
        _("at risk: or no purchase for (days)"),
        default=90,
        help_text=_("Only for members who bought before."),
    )
    loyalist_window_days = models.PositiveIntegerField(
        _("passive loyalist: purchases within (days)"), default=180
    )
    loyalist_min_purchases = models.PositiveSmallIntegerField(
        _("passive loyalist: at least purchases"), default=3
    )
    price_shopper_redeemed_percent = models.PositiveSmallIntegerField(
        _("price shopper: redeems at least (percent of the Likes earned in a year)"), default=70
    )

    panels = [
        FieldPanel("survey_window_days"),
        MultiFieldPanel(
            [
                FieldPanel("ambassador_min_nps"),
                FieldPanel("ambassador_min_referrals"),
                FieldPanel("ambassador_min_purchases"),
            ],
            _("Ambassadors"),
        ),
        MultiFieldPanel([FieldPanel("at_risk_max_nps"), FieldPanel("at_risk_after_days")], _("At risk")),
        MultiFieldPanel(
            [FieldPanel("loyalist_window_days"), FieldPanel("loyalist_min_purchases")], _("Passive loyalists")
        ),
        FieldPanel(
            "price_shopper_redeemed_percent",
            help_text=_("Price shoppers and passive loyalists are members without high engagement."),
        ),
    ]

    class Meta:
        verbose_name = _("personas")


class Activity(models.Model):
    """One thing a member did that shows engagement (bought, posted, clicked a link in an email...): the
    activity stream engagement is measured from (``activity.py`` keeps it in step with its sources)."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Bought something")
        POST = "post", _("Wrote a community post")
        COMMENT = "comment", _("Commented")
        HEART = "heart", _("Gave a heart")
        SHARE = "share", _("Shared Likes")
        SURVEY_ANSWER = "survey_answer", _("Answered a survey")
        EMAIL_CLICK = "email_click", _("Clicked a link in an email")
        REDEMPTION = "redemption", _("Redeemed a reward")

    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)
    reference = models.CharField(_("about"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["member", "occurred_at"], name="activity_member_time"),
            models.Index(fields=["kind", "occurred_at"], name="activity_kind_time"),
            models.Index(fields=["reference"], name="activity_reference"),
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


DEFAULT_QUESTIONS = {
    "nps": _("How likely are you to recommend {shop} to a friend, family member or colleague?"),
    "ces": _("{shop} made it easy for me to handle my request."),
    "csat": _("How satisfied were you with your visit to {shop}?"),
}


class Survey(ClusterableModel):
    """An NPS, CES or CSAT survey: the fixed first question in the editor's words, up to four follow-ups,
    and the touchpoint that invites members to it."""

    class Touchpoint(models.TextChoices):
        PURCHASE = "purchase", _("After a purchase")
        SUPPORT = "support", _("After a support contact (reported by a partner)")
        PERIODIC = "periodic", _("Every N months")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=SurveyResponse.Kind.choices)
    question = models.CharField(
        _("question"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty for the standard wording. {shop} is the site's name."),
    )
    touchpoint = models.CharField(_("invite"), max_length=20, choices=Touchpoint.choices)
    every_months = models.PositiveSmallIntegerField(
        _("every (months)"), default=6, help_text=_("For 'every N months'.")
    )
    is_active = models.BooleanField(_("inviting"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("question"),
        InlinePanel("follow_ups", label=_("Follow-up questions"), max_num=4),
        MultiFieldPanel(
            [FieldPanel("touchpoint"), FieldPanel("every_months"), FieldPanel("is_active")], _("When")
        ),
    ]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def question_text(self, shop: str) -> str:
        return str(self.question or DEFAULT_QUESTIONS[self.kind]).replace("{shop}", shop)


class FollowUpQuestion(Orderable):
    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("question"), max_length=300)

    panels = [FieldPanel("text")]

    def __str__(self):
        return self.text


@register_setting(icon="help")
class SurveySettings(BaseSiteSetting):
    min_gap_days = models.PositiveSmallIntegerField(
        _("at most one survey invitation per member every (days)"), default=30
    )
    open_days = models.PositiveSmallIntegerField(_("an invitation can be answered for (days)"), default=30)

    panels = [FieldPanel("min_gap_days"), FieldPanel("open_days")]

    class Meta:
        verbose_name = _("survey settings")


class SurveyInvitation(models.Model):
    """A member asked to answer a survey for one occasion; answered at most once."""

    wagtail_reference_index_ignore = True

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    touchpoint = models.CharField(_("touchpoint"), max_length=20)
    reference = models.CharField(_("occasion"), max_length=100, help_text=_("For example 'purchase:12'."))
    created_at = models.DateTimeField(_("invited at"), default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "member", "reference"], name="one_invitation_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["member", "created_at"], name="invitation_member_recent")]

    def __str__(self):
        return f"{self.survey_id} → {self.member_id} ({self.reference})"


@register_setting(icon="pick")
class EngagementSettings(BaseSiteSetting):
    """What "engaged" means here: activities with weights over a window, and the level thresholds."""

    window_days = models.PositiveSmallIntegerField(_("counted over the last (days)"), default=90)
    purchase_weight = models.PositiveSmallIntegerField(_("points per purchase"), default=3)
    post_weight = models.PositiveSmallIntegerField(_("points per community post"), default=3)
    comment_weight = models.PositiveSmallIntegerField(_("points per comment"), default=2)
    reaction_weight = models.PositiveSmallIntegerField(_("points per heart given"), default=1)
    share_weight = models.PositiveSmallIntegerField(_("points per share of Likes"), default=2)
    survey_weight = models.PositiveSmallIntegerField(_("points per survey answer"), default=2)
    email_click_weight = models.PositiveSmallIntegerField(_("points per email click"), default=1)
    redemption_weight = models.PositiveSmallIntegerField(_("points per reward redeemed"), default=2)
    high_from = models.PositiveSmallIntegerField(
        _("highly engaged from (points)"),
        default=10,
        help_text=_("From 1 point up to this is 'low'; 0 is 'none'."),
    )

    panels = [
        FieldPanel("window_days"),
        MultiFieldPanel(
            [
                FieldPanel("purchase_weight"),
                FieldPanel("post_weight"),
                FieldPanel("comment_weight"),
                FieldPanel("reaction_weight"),
                FieldPanel("share_weight"),
                FieldPanel("survey_weight"),
                FieldPanel("email_click_weight"),
                FieldPanel("redemption_weight"),
            ],
            _("Weights (0 leaves an activity out)"),
        ),
        FieldPanel("high_from"),
    ]

    class Meta:
        verbose_name = _("engagement")


class SupportContact(models.Model):
    """A support contact a partner reported (a call, a chat, a visit to the service desk)."""

    wagtail_reference_index_ignore = True

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")
        STORE = "store", _("In the store")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="support_contacts",
        verbose_name=_("member"),
    )
    partner = models.CharField(_("partner"), max_length=100)
    reference = models.CharField(_("partner's reference"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("about"), max_length=200)
    resolved_first_time = models.BooleanField(_("solved at the first contact"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("contact at"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("support contact")
        verbose_name_plural = _("support contacts")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "reference"], name="one_contact_per_partner_reference")
        ]

    def __str__(self):
        return f"{self.member_id} {self.channel} {self.occurred_at:%Y-%m-%d}"


class MemberSnapshot(models.Model):
    """Each member's persona and engagement at the end of a day, written by the nightly snapshot task,
    so the dashboard reads grouped counts instead of recomputing every member."""

    wagtail_reference_index_ignore = True

    day = models.DateField(_("day"))
    member = models.ForeignKey("loyalty_members.Member", on_delete=models.CASCADE, related_name="+")
    persona = models.CharField(_("persona"), max_length=20, choices=Persona.choices)
    engagement = models.PositiveIntegerField(_("engagement points"))
    level = models.CharField(_("engagement level"), max_length=10)
    previous_persona = models.CharField(
        _("persona at the end of the previous month"),
        max_length=20,
        blank=True,
        help_text=_("Empty when they were not in that day's snapshot."),
    )

    class Meta:
        verbose_name = _("member snapshot")
        verbose_name_plural = _("member snapshots")
        constraints = [models.UniqueConstraint(fields=["day", "member"], name="one_snapshot_per_member_day")]
        indexes = [models.Index(fields=["day", "persona"], name="snapshot_day_persona")]

    def __str__(self):
        return f"{self.day} {self.member_id} {self.persona}"


class SnapshotTotal(models.Model):
    """A day's snapshot counted by persona, previous month's persona, level and activity: the few rows
    the dashboard reads for persona sizes and flows instead of a million member rows."""

    wagtail_reference_index_ignore = True

    day = models.DateField(_("day"), db_index=True)
    previous_day = models.DateField(
        _("previous month's snapshot day"),
        null=True,
        help_text=_("The day the previous personas come from; empty when it had no snapshot."),
    )
    persona = models.CharField(_("persona"), max_length=20)
    previous_persona = models.CharField(
        _("persona at the end of the previous month"), max_length=20, blank=True
    )
    level = models.CharField(_("engagement level"), max_length=10)
    active = models.BooleanField(_("active"))
    members = models.PositiveIntegerField(_("members"))

    class Meta:
        verbose_name = _("snapshot total")
        verbose_name_plural = _("snapshot totals")

    def __str__(self):
        return f"{self.day} {self.previous_persona or '-'} -> {self.persona} {self.level}: {self.members}"


class DailyLikes(models.Model):
    """Likes issued to and redeemed by members on one day (site time zone), rolled up nightly from
    the ledger so the dashboard sums a few rows instead of millions of entries."""

    wagtail_reference_index_ignore = True

    day = models.DateField(_("day"), unique=True)
    issued = models.BigIntegerField(_("issued"), default=0)
    redeemed = models.BigIntegerField(_("redeemed"), default=0)

    class Meta:
        verbose_name = _("Likes per day")
        verbose_name_plural = _("Likes per day")

    def __str__(self):
        return f"{self.day}: +{self.issued} -{self.redeemed}"
