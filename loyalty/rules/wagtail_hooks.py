"""Admin for earning rules and product categories (snippets), and a read-only list of purchases."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from loyalty.members.admin_viewsets import RestrictedActionsPolicy
from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .models import EarningRule, ProductCategory, Purchase

register_permission_policy(Purchase, RestrictedActionsPolicy(Purchase, denied=("add", "change", "delete")))


class EarningRuleViewSet(SnippetViewSet):
    model = EarningRule
    icon = "pick"
    menu_label = _("Earning rules")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 200
    list_display = ["name", "trigger", "is_active", "active_from", "active_until"]
    list_filter = ["trigger", "is_active"]
    search_fields = ["name"]
    search_backend_name = None


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "tag"
    menu_label = _("Product categories")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 210
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    search_backend_name = None


class PurchaseIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Purchase.objects.select_related("member__user")


class PurchaseViewSet(ModelViewSet):
    """What partners reported, for answering a member's question; purchases change only through the API."""

    model = Purchase
    icon = "list-ul"
    menu_label = _("Purchases")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 220
    url_prefix = "loyalty/purchases"
    name = "loyalty_purchases"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "order_reference",
        "partner",
        Column("member", label=_("Member"), accessor="member"),
        "amount",
        "currency",
        "occurred_at",
        "likes_earned",
        "refunded_amount",
    ]
    list_filter = ["partner", "currency"]
    search_fields = ["order_reference", "partner", "member__number", "member__user__email"]
    search_backend_name = None
    form_fields = ["order_reference"]
    index_view_class = PurchaseIndexView


register_snippet(EarningRuleViewSet)
register_snippet(ProductCategoryViewSet)


@hooks.register("register_admin_viewset")
def register_purchases():
    return PurchaseViewSet()
