"""Admin: create an API key (shown once, then only its prefix) and revoke one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Partner, PartnerAPIKey
from .scopes import SCOPE_CHOICES
from .services import issue_key, revoke_key


class NewKeyForm(forms.Form):
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), queryset=Partner.objects.all())
    name = forms.CharField(
        label=gettext_lazy("Label"), max_length=50, help_text=gettext_lazy("For example 'till 3'.")
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    expiry_date = forms.DateTimeField(
        label=gettext_lazy("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Leave empty for a key that does not expire."),
    )

    def clean_expiry_date(self):
        expiry = self.cleaned_data["expiry_date"]
        if expiry and expiry <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return expiry


class NewKeyView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("New API key")
    header_icon = "key"
    template_name = "loyalty/api/admin/new_key.html"
    form_class = NewKeyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("loyalty_api.add_partnerapikey"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"partner": self.request.GET.get("partner")}

    def form_valid(self, form):
        data = form.cleaned_data
        api_key, key = issue_key(
            partner_name=data["partner"].name,
            scopes=data["scopes"],
            key_name=data["name"],
            expires_at=data["expiry_date"],
            created_by=self.request.user,
        )
        return render(
            self.request,
            "loyalty/api/admin/key_created.html",
            self.get_context_data(api_key=api_key, key=key, page_title=_("API key created")),
        )


class RevokeKeyView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Revoke API key")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("loyalty_api.change_partnerapikey"):
            raise PermissionDenied
        self.api_key = get_object_or_404(
            PartnerAPIKey.objects.select_related("partner"), prefix=kwargs["prefix"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, prefix):
        context = self.get_context_data(api_key=self.api_key)
        return render(request, "loyalty/api/admin/revoke.html", context)

    def post(self, request, prefix):
        api_key = self.api_key
        revoke_key(prefix=api_key.prefix)
        messages.success(request, _("Key %(prefix)s is revoked.") % {"prefix": api_key.prefix})
        return redirect("loyalty_api_keys:index")
