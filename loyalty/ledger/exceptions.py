"""Domain errors raised by ledger services; each carries a stable code and a plain-words message."""

from django.utils.translation import gettext_lazy as _


class LedgerError(Exception):
    code = "ledger_error"
    message = _("The Likes could not be booked.")

    def __init__(self, message=None, **details):
        self.details = details
        super().__init__(str(message or self.message))


class InvalidAmount(LedgerError):
    code = "invalid_amount"
    message = _("The amount must be a whole number greater than zero.")


class InsufficientLikes(LedgerError):
    code = "insufficient_likes"

    def __init__(self, *, available: int, requested: int):
        super().__init__(
            _("Not enough Likes: %(available)s available, %(requested)s needed.")
            % {"available": available, "requested": requested},
            available=available,
            requested=requested,
        )


class InactiveMember(LedgerError):
    code = "inactive_member"
    message = _("This member has left the program.")


class SelfTransfer(LedgerError):
    code = "self_transfer"
    message = _("You cannot share Likes with yourself.")


class IdempotencyConflict(LedgerError):
    code = "idempotency_conflict"
    message = _("This idempotency key was already used for a different request.")


class AlreadyReversed(LedgerError):
    code = "already_reversed"
    message = _("This booking has already been reversed.")


class NotReversible(LedgerError):
    code = "not_reversible"
    message = _("Reversals, expiries and refunds cannot be reversed.")


class ReasonRequired(LedgerError):
    code = "reason_required"
    message = _("A correction needs a reason.")
