"""The one-click redeem confirmation: a hidden token makes a double-click redeem once."""

import uuid

from django import forms


class RedeemForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex, max_length=64)
