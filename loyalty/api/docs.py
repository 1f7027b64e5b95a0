"""The partner API's OpenAPI schema and interactive docs, wherever the host mounts the API.

Both views carry their own drf-spectacular settings and read only the API's own URL patterns, so
they need no ``SPECTACULAR_SETTINGS`` or ``REST_FRAMEWORK`` from the host and never trip over the
host's other DRF views (Wagtail's admin API, the host's own endpoints).
"""

from django.urls import include, path, reverse
from drf_spectacular.settings import patched_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

TITLE = "Loyalty partner API"

SCHEMA_SETTINGS = {
    "TITLE": TITLE,
    "DESCRIPTION": (
        "Record purchases, refunds, redemptions and shares for the loyalty program's members. "
        "Every POST accepts an Idempotency-Key header; every error has the same shape."
    ),
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"JournalKindEnum": "loyalty.ledger.models.Journal.Kind"},
}
UI_SETTINGS = {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR"}


def mounted_prefix() -> str:
    """Where the host included ``loyalty.api.urls``, e.g. ``/api/v1/`` or ``/shop/loyalty-api/``."""
    return reverse("loyalty_api:members").removesuffix("members/")


class PartnerSchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    api_version = "v1"

    def get(self, request, *args, **kwargs):
        from .urls import endpoint_patterns

        prefix = mounted_prefix()
        self.patterns = [path(prefix.lstrip("/"), include(endpoint_patterns))]
        self.custom_settings = {**SCHEMA_SETTINGS, "SCHEMA_PATH_PREFIX": prefix.rstrip("/")}
        return super().get(request, *args, **kwargs)


class PartnerDocsView(SpectacularSwaggerView):
    authentication_classes = []
    permission_classes = [AllowAny]
    title = TITLE
    url_name = "loyalty_api:schema"
    # Our copies: "drf_spectacular" need not be in INSTALLED_APPS (its deploy check fails on Wagtail).
    template_name = "loyalty/api/docs/swagger_ui.html"
    template_name_js = "loyalty/api/docs/swagger_ui.js"

    def get(self, request, *args, **kwargs):
        with patched_settings(UI_SETTINGS):
            return super().get(request, *args, **kwargs)
