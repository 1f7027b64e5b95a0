"""Earning rules editors manage, the purchases partners report, and the Likes each rule awarded."""

import secrets
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

ROUNDING = {"down": ROUND_FLOOR, "half_up": ROUND_HALF_UP, "up": ROUND_CEILING}


class ProductCategory(models.Model):
    """A product category shared by purchases, earning multipliers, community topics and emails."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("code"),
        max_length=100,
        unique=True,
        help_text=_("The category code partners send with purchase items, for example 'shoes'."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EarningRuleQuerySet(models.QuerySet):
    def in_force(self, at):
        """Rules switched on and within their active dates at the moment ``at``."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=at),
            Q(active_until__isnull=True) | Q(active_until__gt=at),
            is_active=True,
        )


class EarningRule(ClusterableModel):
    """How many Likes a purchase or an action earns, with caps and a pending period."""

    class Trigger(models.TextChoices):
        PURCHASE = "purchase", _("Purchase (Likes per amount spent)")
        SIGNUP = "signup", _("Joining the club")
        FIRST_PURCHASE = "first_purchase", _("First purchase")
        POST = "post", _("Writing a community post")
        COMMENT = "comment", _("Commenting on a post")
        SURVEY = "survey", _("Answering a survey")
        REFERRAL = "referral", _("A referred friend's first purchase (both get Likes)")
        BIRTHDAY = "birthday", _("Birthday")

    class Rounding(models.TextChoices):
        DEFAULT = "", _("As the loyalty currency setting says")
        DOWN = "down", _("Round down")
        HALF_UP = "half_up", _("Round half up")
        UP = "up", _("Round up")

    name = models.CharField(_("name"), max_length=100)
    trigger = models.CharField(_("earned for"), max_length=20, choices=Trigger.choices)
    is_active = models.BooleanField(_("switched on"), default=True)
    active_from = models.DateTimeField(_("active from"), null=True, blank=True)
    active_until = models.DateTimeField(_("active until"), null=True, blank=True)

    likes_per_unit = models.DecimalField(
        _("Likes per unit spent"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Purchase rules: for example 10 Likes per 1.00 spent."),
    )
    unit_amount = models.DecimalField(
        _("unit of money"), max_digits=10, decimal_places=2, default=Decimal("1.00")
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        help_text=_("Purchases in other currencies earn nothing here."),
    )
    minimum_spend = models.DecimalField(
        _("minimum spend"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    rounding = models.CharField(
        _("rounding"), max_length=10, choices=Rounding.choices, blank=True, default=""
    )
    likes = models.PositiveIntegerField(
        _("Likes per action"),
        null=True,
        blank=True,
        help_text=_("Action rules: the Likes each action earns."),
    )

    cap_per_day = models.PositiveIntegerField(_("at most per member per day"), null=True, blank=True)
    cap_per_month = models.PositiveIntegerField(_("at most per member per month"), null=True, blank=True)
    cap_per_member = models.PositiveIntegerField(_("at most per member, ever"), null=True, blank=True)
    pending_days = models.PositiveIntegerField(
        _("pending days"),
        default=0,
        help_text=_("Likes become spendable this many days after the purchase (the return window)."),
    )
    valid_days = models.PositiveIntegerField(
        _("valid for days"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the currency's default lifetime; for example 15 for birthday Likes."),
    )

    objects = EarningRuleQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("trigger"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("active_from"), FieldPanel("active_until")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("likes_per_unit"), FieldPanel("unit_amount"), FieldPanel("currency")]
                ),
                FieldRowPanel([FieldPanel("minimum_spend"), FieldPanel("rounding")]),
                InlinePanel("category_multipliers", label=_("Category multipliers")),
            ],
            heading=_("Purchases"),
        ),
        FieldPanel("likes"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("cap_per_day"), FieldPanel("cap_per_month"), FieldPanel("cap_per_member")]
                ),
                FieldRowPanel([FieldPanel("pending_days"), FieldPanel("valid_days")]),
            ],
            heading=_("Caps and validity"),
        ),
    ]

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        ordering = ["trigger", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(trigger="purchase") & Q(likes_per_unit__gt=0) & Q(unit_amount__gt=0))
                | (~Q(trigger="purchase") & Q(likes__gt=0)),
                name="rule_has_a_rate_for_its_trigger",
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gt=F("active_from")),
                name="rule_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(minimum_spend__gte=0), name="rule_minimum_spend_not_negative"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.trigger == self.Trigger.PURCHASE:
            if not self.likes_per_unit or self.likes_per_unit <= 0:
                errors["likes_per_unit"] = _("A purchase rule needs the Likes per unit spent (more than 0).")
            if not self.unit_amount or self.unit_amount <= 0:
                errors["unit_amount"] = _("The unit of money must be more than 0.")
        elif self.trigger and not self.likes:
            errors["likes"] = _("An action rule needs the Likes each action earns (more than 0).")
        if self.active_from and self.active_until and self.active_until <= self.active_from:
            errors["active_until"] = _("The rule must end after it starts.")
        if self.currency:
            self.currency = self.currency.upper()
        if errors:
            raise ValidationError(errors)

    def likes_for_purchase(
        self, *, amount: Decimal, currency: str, amount_by_category: dict, rounding: str
    ) -> int:
        """Likes this rule gives for a purchase; category multipliers weigh each item's share.

        ``amount_by_category`` maps category codes to the part of ``amount`` paid for them (the
        rest of the amount counts at multiplier 1).
        """
        if currency.upper() != self.currency or amount < self.minimum_spend or amount <= 0:
            return 0
        multipliers = {m.category.slug: m.multiplier for m in self.category_multipliers.all()}
        weighted = amount - sum(amount_by_category.values(), Decimal(0))
        for category, part in amount_by_category.items():
            weighted += part * multipliers.get(category, Decimal(1))
        raw = weighted * self.likes_per_unit / self.unit_amount
        mode = ROUNDING[self.rounding or rounding]
        return max(int(raw.quantize(Decimal(1), rounding=mode)), 0)


