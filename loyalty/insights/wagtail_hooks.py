"""Insights admin in the Loyalty menu: surveys (snippets), survey settings and persona thresholds."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from loyalty.members.wagtail_hooks import LOYALTY_MENU_HOOK

from .models import PersonaSettings, Survey, SurveySettings


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
