"""The rewards catalogue editors manage, members' redemptions (vouchers), and the checkout-discount policy."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

VOUCHER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud at a till


def new_voucher_code() -> str:
    raw = "".join(secrets.choice(VOUCHER_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class RewardQuerySet(models.QuerySet):
    def available(self, at=None, *, in_stock: bool = True):
        """Switched on, within its dates, and (unless ``in_stock`` is False) in stock or unlimited."""
        at = at or timezone.now()
        rewards = self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=at),
            Q(active_until__isnull=True) | Q(active_until__gt=at),
            is_active=True,
        )
        return rewards.filter(Q(stock__isnull=True) | Q(stock__gt=0)) if in_stock else rewards


class Reward(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", _("All members")

    title = models.CharField(_("title"), max_length=120)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveIntegerField(_("cost in Likes"), validators=[MinValueValidator(1)])
    stock = models.PositiveIntegerField(
        _("in stock"), null=True, blank=True, help_text=_("Leave empty for an unlimited reward.")
    )
    is_active = models.BooleanField(_("shown to members"), default=True)
    active_from = models.DateTimeField(_("available from"), null=True, blank=True)
    active_until = models.DateTimeField(_("available until"), null=True, blank=True)
    audience = models.CharField(
        _("who may redeem"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.ALL,
        help_text=_("Tiers and personas will be added here later."),
    )

    objects = RewardQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("cost"), FieldPanel("stock")]),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("active_from"), FieldPanel("active_until")]),
        FieldPanel("audience"),
    ]

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["cost", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="reward_costs_something"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="reward_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gt=F("active_from")),
                name="reward_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.active_from and self.active_until and self.active_until <= self.active_from:
            raise ValidationError({"active_until": _("The reward must end after it starts.")})

    @property
    def is_unlimited(self) -> bool:
        return self.stock is None


class Redemption(models.Model):
    """One reward redeemed by one member: the Likes spent and the voucher code they show."""

    # High-volume rows with no content references: keep Wagtail's reference index out of the hot path.
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        CANCELLED = "cancelled", _("Cancelled")

    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward")
    )
    member = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("member"),
    )
    code = models.CharField(_("voucher code"), max_length=20, unique=True, default=new_voucher_code)
    cost = models.PositiveIntegerField(_("Likes spent"))
    journal = models.OneToOneField(
        "loyalty_ledger.Journal",
        on_delete=models.PROTECT,
        related_name="redemption",
        verbose_name=_("booking"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ISSUED)
    created_at = models.DateTimeField(_("redeemed at"), default=timezone.now, db_index=True)
    emailed_at = models.DateTimeField(_("voucher emailed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="issued", cancelled_at__isnull=True)
                | (Q(status="cancelled", cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="redemption_cancelled_with_time_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reward} — {self.code}"


@register_setting(icon="tag")
class DiscountPolicy(BaseSiteSetting):
    """What Likes are worth as a discount at checkout, and how much of an order they may pay."""

    enabled = models.BooleanField(_("Likes can pay for part of an order"), default=True)
    likes_per_step = models.PositiveIntegerField(
        _("Likes"), default=10, validators=[MinValueValidator(1)], help_text=_("For example 10 Likes...")
    )
    value_per_step = models.DecimalField(
        _("are worth"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("...EUR 0.05 off."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    max_share_of_order = models.PositiveIntegerField(
        _("at most this percentage of an order"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    panels = [
        FieldPanel("enabled"),
        FieldRowPanel([FieldPanel("likes_per_step"), FieldPanel("value_per_step"), FieldPanel("currency")]),
        FieldPanel("max_share_of_order"),
    ]

    class Meta:
        verbose_name = _("Checkout discount")
        constraints = [
            models.CheckConstraint(condition=Q(likes_per_step__gt=0), name="discount_step_positive"),
            models.CheckConstraint(condition=Q(value_per_step__gt=0), name="discount_value_positive"),
            models.CheckConstraint(
                condition=Q(max_share_of_order__gte=1) & Q(max_share_of_order__lte=100),
                name="discount_share_is_a_percentage",
            ),
        ]
