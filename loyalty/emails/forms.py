"""The member's email preferences: personal emails at all, and which kinds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailKind


class EmailPreferencesForm(forms.Form):
    marketing_consent = forms.BooleanField(
        label=_("Send me personal emails (tips, community highlights, Likes reminders)"), required=False
    )
    kinds = forms.MultipleChoiceField(
        label=_("Which kinds"),
        choices=EmailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PreviewForm(forms.Form):
    member = forms.CharField(
        label=_("Preview as member (number or email address)"),
        max_length=254,
        help_text=_("See the email exactly as this member would get it now."),
    )
