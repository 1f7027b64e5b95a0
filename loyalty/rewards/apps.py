"""App config for the rewards catalogue, voucher redemptions and the checkout-discount policy."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class RewardsConfig(core.LoyaltyAppConfig):
    name = "loyalty.rewards"
    label = "loyalty_rewards"
    verbose_name = _("Loyalty rewards")
    default_auto_field = "django.db.models.BigAutoField"
