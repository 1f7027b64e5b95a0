"""Registers the "Loyalty" admin menu; other apps add items through the register_loyalty_menu_item hook."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_viewsets import MemberPermissionPolicy, MemberViewSet
from .models import Member

register_permission_policy(Member, MemberPermissionPolicy(Member))

LOYALTY_MENU_HOOK = "register_loyalty_menu_item"


class LoyaltyMenu(ViewSetGroup):
    menu_label = _("Loyalty")
    menu_icon = "pick"
    menu_order = 250
    submenu_hook = LOYALTY_MENU_HOOK
    items = (MemberViewSet,)


@hooks.register("register_admin_viewset")
def register_loyalty_menu():
    return LoyaltyMenu()
