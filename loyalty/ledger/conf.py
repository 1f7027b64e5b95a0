"""Access to the editor-controlled ledger settings (currency name, lot lifetime, rounding).

Read at call time, never at import time. Cached for a minute per process and dropped when an
editor saves the setting, so the hot posting path does not query it on every call.
"""

from django.core.cache import cache

SETTINGS_CACHE_KEY = "loyalty:ledger-settings"
SETTINGS_CACHE_SECONDS = 60


def default_site_setting(model):
    """A site setting of the default site (the program is one per installation), or its defaults."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return model() if site is None else model.for_site(site)


def ledger_settings():
    from .models import LedgerSettings

    cached = cache.get(SETTINGS_CACHE_KEY)
    if cached is not None:
        return cached
    value = default_site_setting(LedgerSettings)
    cache.set(SETTINGS_CACHE_KEY, value, SETTINGS_CACHE_SECONDS)
    return value


def forget_ledger_settings():
    cache.delete(SETTINGS_CACHE_KEY)
