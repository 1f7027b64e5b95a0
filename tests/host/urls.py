"""The host site's URLs: its own API and Wagtail's API v2, the plugin under prefixes it chose."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from .views import WhoAmI

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_v2.urls),
    path("host-api/whoami/", WhoAmI.as_view(), name="host_whoami"),
    # The plugin, as the README's install section says (under a prefix of the host's choosing):
    path("api/v1/", include("loyalty.api.urls")),
    path("club/", include("loyalty.urls")),
    path("club/", include("loyalty.auth_urls")),
    path("", include(wagtail_urls)),
]
