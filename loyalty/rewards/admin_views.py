"""Admin: an editor cancels a voucher with a reason; the Likes go back to the member."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from loyalty.ledger.exceptions import LedgerError

from .models import Redemption
from .services import cancel_redemption


class CancelRedemptionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("Shown to the member in their history."),
        error_messages={"required": gettext_lazy("Cancelling a voucher needs a reason.")},
    )


class CancelRedemptionView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Cancel voucher")
    header_icon = "tag"
    template_name = "loyalty/rewards/admin/cancel.html"
    form_class = CancelRedemptionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("loyalty_rewards.change_redemption"):
            raise PermissionDenied
        self.redemption = get_object_or_404(
            Redemption.objects.select_related("reward", "member__user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.redemption)

    def get_context_data(self, **kwargs):
        return super().get_context_data(redemption=self.redemption, **kwargs)

    def form_valid(self, form):
        try:
            cancel_redemption(
                redemption=self.redemption, editor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except LedgerError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The voucher was cancelled and its Likes returned."))
        return redirect("loyalty_redemptions:index")
