"""App config for sharing Likes between members (and tipping community authors)."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class SharingConfig(core.LoyaltyAppConfig):
    name = "loyalty.sharing"
    label = "loyalty_sharing"
    verbose_name = _("Sharing Likes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
