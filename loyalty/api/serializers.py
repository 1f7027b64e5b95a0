"""Request and response bodies of the partner API; validation lives here, business rules in the services."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from loyalty.ledger.models import Journal
from loyalty.members.models import Member, default_locale


class AmountFieldMixin:
    """Any problem with an amount (not a number, zero, negative, too precise) has the code invalid_amount."""

    def fail(self, key, **kwargs):
        try:
            super().fail(key, **kwargs)
        except serializers.ValidationError as error:
            raise _as_invalid_amount(error) from None

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except serializers.ValidationError as error:
            raise _as_invalid_amount(error) from None


def _as_invalid_amount(error):
    details = error.detail if isinstance(error.detail, list) else [error.detail]
    return serializers.ValidationError([str(detail) for detail in details], code="invalid_amount")


class LikesAmountField(AmountFieldMixin, serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=10_000_000, **kwargs)


class MoneyAmountField(AmountFieldMixin, serializers.DecimalField):
    def __init__(self, *, min_value=Decimal(0), **kwargs):
        super().__init__(max_digits=12, decimal_places=2, min_value=min_value, **kwargs)


class MemberSerializer(serializers.Serializer):
    """What a partner sees of a member: enough to serve them, nothing more (no birthday, no history)."""

    number = serializers.CharField(read_only=True)
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    locale = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], default=default_locale
    )
    marketing_consent = serializers.BooleanField(default=False)
    joined_at = serializers.DateTimeField(
        required=False, help_text=_("Only to import an existing member base.")
    )
    left_at = serializers.DateTimeField(read_only=True, allow_null=True)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("Your own id for this member.")
    )

    def validate_email(self, value):
        from loyalty.members.services import longest_email

        limit = longest_email()
        if len(value) > limit:
            raise serializers.ValidationError(
                _("Ensure this field has no more than %(limit)d characters.") % {"limit": limit},
                code="max_length",
            )
        return value

    def to_representation(self, member: Member):
        links = self.context.get("external_ids", {})
        return {
            "number": member.number,
            "email": member.user.email,
            "first_name": member.names[0],
            "last_name": member.names[1],
            "locale": member.locale,
            "marketing_consent": member.marketing_consent,
            "joined_at": serializers.DateTimeField().to_representation(member.joined_at),
            "left_at": serializers.DateTimeField().to_representation(member.left_at)
            if member.left_at
            else None,
            "external_id": links.get(member.pk, ""),
        }


class MemberUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    locale = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)
    marketing_consent = serializers.BooleanField(required=False)
    left_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("When the member left the program; null to rejoin.")
    )
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ExpiringSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class BalanceSerializer(serializers.Serializer):
    balance = serializers.IntegerField(help_text=_("All Likes, pending ones included."))
    spendable = serializers.IntegerField(help_text=_("Likes the member can use now."))
    pending = serializers.IntegerField(help_text=_("Likes still in a return window."))
    expiring = ExpiringSerializer(many=True, help_text=_("Likes expiring in the next 30 days."))


class TransactionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Journal.Kind.choices)
    amount = serializers.IntegerField(help_text=_("Signed: what this posting did to the member's balance."))
    posted_at = serializers.DateTimeField()
    description = serializers.CharField(help_text=_("In plain words, as the member sees it."))


class TransactionFilterSerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    kind = serializers.ChoiceField(choices=Journal.Kind.choices, required=False)

    def validate(self, data):
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise serializers.ValidationError({"until": _("'until' must be after 'since'.")})
        return data


class PurchaseItemSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=100)
    category = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class PurchaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    member = serializers.CharField(max_length=12, help_text=_("The member's number."))
    order_reference = serializers.CharField(max_length=100)
    amount = MoneyAmountField()
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", help_text=_("ISO 4217 code, for example EUR."))
    occurred_at = serializers.DateTimeField(required=False)
    items = PurchaseItemSerializer(many=True, required=False, default=list, max_length=500)
    likes_earned = serializers.IntegerField(read_only=True)
    balance = serializers.IntegerField(read_only=True)


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    amount = MoneyAmountField(min_value=Decimal("0.01"))
    likes_reversed = serializers.IntegerField(read_only=True)
    likes_owed = serializers.IntegerField(
        read_only=True, help_text=_("Already spent; new earnings pay it off.")
    )
    balance = serializers.IntegerField(read_only=True)


class DiscountQuoteSerializer(serializers.Serializer):
    likes = serializers.IntegerField(help_text=_("Likes the member can put towards this order."))
    value = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("Their money value."))
    currency = serializers.CharField()
    max_value = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("The policy's cap."))
    spendable = serializers.IntegerField()


class RedemptionSerializer(serializers.Serializer):
    member = serializers.CharField(max_length=12)
    reward = serializers.IntegerField(
        required=False, help_text=_("A reward's id; or give amount and reason.")
    )
    amount = LikesAmountField(required=False)
    reason = serializers.CharField(required=False, max_length=200, allow_blank=False)
    balance = serializers.IntegerField(read_only=True)
    voucher_code = serializers.CharField(read_only=True, allow_null=True)

    def validate(self, data):
        if ("reward" in data) == ("amount" in data):
            raise serializers.ValidationError(
                _("Give either a reward or an amount, not both."), code="reward_or_amount"
            )
        if "amount" in data and not data.get("reason"):
            raise serializers.ValidationError({"reason": [_("Redeeming an amount needs a reason.")]})
        return data


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sender = serializers.CharField(max_length=12)
    receiver = serializers.CharField(max_length=12)
    amount = LikesAmountField()
    message = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sender_balance = serializers.IntegerField(read_only=True)


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    detail = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True)
    meta = serializers.DictField(required=False)


class SurveyResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    member = serializers.CharField(max_length=12)
    kind = serializers.ChoiceField(choices=["nps", "ces", "csat"])
    score = serializers.IntegerField(min_value=0, max_value=10, help_text=_("NPS 0-10, CES 1-7, CSAT 1-5."))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    touchpoint = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False)
    likes_earned = serializers.IntegerField(read_only=True)


class SupportContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    member = serializers.CharField(max_length=12)
    reference = serializers.CharField(max_length=100, help_text=_("Your ticket or case number."))
    channel = serializers.ChoiceField(choices=["phone", "email", "chat", "store", "other"])
    subject = serializers.CharField(max_length=200)
    resolved_first_time = serializers.BooleanField(required=False, allow_null=True, default=None)
    occurred_at = serializers.DateTimeField(required=False)


EARLIEST_REPORT_DAY, LATEST_REPORT_DAY = date(1900, 1, 1), date(2999, 12, 31)  # no figures outside


class InsightsPeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword, so the fields are declared in __init__.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(help_text=_("The first day, for example 2026-01-01."))
        self.fields["to"] = serializers.DateField(help_text=_("The last day (inclusive)."))

    def validate(self, data):
        if data["to"] < data["from"]:
            raise serializers.ValidationError({"to": _("'to' must not be before 'from'.")})
        if (data["to"] - data["from"]).days > 3660:
            raise serializers.ValidationError({"to": _("A period can be at most ten years.")})
        if data["to"] > LATEST_REPORT_DAY or data["from"] < EARLIEST_REPORT_DAY:
            raise serializers.ValidationError(
                {
                    "to": _("Give days between %(first)s and %(last)s.")
                    % {"first": EARLIEST_REPORT_DAY, "last": LATEST_REPORT_DAY}
                }
            )
        return data


class _MembersFigures(serializers.Serializer):
    at_start = serializers.IntegerField()
    at_end = serializers.IntegerField()
    joined = serializers.IntegerField()


class _NpsFigures(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    margin_of_error = serializers.FloatField(allow_null=True, help_text=_("95% margin of error, in points."))
    responses = serializers.IntegerField()
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()


class _CesFigures(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    easy_percent = serializers.FloatField(allow_null=True)
    responses = serializers.IntegerField()


class _CsatFigures(serializers.Serializer):
    satisfied_percent = serializers.FloatField(allow_null=True)
    responses = serializers.IntegerField()


class _LikesFigures(serializers.Serializer):
    issued = serializers.IntegerField(help_text=_("Likes created for members, net of refunds."))
    redeemed = serializers.IntegerField()


class InsightsSummarySerializer(serializers.Serializer):
    members = _MembersFigures()
    retention_rate = serializers.FloatField(
        allow_null=True, help_text=_("((E - N) / S) x 100; null without S.")
    )
    nps = _NpsFigures()
    ces = _CesFigures()
    csat = _CsatFigures()
    likes = _LikesFigures()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField()
        self.fields["to"] = serializers.DateField()
