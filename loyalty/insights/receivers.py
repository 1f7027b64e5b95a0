"""Touchpoints that invite members to surveys."""

from django.dispatch import receiver

from loyalty.rules.signals import purchase_recorded

from .surveys import invite


@receiver(purchase_recorded, dispatch_uid="loyalty_insights_purchase_survey")
def invite_after_purchase(sender, purchase, **kwargs):
    invite(member=purchase.member, touchpoint="purchase", reference=f"purchase:{purchase.pk}")
