"""Reads other apps may ask of the rules: has a member bought anything?"""

from loyalty.members.models import Member

from .models import Purchase


def has_purchased(member: Member) -> bool:
    return Purchase.objects.filter(member=member).exists()
