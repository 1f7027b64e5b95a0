"""Admin for the rewards catalogue (a snippet), vouchers (cancel with a reason) and the checkout discount."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import ListingButton
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from loyalty.core.admin import ReadOnlyModelViewSet, ReadOnlyPermissionPolicy
from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .admin_views import CancelRedemptionView
from .models import DiscountPolicy, Redemption, Reward

# Vouchers change only by being cancelled (CancelRedemptionView: a reason, the Likes go back).
register_permission_policy(Redemption, ReadOnlyPermissionPolicy(Redemption))


class RewardViewSet(SnippetViewSet):
    model = Reward
    icon = "pick"
    menu_label = _("Rewards")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 300
    list_display = ["title", "cost", "stock", "is_active", "active_from", "active_until"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    search_backend_name = None


class RedemptionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Redemption.objects.select_related("reward", "member__user")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == Redemption.Status.ISSUED and self.request.user.has_perm(
            "loyalty_rewards.change_redemption"
        ):
            buttons.insert(
                0,
                ListingButton(
                    _("Cancel voucher"),
                    url=reverse("loyalty_redemptions:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=5,
                ),
            )
        return buttons


class RedemptionViewSet(ReadOnlyModelViewSet):
    """Vouchers members redeemed; an editor can cancel one, which gives the Likes back."""

    model = Redemption
    icon = "tag"
    menu_label = _("Vouchers")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 310
    url_prefix = "loyalty/vouchers"
    name = "loyalty_redemptions"
    index_view_class = RedemptionIndexView
    inspect_view_enabled = True
    list_display = [
        "code",
        Column("reward", label=_("Reward"), accessor="reward"),
        Column("member", label=_("Member"), accessor="member"),
        "cost",
        "status",
        "created_at",
    ]
    list_filter = ["status", "reward"]
    search_fields = ["code", "member__number", "member__user__email"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/cancel/", CancelRedemptionView.as_view(), name="cancel"),
        ]


register_snippet(RewardViewSet)


@hooks.register("register_admin_viewset")
def register_vouchers():
    return RedemptionViewSet()


@hooks.register(LOYALTY_MENU_HOOK)
def discount_policy_menu_item():
    return SettingMenuItem(DiscountPolicy, icon="tag", name="loyalty-discount", order=320)
