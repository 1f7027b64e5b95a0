"""Survey answers (NPS, CES, CSAT), linked to the member so they can be acted on and related to behaviour."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