class CategoryMultiplier(Orderable):
    rule = ParentalKey(EarningRule, on_delete=models.CASCADE, related_name="category_multipliers")
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    multiplier = models.DecimalField(
        _("multiplier"), max_digits=6, decimal_places=2, help_text=_("For example 2 for double Likes.")
    )

    panels = [FieldPanel("category"), FieldPanel("multiplier")]

    class Meta(Orderable.Meta):
        verbose_name = _("category multiplier")
        constraints = [
            models.UniqueConstraint(fields=["rule", "category"], name="one_multiplier_per_rule_category"),
            models.CheckConstraint(condition=Q(multiplier__gt=0), name="multiplier_positive"),
        ]


class Purchase(models.Model):
    """A purchase a partner reported; (partner, order reference) identifies it, so retries book once."""

    # High-volume rows with no content references: keep Wagtail's reference index out of the hot path.
    wagtail_reference_index_ignore = True

    member = models.ForeignKey(
        "loyalty_members.Member", on_delete=models.PROTECT, related_name="purchases", verbose_name=_("member")
    )
    partner = models.CharField(_("partner"), max_length=100)
    order_reference = models.CharField(_("order reference"), max_length=100)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    occurred_at = models.DateTimeField(_("purchased at"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    likes_earned = models.PositiveBigIntegerField(_("Likes earned"), default=0)
    refunded_amount = models.DecimalField(
        _("refunded amount"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    likes_reversed = models.PositiveBigIntegerField(_("Likes taken back"), default=0)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "order_reference"], name="purchase_unique_per_partner"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="purchase_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="purchase_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(likes_reversed__lte=F("likes_earned")), name="purchase_reverses_at_most_earned"
            ),
        ]
        indexes = [models.Index(fields=["member", "occurred_at"], name="purchase_member_time")]

    def __str__(self):
        return f"{self.partner} {self.order_reference}"

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.refunded_amount


class PurchaseItem(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(_("SKU"), max_length=100)
    category = models.CharField(_("category code"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("purchase item")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="item_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.sku}"

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price


class Award(models.Model):
    """Likes one rule gave one member for one thing (a purchase, a post, a birthday); caps count these."""

    rule = models.ForeignKey(EarningRule, on_delete=models.PROTECT, related_name="awards")
    member = models.ForeignKey("loyalty_members.Member", on_delete=models.PROTECT, related_name="awards")
    reference = models.CharField(
        _("for"), max_length=100, help_text=_("For example 'purchase:12' or 'post:7'.")
    )
    likes = models.PositiveBigIntegerField(_("Likes"))
    occurred_at = models.DateTimeField(_("occurred at"))
    purchase = models.ForeignKey(
        Purchase, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    journal = models.OneToOneField(
        "loyalty_ledger.Journal", on_delete=models.PROTECT, related_name="award", null=True, blank=True
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["rule", "member", "reference"], name="award_once_per_reference"),
            models.CheckConstraint(condition=Q(likes__gt=0), name="award_positive"),
        ]
        indexes = [models.Index(fields=["member", "rule", "occurred_at"], name="award_caps")]

    def __str__(self):
        return f"{self.likes} for {self.reference}"


class Refund(models.Model):
    """A whole or partial refund of a purchase and the Likes it took back (or left owed)."""

    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="refunds")
    reference = models.CharField(_("refund reference"), max_length=255, blank=True)  # an Idempotency-Key
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    likes_reversed = models.PositiveBigIntegerField(_("Likes taken back"), default=0)
    likes_owed = models.PositiveBigIntegerField(
        _("Likes owed"), default=0, help_text=_("Already spent; the member's next earnings pay them off.")
    )
    created_at = models.DateTimeField(_("refunded at"), default=timezone.now)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["purchase", "reference"], condition=~Q(reference=""), name="refund_unique_reference"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(likes_owed__lte=F("likes_reversed")), name="refund_owed_within"
            ),
        ]

    def __str__(self):
        return f"{self.amount} of {self.purchase}"


def new_invite_code() -> str:
    return secrets.token_urlsafe(8)


class InviteCode(models.Model):
    """A member's personal invite link code (random, so it reveals nothing about the member)."""

    member = models.OneToOneField(
        "loyalty_members.Member", on_delete=models.CASCADE, related_name="invite_code"
    )
    code = models.CharField(max_length=20, unique=True, default=new_invite_code)

    class Meta:
        verbose_name = _("invite code")

    def __str__(self):
        return self.code


class Referral(models.Model):
    referrer = models.ForeignKey(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("invited by"),
    )
    referred = models.OneToOneField(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        related_name="referred_by",
        verbose_name=_("new member"),
    )
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    rewarded_at = models.DateTimeField(_("rewarded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=~Q(referrer=F("referred")), name="referral_not_self"),
        ]

    def __str__(self):
        return f"{self.referrer} invited {self.referred}"
