"""App config for the rewards catalogue, voucher redemptions and the checkout-discount policy."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "loyalty.rewards"
    label = "loyalty_rewards"
    verbose_name = _("Loyalty rewards")
    default_auto_field = "django.db.models.BigAutoField"
