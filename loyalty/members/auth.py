"""Where members log in and out: the plugin's own pages when the host includes ``loyalty.auth_urls``,
else the host's ``LOGIN_URL``. The plugin never needs the host to change ``LOGIN_URL``, and never
changes where the host's own ``@login_required`` views send people."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse


def _plugin_url(name: str) -> str | None:
    try:
        return reverse(f"loyalty_auth:{name}")
    except NoReverseMatch:
        return None


def login_url(next_path: str | None = None) -> str:
    """``LOYALTY_LOGIN_URL`` if set, else the plugin's login page if included, else ``LOGIN_URL``;
    with ``next_path``, the link that comes back there (as Django's ``redirect_to_login`` builds it,
    keeping any query the login URL already has)."""
    configured = getattr(settings, "LOYALTY_LOGIN_URL", None)
    url = resolve_url(configured) if configured else _plugin_url("login") or resolve_url(settings.LOGIN_URL)
    return redirect_to_login(next_path, url).url if next_path else url


def logout_url() -> str | None:
    """The plugin's log-out (a POST) when included; ``LOYALTY_LOGOUT_URL`` otherwise, or None."""
    configured = getattr(settings, "LOYALTY_LOGOUT_URL", None)
    return resolve_url(configured) if configured else _plugin_url("logout")
