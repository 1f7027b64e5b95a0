"""/account/invite/: the member's personal invite link and the friends who joined through it."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from loyalty.members.decorators import member_required

from .models import EarningRule, Referral
from .services import invite_code_for


@member_required
def invite(request):
    link = request.build_absolute_uri(f"{reverse('loyalty:signup')}?invite={invite_code_for(request.member)}")
    referral_rule = (
        EarningRule.objects.in_force(timezone.now()).filter(trigger=EarningRule.Trigger.REFERRAL).first()
    )
    return render(
        request,
        "loyalty/rules/invite.html",
        {
            "link": link,
            "rule": referral_rule,
            "referrals": Referral.objects.filter(referrer=request.member).select_related("referred__user"),
        },
    )
