"""Domain errors raised by member services."""

from django.utils.translation import gettext_lazy as _


class MemberError(Exception):
    code = "member_error"
    message = _("The membership could not be changed.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))


class EmailAlreadyRegistered(MemberError):
    code = "email_taken"
    message = _("An account with this email address already exists.")


class AlreadyLeft(MemberError):
    code = "already_left"
    message = _("This member has already left the program.")


class StillActive(MemberError):
    code = "still_active"
    message = _("This member is still active and cannot rejoin.")


class InvalidMembershipDates(MemberError):
    code = "invalid_dates"
    message = _("A member cannot leave before they joined.")
