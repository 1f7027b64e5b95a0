"""Why a share was refused, in plain words a member understands."""

from django.utils.translation import gettext_lazy as _

from loyalty.ledger.exceptions import LedgerError


class SharingError(LedgerError):
    code = "sharing_refused"
    message = _("These Likes could not be shared.")


class SharingDisabled(SharingError):
    code = "sharing_disabled"
    message = _("Sharing Likes is switched off at the moment.")


class TipsDisabled(SharingError):
    code = "tips_disabled"
    message = _("Tipping authors is switched off at the moment.")


class AmountOutsideLimits(SharingError):
    code = "amount_outside_limits"

    def __init__(self, *, minimum: int, maximum: int):
        super().__init__(
            _("You can share between %(min)s and %(max)s Likes at a time.")
            % {"min": minimum, "max": maximum},
            minimum=minimum,
            maximum=maximum,
        )


class DailySendLimitReached(SharingError):
    code = "sharing_limit_reached"

    def __init__(self, *, limit: int, left: int):
        super().__init__(
            _("You can share at most %(limit)s Likes a day; you have %(left)s left to share today.")
            % {"limit": limit, "left": left},
            limit=limit,
            left=left,
            which="daily_send",
        )


class DailyReceiveLimitReached(SharingError):
    code = "sharing_limit_reached"

    def __init__(self, *, left: int):
        super().__init__(
            _("This member cannot receive that many Likes today; they can receive %(left)s more today.")
            % {"left": left},
            left=left,
            which="daily_receive",
        )


class UnknownReceiver(SharingError):
    code = "unknown_receiver"
    message = _("No member has that member number. Check the number and try again.")


class InactiveReceiver(SharingError):
    code = "inactive_receiver"
    message = _("This member has left the program, so they cannot receive Likes.")
