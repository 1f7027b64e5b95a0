"""Why the community refused something, in words a member understands."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class CommunityError(Exception):
    code = "community_error"
    message = _("This is not possible right now.")

    def __init__(self, message=None):
        super().__init__(str(message or self.message))


class NotAllowed(CommunityError):
    code = "not_allowed"
    message = _("Only the author can change this.")


class Suspended(CommunityError):
    code = "suspended"

    def __init__(self, until):
        super().__init__(
            gettext("A moderator suspended you from posting until %(until)s.")
            % {"until": date_format(localtime(until), "DATETIME_FORMAT")}
        )


class AccountTooNew(CommunityError):
    code = "account_too_new"

    def __init__(self, days: int, purchase_unlocks: bool):
        if purchase_unlocks:
            text = ngettext(
                "You can post after %(days)d day of membership, or right after your first purchase.",
                "You can post after %(days)d days of membership, or right after your first purchase.",
                days,
            )
        else:
            text = ngettext(
                "You can post after %(days)d day of membership.",
                "You can post after %(days)d days of membership.",
                days,
            )
        super().__init__(text % {"days": days})


class RateLimited(CommunityError):
    code = "rate_limited"

    def __init__(self, *, what: str, limit: int):
        if what == "post":
            text = ngettext(
                "You can write %(limit)d post per hour. Please wait a little before posting again.",
                "You can write %(limit)d posts per hour. Please wait a little before posting again.",
                limit,
            )
        else:
            text = ngettext(
                "You can write %(limit)d comment per hour. Please wait a little before commenting again.",
                "You can write %(limit)d comments per hour. Please wait a little before commenting again.",
                limit,
            )
        super().__init__(text % {"limit": limit})


class NotVisible(CommunityError):
    code = "not_visible"
    message = _("This post is not open for that.")


class TooManyImages(CommunityError):
    code = "too_many_images"

    def __init__(self, limit: int):
        super().__init__(
            ngettext("A post can have %(limit)d image.", "A post can have up to %(limit)d images.", limit)
            % {"limit": limit}
        )


class InvalidImage(CommunityError):
    code = "invalid_image"


class PhotoLimitReached(CommunityError):
    code = "photo_limit"

    def __init__(self, limit: int):
        text = ngettext(
            "You can add %(limit)d photo per hour. Please wait a little before adding more.",
            "You can add %(limit)d photos per hour. Please wait a little before adding more.",
            limit,
        )
        super().__init__(text % {"limit": limit})
