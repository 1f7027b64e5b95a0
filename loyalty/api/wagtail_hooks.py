"""Admin for partners and their API keys (created with a key shown once; revoked, never edited back)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import register_permission_policy

from loyalty.members.admin_viewsets import RestrictedActionsPolicy
from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .admin_views import NewKeyView, RevokeKeyView
from .models import Partner, PartnerAPIKey, WriteLog

register_permission_policy(WriteLog, RestrictedActionsPolicy(WriteLog, denied=("add", "change", "delete")))


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "site"
    menu_label = _("Partners")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 500
    url_prefix = "loyalty/partners"
    name = "loyalty_partners"
    form_fields = ["name", "slug", "is_active"]
    list_display = ["name", "slug", "is_active", "created_at"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    copy_view_enabled = False


class KeyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return PartnerAPIKey.objects.select_related("partner")

    def get_list_more_buttons(self, instance):
        buttons = []
        if not instance.revoked and self.request.user.has_perm("loyalty_api.change_partnerapikey"):
            buttons.append(
                ListingButton(
                    _("Revoke"),
                    url=reverse("loyalty_api_keys:revoke", args=[instance.prefix]),
                    icon_name="cross",
                    attrs={"data-action": "revoke"},
                    priority=5,
                )
            )
        return buttons


class PartnerKeyViewSet(ModelViewSet):
    """Keys are listed by prefix; a new key is shown once on creation; revoking cannot be undone."""

    model = PartnerAPIKey
    icon = "key"
    menu_label = _("API keys")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 510
    url_prefix = "loyalty/api-keys"
    name = "loyalty_api_keys"
    index_view_class = KeyIndexView
    copy_view_enabled = False
    list_display = [
        "prefix",
        "name",
        Column("partner", label=_("Partner"), accessor="partner"),
        Column("scopes", label=_("Scopes"), accessor="scope_labels"),
        "created",
        "expiry_date",
        "revoked",
    ]
    list_filter = ["revoked", "partner"]
    search_fields = ["prefix", "name", "partner__name"]
    search_backend_name = None
    form_fields = ["name"]  # only the label can be edited; scopes and expiry are fixed at creation

    def get_urlpatterns(self):
        # A key is never added through the generic form: it must be generated and shown once.
        generic_views = [p for p in super().get_urlpatterns() if p.name != "add"]
        return [
            path("new/", NewKeyView.as_view(), name="add"),
            path("<str:prefix>/revoke/", RevokeKeyView.as_view(), name="revoke"),
            *generic_views,
        ]


class WriteLogViewSet(ModelViewSet):
    model = WriteLog
    icon = "history"
    menu_label = _("API writes")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 520
    url_prefix = "loyalty/api-writes"
    name = "loyalty_api_writes"
    list_display = [
        "created_at",
        Column("partner", label=_("Partner"), accessor="partner"),
        "key_prefix",
        "method",
        "path",
        "status_code",
        "idempotency_key",
    ]
    list_filter = ["partner", "method", "status_code"]
    search_fields = ["path", "key_prefix", "idempotency_key"]
    search_backend_name = None
    form_fields = ["path"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_partner_admin():
    return [PartnerViewSet(), PartnerKeyViewSet(), WriteLogViewSet()]
