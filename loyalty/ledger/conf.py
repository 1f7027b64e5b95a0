"""Access to the editor-controlled ledger settings (currency name, lot lifetime, rounding).

Read at call time, never at import time. Cached for a minute per process and dropped when an
editor saves the setting, so the hot posting path does not query it on every call.
"""

from django.core.cache import cache

SETTINGS_CACHE_KEY = "loyalty:ledger-settings"
SETTINGS_CACHE_SECONDS = 60


def ledger_settings():
    from wagtail.models import Site

    from .models import LedgerSettings

    cached = cache.get(SETTINGS_CACHE_KEY)
    if cached is not None:
        return cached
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    value = LedgerSettings() if site is None else LedgerSettings.for_site(site)
    cache.set(SETTINGS_CACHE_KEY, value, SETTINGS_CACHE_SECONDS)
    return value


def forget_ledger_settings():
    cache.delete(SETTINGS_CACHE_KEY)
