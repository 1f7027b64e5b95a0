"""Ledger tables: accounts, journals (one posting each), entries (append-only lines) and lots.

Only ``loyalty.ledger.services`` writes these rows. Entries and journals are append-only:
a mistake is undone by a reversing journal that points at the original.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a ledger row that is append-only."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


@register_setting(icon="pick")
class LedgerSettings(BaseSiteSetting):
    class Rounding(models.TextChoices):
        DOWN = "down", _("Round down (never give more than earned)")
        HALF_UP = "half_up", _("Round half up")
        UP = "up", _("Round up")

    currency_name = models.CharField(
        _("currency name (plural)"),
        max_length=40,
        default="Likes",
        help_text=_("What members see, for example 'Likes' or 'Points'."),
    )
    currency_name_singular = models.CharField(_("currency name (singular)"), max_length=40, default="Like")
    lot_lifetime_days = models.PositiveIntegerField(
        _("days earned Likes stay valid"),
        default=365,
        help_text=_("Likes earned today expire after this many days unless a rule says otherwise."),
    )
    rounding = models.CharField(
        _("rounding"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.DOWN,
        help_text=_("How an amount of money becomes a whole number of Likes."),
    )

    class Meta:
        verbose_name = _("Loyalty currency")

    def currency_label(self, amount: int) -> str:
        return self.currency_name_singular if abs(amount) == 1 else self.currency_name


class Account(models.Model):
    """One member's Likes, or a system account (issued, redeemed, expired, adjustments).

    ``balance`` is a cache kept for member accounts only, updated in the same transaction as
    their entries. System accounts are never locked or updated per posting (one hot row would
    serialise every earn); their balances are derived from entries by the selectors.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        ISSUED = "issued", _("Issued")
        REDEEMED = "redeemed", _("Redeemed")
        EXPIRED = "expired", _("Expired")
        ADJUSTMENTS = "adjustments", _("Adjustments")
        HELD = "held", _("Held for invited friends")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member = models.OneToOneField(
        "loyalty_members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("member"),
    )
    balance = models.BigIntegerField(_("balance"), default=0)
    debt = models.BigIntegerField(
        _("debt"),
        default=0,
        db_default=0,
        help_text=_("Likes owed after a refund took back Likes already spent; new earnings pay it off."),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="member") & Q(member__isnull=False))
                | (~Q(kind="member") & Q(member__isnull=True)),
                name="account_member_iff_member_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="member") | Q(balance__gte=0),
                name="member_balance_never_negative",
            ),
            models.CheckConstraint(
                condition=Q(debt__gte=0) & (Q(kind="member") | Q(debt=0)),
                name="only_members_owe_and_never_below_zero",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="member"), name="one_account_per_system_kind"
            ),
        ]

    def __str__(self):
        if self.member_id:
            return f"member:{self.member_id}"
        return self.kind

    @property
    def is_system(self) -> bool:
        return self.kind != self.Kind.MEMBER


class Journal(AppendOnlyModel):
    """One posting: two or more entries whose amounts sum to zero."""

    class Kind(models.TextChoices):
        EARN = "earn", _("Earned")
        REDEEM = "redeem", _("Redeemed")
        TRANSFER = "transfer", _("Shared")
        ADJUST = "adjust", _("Correction")
        REVERSAL = "reversal", _("Reversal")
        EXPIRY = "expiry", _("Expired")
        REFUND = "refund", _("Refund")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    idempotency_source = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # as long as the API allows
    fingerprint = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["-posted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_source", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="journal_idempotency_key_unique_per_source",
            ),
            models.CheckConstraint(condition=~Q(kind="adjust") | ~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="reversal_points_at_original",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class Lot(models.Model):
    """A batch of Likes credited to a member, spent oldest-first and expiring as a whole.

    ``remaining`` is a cache of the sum of the entries that name this lot; the audit proves it.
    A lot whose ``available_at`` is in the future is pending: shown, not yet spendable.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lots")
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="created_lots")
    amount = models.PositiveBigIntegerField(_("amount"))
    remaining = models.BigIntegerField(_("remaining"))
    available_at = models.DateTimeField(_("spendable from"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("amount")),
                name="lot_remaining_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("available_at")), name="lot_expires_after_available"
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "expires_at", "id"],
                condition=Q(remaining__gt=0),
                name="lot_open_by_account",
            ),
            models.Index(fields=["expires_at"], condition=Q(remaining__gt=0), name="lot_open_due"),
        ]

    def __str__(self):
        return f"lot #{self.pk} ({self.remaining}/{self.amount})"


class Entry(AppendOnlyModel):
    """One line of a journal: a signed amount on one account (and, for members, one lot)."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    amount = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "journal"], name="entry_account_journal")]

    def __str__(self):
        return f"{self.amount:+d} on {self.account}"
