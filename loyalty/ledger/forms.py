"""Forms for the ledger: the editor's adjustment (a correction that must give a reason)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Journal


class AdjustmentForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount"),
        help_text=_("Positive to add Likes, negative to take them away."),
        min_value=-10_000_000,
        max_value=10_000_000,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Shown to the member in their history and kept in the audit trail."),
        error_messages={"required": _("A correction needs a reason.")},
    )
    # One token per rendered form: a double-click or a resubmitted form books once.
    token = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex, max_length=64)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("The amount cannot be zero."))
        return amount

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A correction needs a reason."))
        return reason


class LedgerFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + list(Journal.Kind.choices)
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("'From' must be on or before 'Until'."))
        return cleaned
