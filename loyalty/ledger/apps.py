"""App config for the points ledger."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "loyalty.ledger"
    label = "loyalty_ledger"
    verbose_name = _("Loyalty ledger")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
