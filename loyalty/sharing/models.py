"""The sharing policy editors set, and every share one member made to another (or to an email address)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="group")
class SharingPolicy(BaseSiteSetting):
    enabled = models.BooleanField(_("members may share Likes"), default=True)
    min_per_share = models.PositiveIntegerField(
        _("at least per share"), default=1, validators=[MinValueValidator(1)]
    )
    max_per_share = models.PositiveIntegerField(
        _("at most per share"), default=500, validators=[MinValueValidator(1)]
    )
    daily_send_limit = models.PositiveIntegerField(
        _("a member may share at most, per day"), default=1000, validators=[MinValueValidator(1)]
    )
    daily_receive_limit = models.PositiveIntegerField(
        _("a member may receive at most, per day"), default=2000, validators=[MinValueValidator(1)]
    )
    receiver_must_be_active = models.BooleanField(
        _("only active members can receive"),
        default=True,
        help_text=_("When off, Likes can also go to a member who left; they find them if they rejoin."),
    )
    shared_valid_days = models.PositiveIntegerField(
        _("shared Likes stay valid for days"), default=365, validators=[MinValueValidator(1)]
    )
    allow_tips = models.BooleanField(_("members may tip the author of a community post"), default=True)
    invitation_days = models.PositiveIntegerField(
        _("days a friend has to claim Likes shared by email"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Likes shared with an address that is not (yet) a member wait this long, then go back."),
    )

    panels = [
        FieldPanel("enabled"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_per_share"), FieldPanel("max_per_share")]),
                FieldRowPanel([FieldPanel("daily_send_limit"), FieldPanel("daily_receive_limit")]),
            ],
            heading=_("Limits (in Likes)"),
        ),
        FieldPanel("receiver_must_be_active"),
        FieldRowPanel([FieldPanel("shared_valid_days"), FieldPanel("invitation_days")]),
        FieldPanel("allow_tips"),
    ]

    class Meta:
        verbose_name = _("Sharing policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_per_share__gte=1) & Q(max_per_share__gte=F("min_per_share")),
                name="sharing_min_not_above_max",
            ),
        ]

    def clean(self):
        if self.min_per_share and self.max_per_share and self.min_per_share > self.max_per_share:
            raise ValidationError(
                {"max_per_share": _("The most per share cannot be below the least per share.")}
            )


class Share(models.Model):
    """Likes one member gave another; a share to an unknown email address waits until claimed or returned."""

    # High-volume rows with no content references: keep Wagtail's reference index out of the hot path.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        WAITING = "waiting", _("Waiting to be claimed")
        RETURNED = "returned", _("Returned to the sender")

    sender = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.PROTECT, related_name="shares_sent", verbose_name=_("from")
    )
    receiver = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="shares_received",
        null=True,
        blank=True,
        verbose_name=_("to"),
    )
    receiver_email = models.EmailField(_("to email address"), blank=True)
    amount = models.PositiveIntegerField(_("Likes"))
    message = models.CharField(_("message"), max_length=200, blank=True)
    context = models.CharField(
        _("context"), max_length=50, blank=True, help_text=_("For example 'post:12' for a tip on a post.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    journal = models.OneToOneField("loyalty_ledger.Journal", on_delete=models.PROTECT, related_name="share")
    created_at = models.DateTimeField(_("shared at"), default=timezone.now, db_index=True)
    settled_at = models.DateTimeField(_("claimed or returned at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    # A web form's token, or "partner:<id>:" and the partner's whole Idempotency-Key (up to 255).
    client_token = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_token"], condition=~Q(client_token=""), name="share_once_per_token"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="share_amount_positive"),
            models.CheckConstraint(
                condition=Q(receiver__isnull=False) | ~Q(receiver_email=""), name="share_has_a_receiver"
            ),
            models.CheckConstraint(
                condition=Q(status="delivered", receiver__isnull=False) | ~Q(status="delivered"),
                name="delivered_share_has_member",
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "created_at"], name="share_sent_per_day"),
            models.Index(fields=["receiver", "created_at"], name="share_received_per_day"),
            models.Index(
                fields=["receiver_email"], condition=Q(status="waiting"), name="share_waiting_by_email"
            ),
        ]

    def __str__(self):
        return f"{self.amount} from {self.sender_id} to {self.receiver_id or self.receiver_email}"
