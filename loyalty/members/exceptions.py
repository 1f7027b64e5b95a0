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


class AlreadyMember(EmailAlreadyRegistered):
    """The user (or the user with this email address) is a member already."""

    code = "email_taken"
    message = _(
        "An account with this email address already exists and is a club member. Log in to see your Likes."
    )


class ExistingAccount(EmailAlreadyRegistered):
    """Someone signing up on the website gave the address of an account that exists but is not a member:
    they log in and join with one click, so nobody can attach a membership to another person's account."""

    code = "account_exists"
    message = _("You already have an account on this site. Log in, and join the club with one click.")


class AmbiguousEmail(EmailAlreadyRegistered):
    code = "email_ambiguous"
    message = _(
        "Several accounts on this site share this email address, so it cannot say which one joins. "
        "An editor can enrol the right one in the admin."
    )


class AlreadyLeft(MemberError):
    code = "already_left"
    message = _("This member has already left the program.")


class StillActive(MemberError):
    code = "still_active"
    message = _("This member is still active and cannot rejoin.")


class InvalidMembershipDates(MemberError):
    code = "invalid_dates"
    message = _("A member cannot leave before they joined.")
