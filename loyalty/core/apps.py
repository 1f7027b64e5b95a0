"""The base of every loyalty app's AppConfig: it refuses to start, with the fix, when one of the
other loyalty apps is missing from INSTALLED_APPS.

The apps import each other's models, so a missing one would otherwise stop Django with "Model class
... isn't in an application in INSTALLED_APPS" before any system check (loyalty.E001) can speak.
"""

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured


class LoyaltyAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        from .checks import LOYALTY_APPS

        missing = [name for name in LOYALTY_APPS if not apps.is_installed(name)]
        if missing:
            lines = "\n".join(f'    "{name}",' for name in missing)
            raise ImproperlyConfigured(
                f"The loyalty plugin needs all of its apps (loyalty.E001); INSTALLED_APPS lacks "
                f"{', '.join(missing)}. Add to INSTALLED_APPS in settings.py:\n{lines}"
            )
        super().import_models()
