"""Email admin in the Loyalty menu: campaigns and segments (snippets), the send log, email settings."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import ListingButton
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from loyalty.core.admin import ReadOnlyModelViewSet, ReadOnlyPermissionPolicy
from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .admin_views import CampaignActionView, PreviewView, ReportView
from .models import Campaign, EmailSettings, Segment, Send
from .services import segment_members

register_permission_policy(Send, ReadOnlyPermissionPolicy(Send))


class CampaignIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance):
        buttons = [
            ListingButton(
                _("Preview"), url=reverse("loyalty_emails_preview", args=[instance.pk]), icon_name="view"
            ),
            ListingButton(
                _("Report"), url=reverse("loyalty_emails_report", args=[instance.pk]), icon_name="doc-full"
            ),
        ]
        if instance.status in (Campaign.Status.DRAFT, Campaign.Status.PAUSED):
            buttons.append(
                ListingButton(
                    _("Launch"),
                    url=reverse("loyalty_emails_action", args=[instance.pk, "launch"]),
                    icon_name="mail",
                )
            )
        return buttons + list(super().get_list_more_buttons(instance))


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "mail"
    menu_label = _("Campaigns")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 500
    index_view_class = CampaignIndexView
    list_display = [
        "name",
        "kind",
        "trigger",
        "status",
        Column("audience", label=_("Audience"), accessor="segment"),
    ]
    list_filter = ["status", "trigger", "kind"]
    search_fields = ["name", "subject"]
    search_backend_name = None


class MembersNowColumn(Column):
    """How many members a segment matches right now (consent aside)."""

    def get_value(self, instance):
        return segment_members(instance).count()


class SegmentViewSet(SnippetViewSet):
    model = Segment
    icon = "group"
    menu_label = _("Segments")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 510
    list_display = ["name", MembersNowColumn("members_now", label=_("Members now"))]
    search_fields = ["name"]
    search_backend_name = None


class SendIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Send.objects.select_related("campaign", "member__user")

    @cached_property
    def columns(self):
        # list_display starts with a plain Column, which links nowhere: link each row to its inspect view.
        first, *rest = super().columns
        link = self.get_inspect_url
        return [TitleColumn(first.name, label=first.label, accessor=first.accessor, get_url=link), *rest]


class SendViewSet(ReadOnlyModelViewSet):
    """The delivery log: every message, its state and why it was skipped or failed."""

    model = Send
    icon = "list-ul"
    menu_label = _("Email log")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 520
    url_prefix = "loyalty/email-log"
    name = "loyalty_email_log"
    index_view_class = SendIndexView
    inspect_view_enabled = True
    list_display = [
        Column("about", label=_("Campaign or subject"), accessor="about"),
        "kind",
        Column("member", label=_("Member"), accessor="member"),
        "occasion",
        "state",
        "reason",
        "sent_at",
        "opened_at",
        "clicked_at",
    ]
    list_filter = ["state", "kind", "campaign"]
    search_fields = ["member__number", "member__user__email"]
    search_backend_name = None


register_snippet(CampaignViewSet)
register_snippet(SegmentViewSet)


@hooks.register("register_admin_viewset")
def register_email_log():
    return SendViewSet()


@hooks.register("register_admin_urls")
def campaign_urls():
    return [
        path("loyalty/campaigns/<int:pk>/preview/", PreviewView.as_view(), name="loyalty_emails_preview"),
        path("loyalty/campaigns/<int:pk>/report/", ReportView.as_view(), name="loyalty_emails_report"),
        path(
            "loyalty/campaigns/<int:pk>/<str:action>/",
            CampaignActionView.as_view(),
            name="loyalty_emails_action",
        ),
    ]


@hooks.register(LOYALTY_MENU_HOOK)
def email_settings_menu_item():
    return SettingMenuItem(EmailSettings, icon="mail", name="loyalty-email-settings", order=530)
