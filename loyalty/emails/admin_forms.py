"""The segment form in the admin: personas as checkboxes and the site's languages as choices."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from loyalty.insights.models import Persona


class SegmentAdminForm(WagtailAdminModelForm):
    """Personas as checkboxes (stored as a list)."""

    personas = forms.MultipleChoiceField(
        label=_("Personas"),
        choices=Persona.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any of these personas; none chosen means any."),
    )
    locale = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = [("", _("Any language")), *settings.LANGUAGES]
