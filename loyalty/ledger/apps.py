"""App config for the points ledger."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class LedgerConfig(core.LoyaltyAppConfig):
    name = "loyalty.ledger"
    label = "loyalty_ledger"
    verbose_name = _("Loyalty ledger")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
