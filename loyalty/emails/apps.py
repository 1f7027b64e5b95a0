from django.utils.translation import gettext_lazy as _

from loyalty.core import apps as core  # a module, so Django still finds one AppConfig here


class EmailsConfig(core.LoyaltyAppConfig):
    name = "loyalty.emails"
    label = "loyalty_emails"
    verbose_name = _("Loyalty emails")
    default_auto_field = "django.db.models.BigAutoField"
