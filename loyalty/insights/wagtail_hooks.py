"""Insights admin in the Loyalty menu: the Insights page, surveys, and the survey, persona and engagement
settings; KPI figures on the Wagtail home screen."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .admin_views import PERMISSION, InsightsView, KpiPanel, MemberTimelineView
from .models import EngagementSettings, PersonaSettings, Survey, SurveySettings


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "help"
    menu_label = _("Surveys")
    menu_hook = LOYALTY_MENU_HOOK
    menu_order = 600
    list_display = ["name", "kind", "touchpoint", "is_active"]
    list_filter = ["kind", "touchpoint", "is_active"]
    search_fields = ["name"]
    search_backend_name = None


register_snippet(SurveyViewSet)


@hooks.register(LOYALTY_MENU_HOOK)
def survey_settings_menu_item():
    return SettingMenuItem(SurveySettings, icon="help", name="loyalty-survey-settings", order=610)


@hooks.register(LOYALTY_MENU_HOOK)
def persona_settings_menu_item():
    return SettingMenuItem(PersonaSettings, icon="group", name="loyalty-persona-settings", order=620)


@hooks.register(LOYALTY_MENU_HOOK)
def engagement_settings_menu_item():
    return SettingMenuItem(EngagementSettings, icon="pick", name="loyalty-engagement-settings", order=630)


@hooks.register("register_admin_urls")
def insights_urls():
    return [
        path("loyalty/insights/", InsightsView.as_view(), name="loyalty_insights"),
        path(
            "loyalty/members/<int:pk>/timeline/", MemberTimelineView.as_view(), name="loyalty_member_timeline"
        ),
    ]


class InsightsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register(LOYALTY_MENU_HOOK)
def insights_menu_item():
    return InsightsMenuItem(_("Insights"), reverse("loyalty_insights"), icon_name="view", order=590)


@hooks.register("construct_homepage_panels")
def add_kpi_panel(request, panels):
    if request.user.has_perm(PERMISSION):
        panels.append(KpiPanel(request))
