"""Refusals of the earning-rules services; each has a stable code and a plain-words message."""

from django.utils.translation import gettext_lazy as _

from loyalty.ledger.exceptions import LedgerError


class InvalidPurchase(LedgerError):
    code = "invalid_purchase"
    message = _("The purchase is not valid.")


class InvalidRefund(LedgerError):
    code = "invalid_refund"
    message = _("The refund is not valid.")


class UnknownAction(LedgerError):
    code = "unknown_action"
    message = _("There is no such action to earn Likes for.")
