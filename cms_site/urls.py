"""URLs of the demo site: loyalty pages, the Wagtail admin, and Wagtail's page serving last."""

from django.conf import settings
from django.urls import include, path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("loyalty.api.urls")),
    path("", include("loyalty.urls")),
    path("", include("loyalty.auth_urls")),  # the plugin's optional log-in pages
]

if settings.SERVE_MEDIA:
    # The embedded demo has no web server in front; production sets SERVE_MEDIA=false.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
