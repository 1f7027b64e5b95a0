"""The member's share form: who (member number or email address), how many Likes, and a message."""

import uuid

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from loyalty.members.numbers import normalise_member_number


class ShareForm(forms.Form):
    receiver = forms.CharField(
        label=_("Member number or email address"),
        max_length=254,
        help_text=_("The 10-digit number on their member card, or the email address they joined with."),
    )
    amount = forms.IntegerField(label=_("How many Likes"), min_value=1, max_value=10_000_000)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # One token per filled-in form: a double-click or a resubmitted confirmation shares once.
    token = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex, max_length=64)

    def clean_receiver(self) -> dict:
        value = self.cleaned_data["receiver"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(_("This email address is not valid.")) from None
            return {"email": value.lower(), "text": value.lower()}
        digits = normalise_member_number(value)
        if not (digits.isdigit() and len(digits) == 10):
            raise forms.ValidationError(_("Enter a 10-digit member number or an email address."))
        return {"number": digits, "text": value}

    def hidden_copy(self) -> "ShareForm":
        """The same values as hidden inputs, for the confirmation step."""
        copy = ShareForm(self.data)
        for field in copy.fields.values():
            field.widget = forms.HiddenInput()
        return copy
