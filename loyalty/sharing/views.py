"""/account/share/: fill in, confirm, done. The views only translate between forms and the service."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from loyalty.ledger.conf import ledger_settings
from loyalty.ledger.exceptions import LedgerError
from loyalty.ledger.selectors import balance_summary
from loyalty.members.decorators import member_required

from .exceptions import UnknownReceiver
from .forms import ShareForm
from .models import Share
from .selectors import member_by_number
from .services import left_to_share_today, preview_share, share_likes, sharing_policy


@method_decorator(member_required, name="dispatch")
class ShareView(View):
    template_name = "loyalty/sharing/share.html"
    confirm_template_name = "loyalty/sharing/confirm.html"

    def get(self, request):
        return self.render_form(ShareForm())

    def post(self, request):
        form = ShareForm(request.POST)
        if "edit" in request.POST or not form.is_valid():
            return self.render_form(form if form.is_bound else ShareForm())
        try:
            receiver_kwargs = self.receiver_kwargs(form.cleaned_data["receiver"])
            share_kwargs = {
                "sender": request.member,
                "amount": form.cleaned_data["amount"],
                "message": form.cleaned_data["message"],
                **receiver_kwargs,
            }
            if "confirm" not in request.POST:
                preview_share(**share_kwargs)
                return self.render_confirm(form, receiver_kwargs)
            share = share_likes(client_token=form.cleaned_data["token"], **share_kwargs)
        except LedgerError as refusal:
            form.add_error(None, str(refusal))
            return self.render_form(form)
        return redirect("loyalty:share_done", share.pk)

    def receiver_kwargs(self, receiver: dict) -> dict:
        if "email" in receiver:
            return {"receiver_email": receiver["email"]}
        member = member_by_number(receiver["number"])
        if member is None:
            raise UnknownReceiver()
        return {"receiver": member}

    def context(self, **extra) -> dict:
        policy = sharing_policy()
        return {
            "policy": policy,
            "summary": balance_summary(self.request.member),
            "left_today": left_to_share_today(self.request.member, policy),
            "currency": ledger_settings().currency_name,
            **extra,
        }

    def render_form(self, form):
        return render(self.request, self.template_name, self.context(form=form))

    def render_confirm(self, form, receiver_kwargs):
        summary = balance_summary(self.request.member)
        return render(
            self.request,
            self.confirm_template_name,
            self.context(
                form=form.hidden_copy(),
                receiver=receiver_kwargs.get("receiver"),
                receiver_email=receiver_kwargs.get("receiver_email", ""),
                amount=form.cleaned_data["amount"],
                message=form.cleaned_data["message"],
                balance_after=summary.balance - form.cleaned_data["amount"],
            ),
        )


@member_required
def share_done(request, pk):
    share = get_object_or_404(Share.objects.select_related("receiver__user"), pk=pk, sender=request.member)
    return render(
        request,
        "loyalty/sharing/done.html",
        {
            "share": share,
            "summary": balance_summary(request.member),
            "currency": ledger_settings().currency_name,
        },
    )
