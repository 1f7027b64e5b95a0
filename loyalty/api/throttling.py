"""Per-key rate limit (``LOYALTY_API_RATE``, for example '600/min'); DRF answers 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "600/min"


class PartnerKeyThrottle(SimpleRateThrottle):
    scope = "partner_key"

    def get_rate(self):
        # Read at call time so a deployment (or a test) can change it without reloading classes.
        return getattr(settings, "LOYALTY_API_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
