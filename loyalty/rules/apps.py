"""App config for earning rules, purchases, refunds and referrals."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class RulesConfig(core.LoyaltyAppConfig):
    name = "loyalty.rules"
    label = "loyalty_rules"
    verbose_name = _("Loyalty earning rules")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
