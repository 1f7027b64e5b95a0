"""The admin's Insights page (period filter, charts as tables and bars, CSV for every chart) and the
home-screen KPI panel."""

import csv
from datetime import timedelta

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from loyalty.emails.services import segment_members
from loyalty.members.models import Member

from . import charts, dashboard
from .timeline import member_timeline

PERMISSION = "loyalty_insights.view_surveyresponse"


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )

    segment = forms.ModelChoiceField(
        label=gettext_lazy("Segment"), queryset=None, required=False, empty_label=gettext_lazy("All members")
    )
    touchpoint = forms.CharField(label=gettext_lazy("Touchpoint"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from loyalty.emails.models import Segment

        self.fields["segment"].queryset = Segment.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("'To' must not be before 'From'."))
        return data


class InsightsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = PERMISSION
    raise_exception = True
    page_title = gettext_lazy("Insights")
    header_icon = "view"
    template_name = "loyalty/insights/admin/insights.html"
    downloads = ("nps", "cohorts", "personas", "flows", "engagement", "survival")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        form = PeriodForm(request.GET or None, initial={"start": today - timedelta(days=89), "end": today})
        first, last, members, touchpoint = today - timedelta(days=89), today, None, ""
        if form.is_bound and form.is_valid():
            first, last = form.cleaned_data["start"], form.cleaned_data["end"]
            touchpoint = form.cleaned_data["touchpoint"].strip()
            if form.cleaned_data["segment"] is not None:
                members = segment_members(form.cleaned_data["segment"])
        valid = not form.is_bound or form.is_valid()
        data = dashboard.insights(first, last, members=members, touchpoint=touchpoint) if valid else None
        if data is not None and request.GET.get("download") in self.downloads:
            return csv_download(request.GET["download"], data, first, last)
        status = 400 if form.is_bound and not form.is_valid() else 200
        context = self.get_context_data(
            form=form, data=data, charts=_charts(data) if data else None, first=first, last=last, **kwargs
        )
        return self.render_to_response(context, status=status)


def _charts(data: dict) -> dict:
    return {
        "nps": charts.nps_chart(data["nps_by_month"], _("NPS by month, with its 95% margin")),
        "survival": charts.survival_chart(
            data["survival"], _("Share of members still in the program, by engagement at the start")
        ),
    }


def _percent(value):
    return "" if value is None else f"{value:.1f}"


def csv_download(name: str, data: dict, first, last) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{name}-{first}-{last}.csv"'
    writer = csv.writer(response)
    if name == "nps":
        writer.writerow(
            ["month", "responses", "promoters", "passives", "detractors", "nps", "margin_of_error"]
        )
        for row in data["nps_by_month"]:
            nps = row["nps"]
            writer.writerow(
                [
                    row["month"],
                    nps.responses,
                    nps.promoters,
                    nps.passives,
                    nps.detractors,
                    _percent(nps.score),
                    _percent(nps.margin),
                ]
            )
    elif name == "cohorts":
        width = max(len(cohort.retained) for cohort in data["cohorts"])
        writer.writerow(["join_month", "members", *[f"month_{index}" for index in range(width)]])
        for cohort in data["cohorts"]:
            writer.writerow([cohort.month, cohort.size, *[_percent(value) for value in cohort.retained]])
    elif name == "survival":
        levels = data["survival"]["levels"]
        writer.writerow(
            ["month", *[f"{level}_{part}" for level in levels for part in ("retained", "low", "high")]]
        )
        for row in data["survival"]["rows"]:
            cells = [_percent(cell[part]) for cell in row["cells"] for part in ("retained", "low", "high")]
            writer.writerow([row["month"], *cells])
    elif name == "flows":
        writer.writerow(["from_persona", *[persona.value for persona in data["flows"]["personas"]]])
        for row in data["flows"]["rows"]:
            writer.writerow([row["persona"].value, *row["cells"]])
    elif name == "personas":
        writer.writerow(["persona", "members", "share_percent"])
        for row in data["personas"]:
            writer.writerow([row["persona"], row["members"], _percent(row["share"])])
    else:
        writer.writerow(
            [
                "level",
                "members",
                "retained",
                "retention_percent",
                "buyers",
                "repeat_buyers",
                "repeat_percent",
                "nps_responses",
                "nps",
            ]
        )
        for level in data["levels"]:
            writer.writerow(
                [
                    level.level,
                    level.members,
                    level.retention.part,
                    _percent(level.retention.percent),
                    level.repeat.whole,
                    level.repeat.part,
                    _percent(level.repeat.percent),
                    level.nps.responses,
                    _percent(level.nps.score),
                ]
            )
    return response


class KpiPanel(Component):
    """Loyalty figures on the Wagtail home screen, for editors who may see insights."""

    name = "loyalty_kpis"
    order = 50
    template_name = "loyalty/insights/admin/kpi_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        return {"kpis": dashboard.kpis()}


class MemberTimelineView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything a member did and got, newest first, so nobody asks them the same thing twice."""

    permission_required = "loyalty_members.view_member"
    raise_exception = True
    page_title = gettext_lazy("Timeline")
    header_icon = "history"
    template_name = "loyalty/insights/admin/timeline.html"

    def dispatch(self, request, *args, pk, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()  # before the lookup, so pks reveal nothing
        self.member = get_object_or_404(Member.objects.select_related("user"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.member)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("loyalty_members:index"), "label": _("Members")},
            {"url": "", "label": f"{self.get_page_title()}: {self.member}"},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, events=member_timeline(self.member), **kwargs)
