"""The partner API under /api/v1/, with its OpenAPI schema and interactive docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

app_name = "loyalty_api"

urlpatterns = [
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
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="loyalty_api:schema"), name="docs"),
]
