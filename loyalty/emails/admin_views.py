"""Admin views for a campaign: preview as a member (and send a test to yourself), launch, pause, report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from loyalty.members.models import Member
from loyalty.members.numbers import normalise_member_number

from . import services
from .exceptions import CampaignError
from .forms import PreviewForm
from .models import Campaign


class CampaignMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"
    permission = "loyalty_emails.change_campaign"

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.campaign = get_object_or_404(Campaign.objects.select_related("segment"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.campaign.name


def find_member(text: str) -> Member | None:
    text = text.strip()
    members = Member.objects.select_related("user")
    if "@" in text:
        return members.filter(user__email__iexact=text).first()
    return members.filter(number=normalise_member_number(text)).first()


class PreviewView(CampaignMixin, FormView):
    """Render the campaign as a chosen member would get it (HTML and text); optionally mail it to me."""

    page_title = gettext_lazy("Preview")
    template_name = "loyalty/emails/admin/preview.html"
    form_class = PreviewForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and "member" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound:
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        member = find_member(form.cleaned_data["member"])
        if member is None:
            form.add_error("member", _("No member has this number or email address."))
            return self.form_invalid(form)
        if "send_test" in self.request.POST:
            reason = services.send_test(self.campaign, member, to=self.request.user.email)
            if reason:
                messages.warning(
                    self.request, _("No test sent: this member would be skipped (%(why)s).") % {"why": reason}
                )
            else:
                messages.success(
                    self.request, _("A test was sent to %(email)s.") % {"email": self.request.user.email}
                )
        message, reason = services.preview(self.campaign, member)
        context = self.get_context_data(form=form, member=member, skip_reason=reason)
        if message is not None:
            context.update(
                subject=message.subject,
                text=message.body,
                html=message.alternatives[0][0],
                headers=message.extra_headers,
            )
        return self.render_to_response(context)


class ReportView(CampaignMixin, TemplateView):
    page_title = gettext_lazy("Campaign report")
    template_name = "loyalty/emails/admin/report.html"
    permission = "loyalty_emails.view_campaign"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign,
            report=services.campaign_report(self.campaign),
            audience=services.audience(self.campaign).count(),
            recent=self.campaign.sends.select_related("member__user").order_by("-pk")[:50],
            **kwargs,
        )


class CampaignActionView(CampaignMixin, TemplateView):
    """POST launch / pause / retry; GET shows what the action will do."""

    template_name = "loyalty/emails/admin/action.html"
    actions = ("launch", "pause", "retry")

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("action") not in self.actions:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return {"launch": _("Launch"), "pause": _("Pause"), "retry": _("Retry failed messages")}[
            self.kwargs["action"]
        ]

    def get_context_data(self, **kwargs):
        kwargs.update(
            campaign=self.campaign,
            action=self.kwargs["action"],
            audience=services.audience(self.campaign).count(),
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, action, **kwargs):
        try:
            if action == "launch":
                queued = services.launch(self.campaign, user=request.user)
                messages.success(
                    request,
                    _("Launched: %(count)d messages queued.") % {"count": queued}
                    if self.campaign.trigger == Campaign.Trigger.NOW
                    else _("Active: it sends when its moment comes."),
                )
            elif action == "pause":
                services.pause(self.campaign)
                messages.success(request, _("Paused."))
            else:
                count = services.retry_failed(self.campaign)
                messages.success(request, _("%(count)d failed messages queued again.") % {"count": count})
        except (CampaignError, ValidationError) as refusal:
            messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
        return redirect("loyalty_emails_report", pk=self.campaign.pk)
