"""The partner API (include it under any prefix, e.g. /api/v1/), with its OpenAPI schema and docs."""

from django.urls import path, re_path

from . import views
from .docs import PartnerDocsView, PartnerSchemaView

app_name = "loyalty_api"

endpoint_patterns = [
    path("members/", views.MemberListView.as_view(), name="members"),
    path("members/<str:number>/", views.MemberDetailView.as_view(), name="member"),
    path("members/<str:number>/balance/", views.BalanceView.as_view(), name="balance"),
    path("members/<str:number>/transactions/", views.TransactionListView.as_view(), name="transactions"),
    path("members/<str:number>/discount-quote/", views.DiscountQuoteView.as_view(), name="discount_quote"),
    path("purchases/", views.PurchaseCreateView.as_view(), name="purchases"),
    path("purchases/<str:pk>/refunds/", views.RefundCreateView.as_view(), name="refunds"),
    path("redemptions/", views.RedemptionCreateView.as_view(), name="redemptions"),
    path("transfers/", views.TransferCreateView.as_view(), name="transfers"),
    path("survey-responses/", views.SurveyResponseCreateView.as_view(), name="survey_responses"),
    path("support-contacts/", views.SupportContactCreateView.as_view(), name="support_contacts"),
    path("insights/summary/", views.InsightsSummaryView.as_view(), name="insights_summary"),
]

urlpatterns = [
    *endpoint_patterns,
    path("schema/", PartnerSchemaView.as_view(), name="schema"),
    path("docs/", PartnerDocsView.as_view(), name="docs"),
    re_path(r"^.*$", views.not_found),  # last: any other path answers in JSON
]
