"""A new member receives the Likes friends shared with their email address before they joined."""

from django.dispatch import receiver

from loyalty.members.signals import member_enrolled

from .services import claim_waiting_shares


@receiver(member_enrolled, dispatch_uid="loyalty_sharing_claim")
def deliver_waiting_shares(sender, member, **kwargs):
    claim_waiting_shares(member=member)
