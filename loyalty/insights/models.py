"""Survey answers (NPS, CES, CSAT), linked to the member so they can be acted on and related to behaviour;
the editor's persona thresholds."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
            [FieldPanel("ambassador_min_nps"), FieldPanel("ambassador_min_referrals")], _("Ambassadors")
        ),
        MultiFieldPanel([FieldPanel("at_risk_max_nps"), FieldPanel("at_risk_after_days")], _("At risk")),
        MultiFieldPanel(
            [FieldPanel("loyalist_window_days"), FieldPanel("loyalist_min_purchases")], _("Passive loyalists")
        ),
        FieldPanel("price_shopper_redeemed_percent"),
    ]

    class Meta:
        verbose_name = _("personas")


class Activity(models.Model):
    """One thing a member did that shows engagement (clicked a link in an email...): what insights reads."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        EMAIL_CLICK = "email_click", _("Clicked a link in an email")

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
        ]

    def __str__(self):
        return f"{self.member_id} {self.kind} {self.occurred_at:%Y-%m-%d}"
