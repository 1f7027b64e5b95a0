"""Sign-up Likes and referrals for every new member, whichever way they joined."""

from django.dispatch import receiver

from loyalty.members.signals import member_enrolled

from .models import EarningRule
from .services import award_for_action, record_referral


@receiver(member_enrolled, dispatch_uid="loyalty_rules_welcome")
def welcome_new_member(sender, member, referral_code="", imported=False, **kwargs):
    if referral_code:
        record_referral(member=member, code=referral_code)
    if not imported:
        award_for_action(member=member, action=EarningRule.Trigger.SIGNUP, reference="signup")
