"""Refusals of the rewards services, in plain words."""

from django.utils.translation import gettext_lazy as _

from loyalty.ledger.exceptions import LedgerError


class RewardUnavailable(LedgerError):
    code = "reward_unavailable"
    message = _("This reward is not available at the moment.")


class OutOfStock(LedgerError):
    code = "out_of_stock"
    message = _("Sorry, this reward has just run out.")


class AlreadyCancelled(LedgerError):
    code = "already_cancelled"
    message = _("This voucher was already cancelled.")


class InvalidOrderAmount(LedgerError):
    code = "invalid_order_amount"
    message = _("The order amount must be an amount of money above zero, such as 25.00.")
