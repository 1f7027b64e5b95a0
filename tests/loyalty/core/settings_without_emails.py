"""The host test site with one loyalty app left out, as the README's old install list did."""

from tests.host.settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "loyalty.emails"]  # noqa: F405
