"""Registers the "Loyalty" admin menu; other apps add items through the register_loyalty_menu_item hook."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_viewsets import MemberPermissionPolicy, MemberViewSet
from .models import Member

register_permission_policy(Member, MemberPermissionPolicy(Member))

LOYALTY_MENU_HOOK = "register_loyalty_menu_item"
NAMES_SHOWN = 5  # members named in a refusal to delete users; the rest are counted


class LoyaltyMenu(ViewSetGroup):
    menu_label = _("Loyalty")
    menu_icon = "pick"
    menu_order = 250
    submenu_hook = LOYALTY_MENU_HOOK
    items = (MemberViewSet,)


@hooks.register("register_admin_viewset")
def register_loyalty_menu():
    return LoyaltyMenu()


def _refuse_deleting_members(request, users) -> HttpResponse | None:
    """A user who is a club member holds Likes, vouchers and history: deleting them would break the
    ledger, so the admin says so instead of failing with a ProtectedError. (Erasing a member's
    personal data is its own step, not built yet; deactivating the user stops their log-in.)"""
    members = Member.objects.filter(user__in=users).select_related("user")
    count = members.count()
    if not count:
        return None
    names = ", ".join(
        f"{member.display_name} ({member.formatted_number})" for member in members[:NAMES_SHOWN]
    )
    if count > NAMES_SHOWN:
        names += " " + _("and %(count)d more") % {"count": count - NAMES_SHOWN}
    messages.error(
        request,
        ngettext(
            "%(names)s is a member of the loyalty program, so this user cannot be deleted: their Likes, "
            "vouchers and history belong to the ledger. Deactivate the user instead to stop their log-in.",
            "%(names)s are members of the loyalty program, so these users cannot be deleted: their Likes, "
            "vouchers and history belong to the ledger. Deactivate the users instead to stop their log-ins.",
            count,
        )
        % {"names": names},
    )
    return redirect(reverse("wagtailusers_users:index"))


@hooks.register("before_delete_user")
def refuse_deleting_a_member(request, user):
    return _refuse_deleting_members(request, [user])


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_members(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], get_user_model()):
        return None
    return _refuse_deleting_members(request, objects)
