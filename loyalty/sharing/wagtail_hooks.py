"""Admin: a read-only list of shares, and the sharing policy in the Loyalty menu."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.permissions import register_permission_policy

from loyalty.members.admin_viewsets import RestrictedActionsPolicy
from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .models import Share, SharingPolicy

register_permission_policy(Share, RestrictedActionsPolicy(Share, denied=("add", "change", "delete")))


class ShareIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Share.objects.select_related("sender__user", "receiver__user")


class ShareViewSet(ModelViewSet):
    model = Share
    icon = "group"
    menu_label = _("Shared Likes")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 400
    url_prefix = "loyalty/shares"
    name = "loyalty_shares"
    index_view_class = ShareIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "created_at",
        Column("sender", label=_("From"), accessor="sender"),
        Column("receiver", label=_("To"), accessor="receiver"),
        "receiver_email",
        "amount",
        "status",
    ]
    list_filter = ["status"]
    search_fields = ["sender__number", "receiver__number", "receiver_email", "sender__user__email"]
    search_backend_name = None
    form_fields = ["message"]


@hooks.register("register_admin_viewset")
def register_shares():
    return ShareViewSet()


@hooks.register(LOYALTY_MENU_HOOK)
def sharing_policy_menu_item():
    return SettingMenuItem(SharingPolicy, icon="group", name="loyalty-sharing-policy", order=410)
