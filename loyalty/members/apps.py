"""App config for loyalty members."""

from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class MembersConfig(core.LoyaltyAppConfig):
    name = "loyalty.members"
    label = "loyalty_members"
    verbose_name = _("Loyalty members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from loyalty.core.checks import register_checks

        register_checks()  # loyalty.E001 ... I001: what the host site must set up, and how
