from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailsConfig(AppConfig):
    name = "loyalty.emails"
    label = "loyalty_emails"
    verbose_name = _("Loyalty emails")
    default_auto_field = "django.db.models.BigAutoField"
