"""Signal handlers: drop cached settings on save; make sure system accounts exist after migrate."""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .conf import forget_ledger_settings
from .models import Account, LedgerSettings


@receiver(post_save, sender=LedgerSettings)
def ledger_settings_saved(**kwargs):
    forget_ledger_settings()


@receiver(post_migrate)
def create_system_accounts(sender, using="default", apps=global_apps, **kwargs):
    """Like content types, system accounts are (re)created after every migrate or flush."""
    if getattr(sender, "label", None) != "loyalty_ledger":
        return
    try:
        HistoricalAccount = apps.get_model("loyalty_ledger", "Account")
    except LookupError:  # a partial migrate that stops before the ledger exists
        return
    from .services import forget_system_accounts

    forget_system_accounts()
    for kind in Account.Kind.values:
        if kind != Account.Kind.MEMBER:
            HistoricalAccount.objects.using(using).get_or_create(kind=kind, member=None)
