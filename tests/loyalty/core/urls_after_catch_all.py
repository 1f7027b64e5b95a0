"""A site that put the plugin after Wagtail's catch-all (a mistake loyalty.E005 names)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("", include(wagtail_urls)),
    path("club/", include("loyalty.urls")),
]
