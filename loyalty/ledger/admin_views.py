"""Wagtail admin views for one member's ledger: a read-only, filterable list and the adjustment form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from loyalty.core.dates import day_end, day_start
from loyalty.members.models import Member

from . import services
from .conf import ledger_settings
from .exceptions import LedgerError
from .forms import AdjustmentForm, LedgerFilterForm
from .selectors import balance_summary, history_lines, member_history

PAGE_SIZE = 50


class MemberLedgerMixin(WagtailAdminTemplateMixin):
    header_icon = "list-ul"
    required_permission = "loyalty_members.view_member"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.required_permission):
            raise PermissionDenied
        self.member = get_object_or_404(Member.objects.select_related("user"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.member)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("loyalty_members:index"), "label": _("Members")},
            {
                "url": reverse("loyalty_members:ledger", args=[self.member.pk]),
                "label": str(self.member),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member,
            summary=balance_summary(self.member),
            currency=ledger_settings().currency_name,
            **kwargs,
        )


class MemberLedgerView(MemberLedgerMixin, TemplateView):
    page_title = gettext_lazy("Ledger")
    template_name = "loyalty/ledger/admin/member_ledger.html"

    def get_context_data(self, **kwargs):
        filters = LedgerFilterForm(self.request.GET or None)
        journals = member_history(self.member)
        if filters.is_valid():
            data = filters.cleaned_data
            journals = member_history(
                self.member,
                kinds=[data["kind"]] if data["kind"] else None,
                since=day_start(data["since"]) if data["since"] else None,
                until=day_end(data["until"]) if data["until"] else None,
            )
        page = Paginator(journals, PAGE_SIZE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(
            filters=filters,
            page=page,
            rows=history_lines(page),
            query=query.urlencode(),
            can_adjust=self.request.user.has_perm("loyalty_members.change_member"),
            **kwargs,
        )


class MemberAdjustmentView(MemberLedgerMixin, FormView):
    page_title = gettext_lazy("Correct the balance")
    template_name = "loyalty/ledger/admin/adjust.html"
    form_class = AdjustmentForm
    required_permission = "loyalty_members.change_member"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            journal = services.adjust(
                member=self.member,
                amount=data["amount"],
                reason=data["reason"],
                editor=self.request.user,
                idempotency_source=f"admin:{self.request.user.pk}",
                idempotency_key=data["token"],
            )
        except LedgerError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        if not getattr(journal, "replayed", False):
            messages.success(self.request, _("The correction was booked."))
        return redirect("loyalty_members:ledger", self.member.pk)
